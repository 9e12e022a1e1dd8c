"""Every Python excerpt on a slide is complete Python: it compiles, and it uses no name
that it neither binds nor finds at the top of its file or among the builtins.

`:lines:` keeps some lines of a quote and drops the rest, so it can drop the line that
defines a name the lines kept still use: the code on screen would then not run. A quote
of some entries of a literal (one database of DATABASES, or its first ones) is checked
with the bracket its file opens before them or closes after them.
"""

import ast
import builtins
import textwrap
from types import SimpleNamespace

import pytest
from sphinx.directives.code import LiteralIncludeReader

from .test_build import REPOSITORY, quotes

# The options of a quote, as `.. literalinclude::` reads them: `:dedent: 4` is a number.
NUMBERS = {"dedent", "lineno-start"}


def excerpts():
    for match in quotes():
        options = dict(
            line.strip().removeprefix(":").split(": ", 1) for line in match["options"].splitlines()
        )
        if match["path"].endswith(".py") and options.get("language", "python") == "python":
            options = {k: int(v) if k in NUMBERS else v for k, v in options.items()}
            yield pytest.param(match["path"], options, id=f"{match['path']} {options}")


EXCERPTS = list(excerpts())
# How a quote of a literal's entries becomes code: as it is, its entries in the
# literal's brackets, or its brackets opened before it or closed after it.
AROUND = [("", ""), ("{\n", "\n}"), ("{\n", ""), ("", "\n}")]


def shown(path, options):
    """The excerpt as the slide shows it, read by Sphinx's own literalinclude reader."""
    config = SimpleNamespace(source_encoding="utf-8")
    text, _ = LiteralIncludeReader(REPOSITORY / path, options, config).read()
    return textwrap.dedent(text)


def parsed(path, options):
    """The excerpt's syntax tree: the first of AROUND that compiles, or its SyntaxError."""
    text = shown(path, options)
    for before, after in AROUND:
        try:
            return ast.parse(before + text + after)
        except SyntaxError:
            continue
    return ast.parse(text, f"{path} as quoted")


def bound(tree):
    """Every name the code binds: assigned, imported, defined, or a parameter."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def top_level(tree):
    """The names a file binds at its top: what an excerpt of it may use unquoted."""
    statements = [node for node in tree.body if not is_scope(node)]
    scopes = {node.name for node in tree.body if is_scope(node)}
    return bound(ast.Module(body=statements, type_ignores=[])) | scopes


def unbound(path, options):
    """The names the excerpt uses that nothing binds: not it, its file's top, builtins."""
    excerpt = parsed(path, options)
    known = bound(excerpt) | top_level(ast.parse((REPOSITORY / path).read_text()))
    used = {node.id for node in ast.walk(excerpt) if isinstance(node, ast.Name)}
    return sorted(used - known - set(dir(builtins)))


def is_scope(node):
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def test_the_deck_quotes_python():
    assert len(EXCERPTS) > 10  # the pattern still finds the deck's Python quotes


@pytest.mark.parametrize(("path", "options"), EXCERPTS)
def test_a_quoted_excerpt_compiles(path, options):
    compile(parsed(path, options), f"{path} as quoted", "exec")


@pytest.mark.parametrize(("path", "options"), EXCERPTS)
def test_a_quoted_excerpt_uses_no_name_it_cut(path, options):
    """A name the excerpt uses is bound in it, at the top of its file, or a builtin: a
    local variable whose line was cut (`authors` in attach_related, say) is not."""
    assert unbound(path, options) == []


def test_a_line_cut_from_under_its_use_is_caught(tmp_path):
    """The check itself, on the excerpt the deck once showed: attach_related without the
    line that defines `authors`."""
    quoted = tmp_path / "related.py"
    quoted.write_text(ONCE_QUOTED)
    cut = {"pyobject": "attach_related", "lines": "1-3,5-8"}
    assert unbound(quoted, cut) == ["authors"]


ONCE_QUOTED = """from django.contrib.auth.models import User
from products.models import Product


def attach_related(reviews):
    reviews = list(reviews)
    products = Product.objects.in_bulk({review.product_id for review in reviews})
    authors = User.objects.in_bulk({review.author_id for review in reviews})
    for review in reviews:
        review.product = products.get(review.product_id)
        review.author = authors.get(review.author_id)
    return reviews
"""
