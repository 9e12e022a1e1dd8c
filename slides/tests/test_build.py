"""The deck builds with warnings as errors, and every quote comes from a real file."""

import re
import shutil

from print_pdf import SLIDES

from .conftest import build

REPOSITORY = SLIDES.parent
# `.. literalinclude:: ../functional_split/shop/routers.py` and the options under it.
QUOTE = re.compile(r"^\.\. literalinclude:: \.\./(?P<path>\S+)\n(?P<options>(?:   :.*\n)*)", re.M)


def quotes():
    for source in SLIDES.glob("**/*.rst"):
        if "_build" not in source.parts:
            yield from QUOTE.finditer(source.read_text())


def test_the_deck_builds_with_warnings_as_errors(built):
    assert built.stderr == ""


def test_a_quote_of_a_name_that_is_gone_breaks_the_build(tmp_path):
    """Rename a quoted function and the build fails, instead of the talk."""
    shutil.copytree(SLIDES, tmp_path / "slides", ignore=shutil.ignore_patterns("_build"))
    for project in {match["path"].split("/")[0] for match in quotes()}:
        (tmp_path / project).symlink_to(REPOSITORY / project)
    with (tmp_path / "slides" / "index.rst").open("a") as index:
        index.write(
            "\nGone\n----\n\n.. literalinclude:: ../functional_split/shop/routers.py\n"
            "   :pyobject: ReviewsRouter.db_for_nothing\n"
        )
    result = build(tmp_path / "slides", tmp_path / "_build")
    assert result.returncode != 0
    assert "ReviewsRouter.db_for_nothing" in result.stderr


def test_every_quote_is_of_a_file_in_the_repository():
    paths = {match["path"] for match in quotes()}
    assert len(paths) > 5  # the pattern above still finds the deck's quotes
    assert [path for path in sorted(paths) if not (REPOSITORY / path).is_file()] == []


def test_every_quote_names_the_file_it_quotes():
    """Its caption is the file's path from the top of the repository, so a reader can open it."""
    unnamed = [m["path"] for m in quotes() if f"   :caption: {m['path']}\n" not in m["options"]]
    assert unnamed == []
