"""shadow_reset says what it will discard and asks first, as Django's flush does, in a copy
of this project; test_commands_postgres.py runs it on PostgreSQL."""

import pytest

from common.project_copy import count, manage

from .helpers import ON_POSTGRES
from .project_copy import EDITS, this_project

pytestmark = pytest.mark.skipif(
    ON_POSTGRES, reason="the copy would share the demo's databases: test_commands_postgres.py"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return this_project(tmp_path_factory)


@pytest.fixture
def demo(project):
    """A fresh setup_demo, then three local changes: one of each kind."""
    assert manage(project, "setup_demo", "--reset").returncode == 0
    assert manage(project, "shell", "-c", EDITS).returncode == 0
    return project


def local_changes(project):
    """The local rows and tombstones in default.sqlite3, read from the file."""
    tables = ("products_product", "reviews_review", "shop_tombstone")
    return sum(count(project / "default.sqlite3", table) for table in tables)


def test_an_empty_model_name_is_an_error_and_discards_nothing(demo):
    """shadow_reset "" names no model: an error, not every model."""
    result = manage(demo, "shadow_reset", "", input="yes\n")
    assert result.returncode == 1
    assert "Unknown model ''" in result.stderr
    assert local_changes(demo) == 3


def test_it_says_what_it_will_discard_and_asks(demo):
    """It counts what it would delete and asks (Django's flush asks); "no" keeps it all."""
    result = manage(demo, "shadow_reset", input="no\n")
    assert result.stdout.splitlines() == [
        "products.Product: 1 local row(s) and 0 tombstone(s) to discard",
        "reviews.Review: 1 local row(s) and 1 tombstone(s) to discard",
        "reviews.Reviewer: 0 local row(s) and 0 tombstone(s) to discard",
        'This deletes them from the "default" database for good.',
        "Type 'yes' to continue, or 'no' to cancel: Reset cancelled: nothing discarded.",
    ]
    assert local_changes(demo) == 3


def test_answered_yes_it_discards(demo):
    """Answered "yes", it deletes the local rows and tombstones of the model named."""
    result = manage(demo, "shadow_reset", "reviews.Review", input="yes\n")
    assert result.stdout.endswith(
        "reviews.Review: 1 local row(s) and 1 tombstone(s) discarded; the snapshot shows through\n"
    )
    assert local_changes(demo) == 1  # the product's


@pytest.mark.parametrize("flag", ["--no-input", "--noinput"])
def test_no_input_discards_without_asking(demo, flag):
    """--no-input or --noinput deletes without asking (Django's flush convention)."""
    result = manage(demo, "shadow_reset", flag, input="")
    assert "Type 'yes'" not in result.stdout
    assert local_changes(demo) == 0


def test_with_no_one_to_answer_it_discards_nothing_and_says_how(demo):
    """A script that closes the input gets an error, not a reset nor a hang."""
    result = manage(demo, "shadow_reset", input="")
    assert result.returncode == 1
    assert "nothing discarded. Add --no-input" in result.stderr
    assert "Traceback" not in result.stderr
    assert local_changes(demo) == 3


def test_v0_with_no_input_prints_nothing_and_discards(demo):
    """-v 0 --no-input is for scripts (Django's verbosity): no output, the changes gone."""
    result = manage(demo, "shadow_reset", "--no-input", "-v", "0")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert local_changes(demo) == 0
