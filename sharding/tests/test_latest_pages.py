"""Latest reviews, page by page: "older than the last review shown", never a page number.

Each page must be the slice one database would show, whatever the shards hold: checked
over random reviews, products and times, walking to either end.
"""

import random
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from reviews.models import Review

from .helpers import EVERY_DATABASE, create_author, create_product, product_on, reviews_at

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


def seed(count, rng, instants=None):
    """`count` reviews of random products across the shards, at random times: with
    `instants`, drawn from that many, so that many reviews share their time."""
    author, start = create_author(), timezone.now().replace(microsecond=0)
    products = [create_product(f"Product {n}") for n in range(12)]
    spread = instants or count or 1
    times = [start - timedelta(seconds=n, microseconds=n % 3 * 250_001) for n in range(spread)]
    return Review.objects.bulk_create(
        Review(
            product_id=rng.choice(products).pk,
            author_id=author.pk,
            text=f"#{n}",
            created=rng.choice(times),
        )
        for n in range(count)
    )


def one_database(reviews):
    """The ids in the order one database gives: newest first, the id breaking ties."""
    return [r.pk for r in sorted(reviews, key=lambda r: (r.created, r.pk), reverse=True)]


def ids(response):
    return [review.pk for review in response.context["page"].reviews]


def walk(client, link_name, response):
    """The responses reached by following one link (older or newer) to its end."""
    while response.context[link_name]:
        response = client.get(response.context[link_name])
        assert response.status_code == 200
        yield response


@pytest.mark.parametrize("number", range(10))
def test_walking_older_then_newer_gives_one_databases_pages(client, number):
    """Over random data, with ties on created (and whole seconds, which SQLite stores
    without a fraction), every page going older is one database's next 20, and walking
    newer from the last page gives the same pages back, up to the newest (DRF's
    CursorPagination walks forward to the end and back to the start)."""
    rng = random.Random(number)
    count = rng.choice([rng.randint(0, 100), 20 * rng.randint(1, 4)])  # some end on a page
    reference = one_database(seed(count, rng, instants=rng.choice([None, 3, 15])))
    first = client.get("/reviews/")
    older = [first, *walk(client, "older_url", first)]
    pages = [ids(response) for response in older]
    assert pages == [reference[n : n + 20] for n in range(0, max(len(reference), 1), 20)]
    newer = [ids(response) for response in walk(client, "newer_url", older[-1])]
    assert newer == pages[-2::-1]


def test_the_newest_page_has_no_newer_link_and_the_last_no_older(client):
    """At either end the link that would lead nowhere is left out
    (django-cursor-pagination: has_previous false on the first page, has_next on the last)."""
    seed(45, random.Random(1))
    first = client.get("/reviews/")
    *_, last = walk(client, "older_url", first)
    *_, top = walk(client, "newer_url", last)
    assert (first.context["newer_url"], first.context["older_url"] is not None) == (None, True)
    assert (last.context["older_url"], last.context["newer_url"] is not None) == (None, True)
    assert (top.context["newer_url"], ids(top)) == (None, ids(first))


@pytest.mark.parametrize("count", [0, 20])
def test_one_page_or_less_has_no_links(client, count):
    """No rows, or exactly one page of them: no older page (django-cursor-pagination's
    TestNoArgs: 20 items on a page of 20 have no next page)."""
    seed(count, random.Random(count))
    response = client.get("/reviews/")
    assert len(ids(response)) == count
    assert (response.context["newer_url"], response.context["older_url"]) == (None, None)


def test_a_shard_with_no_reviews_adds_none_and_the_others_interleave(client):
    """shard1 holds no reviews, shard2 and shard3 take turns by date: the page is theirs,
    newest first, merged (ShardingSphere's OrderByStreamMergedResultTest,
    assertNextForSomeResultSetsEmpty)."""
    reviews = reviews_at(product_on("shard2")[0], range(0, 30, 2))
    reviews += reviews_at(product_on("shard3")[0], range(1, 30, 2))
    assert ids(client.get("/reviews/")) == one_database(reviews)[:20]


def test_a_review_written_meanwhile_does_not_shift_the_older_pages(client):
    """Older stays the next 20 of the list that was read, however many reviews arrive
    on top (DRF's CursorPagination: no item shown twice when new ones are inserted), where
    page 2 by number would show page 1's last review again."""
    reviews = seed(45, random.Random(6))
    first = client.get("/reviews/")
    newest = reviews[0]
    Review(product_id=newest.product_id, author_id=newest.author_id, text="New.").save()
    assert ids(client.get(first.context["older_url"])) == one_database(reviews)[20:40]


def test_an_old_first_page_link_leads_to_the_newest_page(client):
    reference = one_database(seed(30, random.Random(3)))
    response = client.get("/reviews/?page=1", follow=True)
    assert response.redirect_chain == [("/reviews/", 301)]
    assert ids(response) == reference[:20]


def test_an_old_deeper_page_link_leads_to_the_newest_page_and_says_why(client):
    reference = one_database(seed(30, random.Random(4)))
    response = client.get("/reviews/?page=2", follow=True)
    assert response.redirect_chain == [("/reviews/", 302)]
    assert ids(response) == reference[:20]
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("Pages are no longer numbered")


def test_a_cursor_keeps_the_microseconds_and_the_time_zone(client):
    """Reviews a microsecond apart, and a cursor written in another zone: the page
    starts exactly after the review the cursor names."""
    author, product, start = create_author(), create_product(), timezone.now()
    times = [start, start, start - timedelta(microseconds=1), start - timedelta(microseconds=2)]
    reference = one_database(
        Review.objects.bulk_create(
            Review(product_id=product.pk, author_id=author.pk, text="Same time.", created=t)
            for t in times
        )
    )
    cursor = Review.objects.for_id(reference[1]).get()
    elsewhere = cursor.created.astimezone(timezone.get_fixed_timezone(-330))
    query = urlencode({"older": f"{elsewhere.isoformat()}~{cursor.pk}"})
    assert ids(client.get(f"/reviews/?{query}")) == reference[2:]
