"""take_snapshot --subset: a few products and every row around them, read where it
physically is (the snapshot), each reference resolving."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from products.models import Product
from reviews.models import Review, Reviewer
from shop.dumps import build_dump, read_fixture

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


@pytest.fixture
def dump(tmp_path):
    """The demo's production dump, and one reviewer who wrote nothing."""
    rows = read_fixture("shop/fixtures/demo.snapshot.json")
    lurker = Reviewer(pk=9, name="Erin Lurker", email="erin@example.org", password="!")
    build_dump(tmp_path / "production.sqlite3", [*rows, lurker])
    return tmp_path / "production.sqlite3"


def in_snapshot(model):
    return model._base_manager.using("snapshot")


def test_a_subset_takes_the_products_their_reviews_and_their_authors(dump):
    output = StringIO()
    call_command("take_snapshot", "--from", dump, "--subset", "2", stdout=output)
    assert set(in_snapshot(Product).values_list("pk", flat=True)) == {1, 2}
    reviews = in_snapshot(Review).values_list("product_id", flat=True)
    assert set(reviews) == {1, 2} and len(reviews) == 25 + 7
    assert "subset: 2 products, 32 reviews, 4 reviewers, and nothing else" in output.getvalue()


def test_every_reference_in_a_subset_resolves(dump):
    call_command("take_snapshot", "--from", dump, "--subset", "1", stdout=StringIO())
    products = set(in_snapshot(Product).values_list("pk", flat=True))
    reviewers = set(in_snapshot(Reviewer).values_list("pk", flat=True))
    for product_id, author_id in in_snapshot(Review).values_list("product_id", "author_id"):
        assert product_id in products and author_id in reviewers
    assert 9 not in reviewers  # no review of the subset points at the lurker


def test_a_subset_of_no_products_is_refused(dump):
    with pytest.raises(CommandError, match="--subset 0: give a number of products"):
        call_command("take_snapshot", "--from", dump, "--subset", "0")
