"""The proof: no real value of a masked column is anywhere in the installed snapshot,
neither in the SQLite file's bytes nor, on PostgreSQL, in any table of its database."""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from common.faults import postgres_session
from shop.dumps import read_fixture
from shop.masking import KEEP
from shop.snapshot import snapshot_file

from .helpers import ON_POSTGRES

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)

DEMO_DUMP = "shop/fixtures/demo.snapshot.json"


def real_values():
    """Every value of every masked column in the demo's production dump."""
    values = set()
    for row in read_fixture(DEMO_DUMP):
        for name, rule in settings.SNAPSHOT_MASKS.get(row._meta.label, {}).items():
            if rule != KEEP and getattr(row, name):
                values.add(str(getattr(row, name)))
    return values


def snapshot_text():
    """What the installed snapshot holds, whole: the bytes of its file and of any file
    beside it (a journal, a temporary copy), or every row of every table in the
    PostgreSQL snapshot database, read as its owner from outside Django."""
    if not ON_POSTGRES:
        path = snapshot_file()
        files = [path, *path.parent.glob(f"{path.name}?*")]
        return b"".join(file.read_bytes() for file in files).decode("utf-8", "replace")
    name = connections["snapshot"].settings_dict["NAME"]
    with postgres_session("snapshot", name) as db:
        tables = db.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        return "\n".join(
            "|".join(row[0] for row in db.execute(f"SELECT t::text FROM {table} t"))
            for (table,) in tables
        )


def test_the_demo_dump_holds_real_people():
    """The proof below would pass on an empty snapshot: the values it looks for are there
    in production's dump, four names, e-mails, hashes and addresses."""
    values = real_values()
    assert "Alice Marchetti" in values and "bob.okafor@example.org" in values
    assert len(values) == 16
    assert all(apps.get_model(label) for label in settings.SNAPSHOT_MASKS)


def test_no_real_value_of_a_masked_column_is_in_the_snapshot(demo):
    held = snapshot_text()
    assert "Pour-over kettle" in held  # what is kept is there: the scan reads the rows
    leaked = sorted(value for value in real_values() if value in held)
    assert leaked == []


def test_a_production_review_shows_its_author_masked(demo):
    """The pages show production's authors, read from the snapshot: fake names only."""
    page = demo.get("/products/1/").context["page"]
    authors = {review.author for review in page}
    assert all(author._state.db == "snapshot" for author in authors)
    assert len(authors) == 4
    assert not {author.name for author in authors} & real_values()


def test_build_dump_masked_writes_no_real_value(tmp_path):
    """build_dump --masked masks as production's dump step would: the dump file leaving
    production holds none of the real values."""
    dump = tmp_path / "masked.sqlite3"
    output = StringIO()
    call_command("build_dump", DEMO_DUMP, dump, "--masked", stdout=output)
    assert output.getvalue() == f"{dump}: 49 rows from {DEMO_DUMP}, masked\n"
    held = dump.read_bytes().decode("utf-8", "replace")
    assert "Pour-over kettle" in held
    assert sorted(value for value in real_values() if value in held) == []
