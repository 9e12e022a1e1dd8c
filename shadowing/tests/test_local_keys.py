"""New local rows take keys from a sequence above LOCAL_KEYS_START; production's never reach it."""

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Review
from shop.dumps import build_dump
from shop.shadow import LOCAL_KEYS_START

from .helpers import snapshot_checksum

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


def test_a_dump_whose_keys_reach_the_local_range_is_refused(tmp_path):
    """Its row would be taken for one made here, and could take a local row's key."""
    dump, before = tmp_path / "production.sqlite3", snapshot_checksum()
    build_dump(dump, [Review(pk=LOCAL_KEYS_START, product_id=1, author_id=1, text="Far.")])
    with pytest.raises(CommandError, match=f"reviews_review has keys up to {LOCAL_KEYS_START}"):
        call_command("take_snapshot", "--from", dump)
    assert snapshot_checksum() == before
