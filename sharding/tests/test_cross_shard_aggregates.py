"""COUNT(DISTINCT), medians and top-N per group do not add up across shards: an author's
reviews are on every shard. Each needs its own merge (reviews/shards.py adds counts and
sums, which do add up)."""

import statistics
from collections import Counter

import pytest
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from reviews.models import Review
from reviews.shards import FanOut

from .helpers import EVERY_DATABASE, SHARDS, create_author, create_review, product_on

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


@pytest.fixture
def written():
    """alice reviews a product on each of shard1 to shard3, bob and carol on one each:
    ratings 1 2 3 on shard1, 5 4 5 5 on shard2, 5 on shard3."""
    alice, bob, carol = (create_author(name) for name in ["alice", "bob", "carol"])
    on = {shard: product_on(shard)[0] for shard in SHARDS[:3]}
    create_review(on["shard1"], alice, rating=1)
    for rating in [2, 3]:
        create_review(on["shard1"], bob, rating=rating)
    create_review(on["shard2"], alice, rating=5)
    for rating in [4, 5, 5]:
        create_review(on["shard2"], carol, rating=rating)
    create_review(on["shard3"], alice, rating=5)
    return alice


def every_row():
    """Every review of every shard, in one list: what one database would hold."""
    return [review for shard in SHARDS for review in Review._base_manager.using(shard)]


def per_shard(query):
    """[query(a shard's reviews)], one query per shard that holds buckets."""
    fanout = FanOut()
    return fanout.each(lambda shard: query(fanout.reviews_on(shard)))


def test_summing_each_shards_distinct_authors_overcounts(written):
    """alice is counted once on each of three shards: 2 + 2 + 1, not 3."""
    counts = per_shard(lambda reviews: reviews.aggregate(n=Count("author_id", distinct=True))["n"])
    assert sum(counts) == 5
    assert len({review.author_id for review in every_row()}) == 3


def test_merging_each_shards_distinct_authors_counts_each_once(written):
    """The right way: each shard sends its distinct values, and the union is counted."""
    found = per_shard(lambda reviews: set(reviews.values_list("author_id", flat=True).distinct()))
    assert len(set().union(*found)) == len({review.author_id for review in every_row()})


def test_the_median_of_each_shards_median_is_wrong(written):
    """Medians 2, 5 and 5 give 5; the median of the eight ratings is 4.5."""
    medians = per_shard(lambda reviews: statistics.median(reviews.values_list("rating", flat=True)))
    assert statistics.median(medians) == 5
    assert statistics.median(review.rating for review in every_row()) == 4.5


def median_of(counts):
    """The median of values given as {value: how many times}, without listing them."""
    ordered, total = sorted(counts.items()), counts.total()

    def nth(n):  # the n-th value, from 0, in order
        for value, times in ordered:
            if n < times:
                return value
            n -= times

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def test_each_shards_counts_per_rating_add_up_to_the_median(written):
    """The right way for ratings 1 to 5: counts add up across shards, and the median is
    read from the sum (a value with many possible values needs them all sent instead)."""
    counts = per_shard(
        lambda reviews: Counter(dict(reviews.values_list("rating").annotate(Count("pk"))))
    )
    assert median_of(sum(counts, Counter())) == statistics.median(r.rating for r in every_row())


def best_two_per_author(reviews):
    """Each author's two best reviews on one shard (highest rating, then newest id)."""
    order = [F("rating").desc(), F("pk").desc()]
    ranked = reviews.annotate(rank=Window(RowNumber(), partition_by="author_id", order_by=order))
    return [(r.author_id, r.rating, r.pk) for r in ranked.filter(rank__lte=2).order_by()]


def best_two(rows):
    """{author: [ids of their two best reviews]}, from (author, rating, id) rows."""
    by_author = {}
    for author, _, pk in sorted(rows, key=lambda row: (-row[1], -row[2])):
        by_author.setdefault(author, []).append(pk)
    return {author: pks[:2] for author, pks in by_author.items()}


def test_each_shards_top_two_per_author_are_too_many_together(written):
    """alice is in the top two of each shard: three reviews, not two."""
    rows = [row for found in per_shard(best_two_per_author) for row in found]
    assert sum(author == written.pk for author, _, _ in rows) == 3


def test_each_shards_top_two_per_author_merged_then_cut_are_right(written):
    """The right way: a review in an author's top two overall is in its shard's top two,
    so each shard sends its top two per author, and the merge keeps the best two."""
    rows = [row for found in per_shard(best_two_per_author) for row in found]
    assert best_two(rows) == best_two((r.author_id, r.rating, r.pk) for r in every_row())
