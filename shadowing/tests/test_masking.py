"""Masking, rule by rule: deterministic, keyed by a secret kept out of the repository,
and a column with no rule refused, never copied."""

import sqlite3
from contextlib import closing
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from reviews.models import Reviewer
from shop.checks import check_snapshot_masks
from shop.dumps import build_dump, read_fixture
from shop.masking import mask_key, masker

COLUMNS = ["id", "name", "email", "password", "address"]
ALICE = [1, "Alice Marchetti", "alice@example.org", "pbkdf2_sha256$1$salt$hash", "Lyon"]


def mask(row):
    return masker(Reviewer, COLUMNS)(row)


def test_every_rule_replaces_its_value_and_the_key_is_kept():
    key, name, email, password, address = mask(ALICE)
    assert key == 1
    assert name != ALICE[1] and len(name.split()) >= 2  # a fake name, from Faker
    assert email.endswith("@example.com") and email != ALICE[2]
    assert len(password) == 64 and ALICE[3] not in password  # a keyed hash
    assert address == ""


def test_the_same_value_always_gives_the_same_fake():
    """Deterministic: a duplicate stays a duplicate, a join still joins."""
    assert mask(ALICE) == mask(list(ALICE))
    bob = [2, ALICE[1], "bob@example.org", ALICE[3], "Bristol"]
    assert mask(bob)[1] == mask(ALICE)[1]


def test_distinct_emails_stay_distinct():
    """Reviewer.email is unique: so are its fakes."""
    fakes = {mask([n, "A", f"person{n}@example.org", "", ""])[2] for n in range(2000)}
    assert len(fakes) == 2000


def test_another_key_gives_other_fakes(tmp_path):
    """Without the key, a dictionary of real names masked again finds nothing."""
    (tmp_path / "other.key").write_text("f" * 64)
    with override_settings(SNAPSHOT_MASK_KEY_FILE=tmp_path / "other.key"):
        other = mask(ALICE)
    assert other[1:4] != mask(ALICE)[1:4]


def test_the_key_is_made_on_first_use_for_its_owner_only(tmp_path):
    path = tmp_path / "new.key"
    with override_settings(SNAPSHOT_MASK_KEY_FILE=path):
        key = mask_key()
        assert mask_key() == key
    assert len(key) == 64 and path.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)
def test_take_snapshot_says_when_it_made_the_key(tmp_path):
    build_dump(tmp_path / "empty.sqlite3", [])
    output = StringIO()
    with override_settings(SNAPSHOT_MASK_KEY_FILE=tmp_path / "first.key"):
        call_command("take_snapshot", "--from", tmp_path / "empty.sqlite3", stdout=output)
    assert "masking key: made first.key, yours only; keep it out of the repository" in (
        output.getvalue()
    )
    assert (tmp_path / "first.key").exists()


def test_a_key_file_too_short_is_a_clear_error(tmp_path):
    (tmp_path / "short.key").write_text("abc")
    with override_settings(SNAPSHOT_MASK_KEY_FILE=tmp_path / "short.key"):
        with pytest.raises(CommandError, match="short.key holds no masking key"):
            mask_key()


@pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)
def test_a_new_column_in_production_is_refused_naming_it(tmp_path):
    """A column production added to a table with personal data has no rule: refused
    before a byte is copied (the snapshot stays as it was)."""
    dump = tmp_path / "production.sqlite3"
    build_dump(dump, read_fixture("shop/fixtures/demo.snapshot.json"))
    with closing(sqlite3.connect(dump)) as db, db:
        db.execute("ALTER TABLE reviews_reviewer ADD COLUMN phone text DEFAULT '555-0100'")
    with pytest.raises(CommandError, match=r"reviews_reviewer\.phone has no masking rule"):
        call_command("take_snapshot", "--from", dump)
    assert Reviewer.objects.count() == 0


def test_a_field_with_no_rule_fails_the_system_checks():
    masks = {"reviews.Reviewer": {"name": "name", "email": "email", "password": "hash"}}
    with override_settings(SNAPSHOT_MASKS=masks):
        [error] = check_snapshot_masks()
    assert error.id == "shop.E004" and "no rule for address" in error.msg


def test_an_unknown_rule_fails_the_system_checks():
    rules = {"name": "scramble", "email": "email", "password": "hash", "address": "blank"}
    with override_settings(SNAPSHOT_MASKS={"reviews.Reviewer": rules}):
        [error] = check_snapshot_masks()
    assert error.id == "shop.E005" and "'scramble'" in error.msg
