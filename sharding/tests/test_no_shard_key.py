"""A review query that gives nothing to route by is refused, naming the fix, before any
database is asked: never "no such table" from "default"."""

import pytest

from reviews.models import Review
from shop.sharding import WrongShard

from .helpers import EVERY_DATABASE, create_author, create_product, create_review, rows_per_shard

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
NO_KEY = r"for_product\(product_id\).*for_id\(review_id\).*FanOut.*using\(shard\)"

UNROUTED = {
    "count": lambda: Review.objects.count(),
    "exists": lambda: Review.objects.exists(),
    "filter by product": lambda: list(Review.objects.filter(product_id=2)),
    "get": lambda: Review.objects.get(pk=2499),
    "get_or_create": lambda: Review.objects.get_or_create(product_id=2, author_id=1, text="x"),
    "create": lambda: Review.objects.create(product_id=2, author_id=1, text="x"),
    "update": lambda: Review.objects.filter(product_id=2).update(text="y"),
    "delete": lambda: Review.objects.filter(product_id=2).delete(),
}


@pytest.mark.parametrize("query", UNROUTED.values(), ids=UNROUTED)
def test_a_query_without_a_shard_key_is_refused_with_the_fix(query):
    with pytest.raises(WrongShard, match=NO_KEY):
        query()


@pytest.mark.parametrize("query", UNROUTED.values(), ids=UNROUTED)
def test_a_refused_query_writes_nothing(query):
    kept = create_review(create_product(), create_author(), text="kept")
    with pytest.raises(WrongShard):
        query()
    assert sum(rows_per_shard().values()) == 1
    assert Review.objects.for_id(kept.pk).get().text == "kept"


def test_a_query_that_names_its_shard_still_runs():
    review = create_review(create_product(), create_author())
    assert Review.objects.using(review._state.db).count() == 1
    assert Review.objects.for_product(review.product_id).get() == review
