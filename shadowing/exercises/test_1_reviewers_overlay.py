"""Exercise 1: reviewers switched from "snapshot" to "overlay" mode, with copy-on-write."""

import pytest
from tests.helpers import rows_per_alias, snapshot_checksum, snapshot_rows

from reviews.models import Reviewer

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def erin():
    """A reviewer of production's, in the snapshot."""
    snapshot_rows(Reviewer(pk=9, name="Erin", email="erin@example.org", password="!"))
    return Reviewer.objects.get(pk=9)


def test_editing_a_production_reviewer_copies_it_to_default(erin):
    """Saving an edited reviewer of the snapshot writes a copy on "default"."""
    erin.name = "Erin Lurker"
    erin.save()
    assert Reviewer._base_manager.using("default").get(pk=9).name == "Erin Lurker"


def test_the_snapshot_keeps_production_s_version(erin):
    """The edit leaves the snapshot's bytes as they were."""
    before = snapshot_checksum()
    erin.name = "Erin Lurker"
    erin.save()
    assert snapshot_checksum() == before


def test_reads_see_the_local_version_over_production_s(erin):
    """After the edit, an ordinary read returns the local copy, not the snapshot's row."""
    erin.name = "Erin Lurker"
    erin.save()
    assert Reviewer.objects.get(pk=9).name == "Erin Lurker"


def test_a_new_reviewer_is_stored_locally_and_read_beside_production_s(erin):
    """A new reviewer lands on "default", and a count sees both."""
    Reviewer.objects.create(name="Frank", email="frank@example.org", password="!")
    assert rows_per_alias(Reviewer) == {"default": 1, "snapshot": 1}
    assert Reviewer.objects.count() == 2
