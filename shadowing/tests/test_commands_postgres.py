"""On PostgreSQL, the commands run in place on the test databases: what test_commands.py
proves in a copy of the project with its own SQLite files."""

import re
import sqlite3
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from common.faults import database_missing, missing_database_error
from products.models import Product
from reviews.models import Review

from .helpers import ON_POSTGRES, create_product, rows_per_alias, snapshot_checksum
from .project_copy import EDITS, older_shop

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite, test_commands.py runs them in a copy"),
    pytest.mark.django_db(databases=["default", "snapshot"], transaction=True),
]


def run(*args):
    output = StringIO()
    call_command(*args, stdout=output)
    return output.getvalue().splitlines()


def setup_demo(*args):
    return run("setup_demo", *args)


@pytest.fixture
def edited():
    """A fresh setup_demo, then three local changes: one of each kind."""
    setup_demo("--reset")
    exec(EDITS, {})


def test_setup_demo_fills_each_database_with_its_own_data(settings):
    settings.DEBUG = True  # as `make demo` runs it, so that it makes admin / admin
    setup_demo("--reset")
    assert rows_per_alias(Product) == {"default": 0, "snapshot": 5}  # no local changes
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 40}
    assert get_user_model().objects.count() == 5  # 4 reviewers and admin


def test_setup_demo_prints_one_line_a_step():
    lines = setup_demo("--reset")
    assert lines[:2] == [
        "default: flush --database=default: every table emptied",
        "snapshot: every table of test_shadowing_snapshot dropped",
    ]
    assert re.fullmatch(r"default: migrate: (\d+ migrations applied|already up to date)", lines[2])
    assert lines[3:5] == [
        "default: loaddata demo: Installed 4 object(s) from 1 fixture(s)",
        "snapshot: build_dump demo.snapshot.json, take_snapshot: 49 rows, masked, read-only",
    ]


def test_setup_demo_twice_leaves_the_snapshot_alone():
    setup_demo("--reset")
    before = snapshot_checksum()
    lines = setup_demo()
    assert "snapshot: test_shadowing_snapshot exists, not replaced" in lines
    assert "default: has demo users already, fixture not loaded again" in lines
    assert snapshot_checksum() == before


def test_reset_discards_the_local_changes_and_takes_the_snapshot_again():
    setup_demo("--reset")
    create_product("Milk jug")
    setup_demo("--reset")
    assert rows_per_alias(Product) == {"default": 0, "snapshot": 5}


@pytest.mark.parametrize(
    "args, error",
    [
        (["take_snapshot", "--from", "nowhere.sqlite3"], "nowhere.sqlite3: no such file."),
        (["take_snapshot", "--from", "manage.py"], "manage.py is not a SQLite database"),
        (["take_snapshot", "--from", "{tmp}/empty.sqlite3"], "has no table products_product"),
        (["take_snapshot", "--from", "{tmp}/old.sqlite3"], "products_product has no column"),
        (["take_snapshot"], "the following arguments are required: --from"),
        (["shadow_reset", "auth.User"], "auth.User is not shadowed"),
        (["shadow_reset", "nonsense"], "Unknown model 'nonsense'"),
        (["shadow_reset", ""], "Unknown model ''"),
        (["build_dump", "none.json", "{tmp}/out.sqlite3"], "cannot read it as a JSON fixture"),
        (["build_dump", "shop/fixtures/demo.snapshot.json", "manage.py"], "exists already"),
        (["build_dump", "shop/fixtures/demo.snapshot.json", "{tmp}/no/x.sqlite3"], "such folder"),
    ],
)
def test_bad_arguments_get_an_error_naming_the_problem(tmp_path, args, error):
    setup_demo("--reset")
    sqlite3.connect(tmp_path / "empty.sqlite3").close()
    older_shop(tmp_path / "old.sqlite3")
    before = snapshot_checksum()
    with pytest.raises(CommandError, match=re.escape(error)):
        call_command(*[arg.format(tmp=tmp_path) for arg in args], stdout=StringIO())
    assert snapshot_checksum() == before


def test_a_pg_dump_archive_is_refused_with_the_pg_restore_to_run(tmp_path):
    """take_snapshot reads SQLite dumps; a real PostgreSQL dump is restored by its owner."""
    archive = tmp_path / "production.dump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00")
    before = snapshot_checksum()
    with pytest.raises(CommandError, match="is a pg_dump archive") as refused:
        run("take_snapshot", "--from", archive)
    assert f"pg_restore --clean --no-owner -U postgres -d test_shadowing_snapshot {archive}" in str(
        refused.value
    )
    assert snapshot_checksum() == before


@pytest.mark.parametrize("command", ["shadow_status", "shadow_reset"])
def test_commands_without_the_local_database_say_to_run_setup_demo(tmp_path, command):
    with database_missing("default", tmp_path):
        with pytest.raises(CommandError) as refused:
            call_command(command, stdout=StringIO())
    assert missing_database_error("default") in str(refused.value)
    assert str(refused.value).endswith("Run setup_demo.")


def test_shadow_status_counts_each_kind_of_change(edited):
    assert run("shadow_status") == [
        "products.Product (overlay): 0 added, 1 changed, 0 deleted",
        "reviews.Review (overlay): 1 added, 0 changed, 1 deleted",
        "reviews.Reviewer (snapshot): 0 added, 0 changed, 0 deleted",
    ]


def test_shadow_reset_of_one_model_leaves_the_others(edited):
    assert run("shadow_reset", "reviews.Review", "--no-input") == [
        "reviews.Review: 1 local row(s) and 1 tombstone(s) discarded; the snapshot shows through"
    ]
    assert rows_per_alias(Review)["default"] == 0
    assert rows_per_alias(Product)["default"] == 1


def test_take_snapshot_of_the_same_dump_has_no_conflicts(edited, tmp_path):
    dump = tmp_path / "demo.sqlite3"
    run("build_dump", "shop/fixtures/demo.snapshot.json", dump)
    lines = run("take_snapshot", "--from", dump)
    assert lines[-1] == "no conflicts: production left every row you changed alone"
