"""The overlay against a reference: random edits, adds and deletes over a random snapshot,
then the same queries on the overlay and on one database holding the merged rows.

The merged rows are worked out here, in plain Python, from the edits; then they alone
are put into the snapshot's table and queried there, as one ordinary database.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.paginator import Paginator

from reviews.models import Review
from shop.models import Tombstone

from .helpers import snapshot_rows

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])
WORDS = ["fine", "loud", "great", "odd", "Quiet"]
START = datetime(2026, 6, 1, tzinfo=UTC)
QUERIES = {
    "all": lambda q: q.all(),
    "rated 4": lambda q: q.filter(rating=4),
    "no rating": lambda q: q.filter(rating__isnull=True),
    "not product 2": lambda q: q.exclude(product_id=2),
    "great or loud, by rating": lambda q: q.filter(text__in=["great", "loud"]).order_by(
        "rating", "pk"
    ),
    "rated 3+, newest first, 3:9": lambda q: q.filter(rating__gte=3)[3:9],
    "by product, text, pk desc": lambda q: q.order_by("product_id", "text", "-pk"),
    "by rating desc, first 5": lambda q: q.order_by("-rating", "pk")[:5],
    "from the 10th": lambda q: q.order_by("created", "pk")[10:],
    "the 7th": lambda q: [q.order_by("pk")[7]],
}
COUNTS = {
    "count": lambda q: q.count(),
    "count rated 2": lambda q: q.filter(rating=2).count(),
    # "update" moves rows between products: a count must follow them out and in.
    "count product 3": lambda q: q.filter(product_id=3).count(),
    "count not product 1, rated 3+": lambda q: (
        q.exclude(product_id=1).filter(rating__gte=3).count()
    ),
    "count of a slice": lambda q: q.filter(product_id=1)[2:6].count(),
    "exists product 4 rated 5": lambda q: q.filter(product_id=4, rating=5).exists(),
}


def random_fields(rng):
    return {
        "product_id": rng.randint(1, 4),
        "author_id": 1,
        "rating": rng.choice([None, 1, 2, 3, 4, 5]),
        "text": rng.choice(WORDS),
        "created": START + timedelta(days=rng.randint(0, 9)),  # ties, broken by pk
    }


def edit_through_the_overlay(rng, merged, keys=None):
    """One random change through the ORM, to one of `keys` (any row if None); the same
    change to `merged` ({pk: fields})."""
    kinds = ["edit", "update", "add", "delete", "delete all"]
    kind = rng.choice(kinds)
    pk = rng.choice([k for k in keys or () if k in merged] or [*merged])
    fields = random_fields(rng)
    if kind == "edit":
        review = Review.objects.get(pk=pk)
        review.rating, review.text = fields["rating"], fields["text"]
        review.save()
        merged[pk] |= {"rating": fields["rating"], "text": fields["text"]}
    elif kind == "update":
        Review.objects.filter(pk=pk).update(product_id=fields["product_id"])
        merged[pk]["product_id"] = fields["product_id"]
    elif kind == "add":
        merged[Review.objects.create(**fields).pk] = fields
    elif kind == "delete":
        Review.objects.get(pk=pk).delete()
        del merged[pk]
    else:
        product = fields["product_id"]
        Review.objects.filter(product_id=product, rating=fields["rating"]).delete()
        for key in [k for k, f in merged.items() if f["product_id"] == product]:
            if merged[key]["rating"] == fields["rating"]:
                del merged[key]


def answers(queryset):
    shown = {}
    for name, query in QUERIES.items():
        rows = query(queryset)
        shown[name] = [(r.pk, r.product_id, r.rating, r.text, r.created) for r in rows]
    return shown | {name: query(queryset) for name, query in COUNTS.items()}


def pages(queryset, per_page=7):
    """Every page of three queries as Paginator shows them: count, page count, rows."""
    shown = {}
    queries = {
        "newest": queryset.all(),
        "product 2": queryset.filter(product_id=2),
        "rated 3+, by rating": queryset.filter(rating__gte=3).order_by("rating", "pk"),
    }
    for name, query in queries.items():
        paginator = Paginator(query, per_page)
        shown[name] = (paginator.count, paginator.num_pages)
        for number in paginator.page_range:
            shown[name, number] = [(r.pk, r.product_id, r.rating) for r in paginator.page(number)]
    return shown


def replace_snapshot_with(merged):
    Review._base_manager.using("snapshot").all().delete()
    snapshot_rows(*(Review(pk=pk, **fields) for pk, fields in merged.items()))


@pytest.mark.parametrize("seed", range(25))
def test_overlay_answers_as_one_database_would(seed):
    rng = random.Random(seed)
    merged = {pk: random_fields(rng) for pk in range(1, rng.randint(12, 30))}
    snapshot_rows(*(Review(pk=pk, **fields) for pk, fields in merged.items()))
    for _ in range(rng.randint(5, 25)):
        if merged:
            edit_through_the_overlay(rng, merged)
    through_overlay = answers(Review.objects.all())
    Review._base_manager.using("default").all().delete()
    Tombstone.objects.all().delete()
    replace_snapshot_with(merged)
    assert through_overlay == answers(Review._base_manager.using("snapshot").all())


@pytest.mark.parametrize("seed", range(10))
def test_pages_answer_as_one_database_would_after_a_run_of_changes_at_the_top(seed):
    """Most of the newest snapshot rows changed, moved out of a filter or deleted: the
    overlay reads more chunks of the snapshot, and its pages and counts stay one
    database's."""
    rng = random.Random(seed)
    merged = {pk: random_fields(rng) for pk in range(1, 121)}
    for pk, fields in merged.items():
        fields["created"] = START + timedelta(minutes=pk)  # the highest key is the newest
    snapshot_rows(*(Review(pk=pk, **fields) for pk, fields in merged.items()))
    for _ in range(60):
        edit_through_the_overlay(rng, merged, keys=range(80, 121))
    through_overlay = pages(Review.objects)
    Review._base_manager.using("default").all().delete()
    Tombstone.objects.all().delete()
    replace_snapshot_with(merged)
    assert through_overlay == pages(Review._base_manager.using("snapshot"))
