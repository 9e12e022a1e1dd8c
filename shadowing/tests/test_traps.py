"""The README's traps, replayed on the demo data (the read-only halves: test_snapshot_file.py,
and test_readonly_postgres.py on PostgreSQL).

Transactional, as the walkthrough: the demo snapshot is installed into the test file.
"""

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.utils import ConnectionRouter

from reviews.models import Review

pytestmark = pytest.mark.django_db(
    databases=["default", "snapshot"], transaction=True, reset_sequences=True
)


def test_trap_saves_are_sticky_without_the_router(demo):
    """In tests the snapshot is writable: the read-only half is in the files named above."""
    review = Review.objects.get(pk=3)
    assert review._state.db == "snapshot"
    assert ConnectionRouter([]).db_for_write(Review, instance=review) == "snapshot"
    review.save()
    assert review._state.db == "default"


def test_trap_a_key_the_database_picks_hides_a_production_row(demo):
    [mine] = Review._base_manager.using("default").bulk_create(
        [Review(product_id=1, author_id=1, text="Mine.")]
    )
    assert mine.pk == 1
    assert (Review.objects.get(pk=1).text, Review.objects.get(pk=1).origin) == (
        "Mine.",
        "changed locally",
    )


def test_trap_a_naive_merge_finds_a_stale_copy(demo):
    review = Review.objects.get(pk=3)
    review.rating = 1
    review.save()
    assert 3 in [r.pk for r in Review._base_manager.using("snapshot").filter(rating=4)]
    assert 3 not in [r.pk for r in Review.objects.filter(rating=4)]


def test_trap_the_overlay_asks_default_which_keys_of_a_chunk_it_claims(demo):
    """After steps 4 (review 2 deleted) and the edit of review 3: those two, of four."""
    Review.objects.get(pk=2).delete()
    review = Review.objects.get(pk=3)
    review.rating = 1
    review.save()
    assert Review.objects.all().claimed_among([1, 2, 3, 4]) == {2, 3}


def test_trap_the_overlay_does_no_sql_across_both_databases(demo):
    with pytest.raises(AttributeError, match="'Overlay' object has no attribute 'aggregate'"):
        Review.objects.aggregate()


def test_trap_migrate_puts_no_table_in_the_snapshot(demo):
    """Here the test database is writable; on settings.py's read-only entry, migrate stops
    (the files named above)."""
    call_command("migrate", database="snapshot", verbosity=0)
    tables = connections["snapshot"].introspection.table_names()
    assert "auth_user" not in tables
    assert "django_content_type" not in tables
