"""The bucket map is read once per request, not once per lookup, and a move is seen at
the next request; writes still confirm against the map on "default"."""

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction, sync_to_async
from django.db import connections
from django.test.utils import CaptureQueriesContext

from reviews.models import Review
from shop import bucket_map, resharding
from shop.bucket_map import BucketMapMiddleware
from shop.models import MapVersion
from shop.routers import ShardRouter
from shop.sharding import BucketMoving, bucket_for_product

from .helpers import (
    EVERY_DATABASE,
    create_author,
    create_product,
    create_review,
    holders,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


def in_one_request(rf, work):
    """Run `work` as a view would, inside the middleware's request."""
    return BucketMapMiddleware(lambda request: work())(rf.get("/"))


def queries_on_default(work):
    with CaptureQueriesContext(connections["default"]) as default:
        work()
    return [query["sql"] for query in default]


def moved_by_another_process(bucket, target):
    """What `reshard` in another process does to the map: this process is not told."""
    with connections["default"].cursor() as cursor:
        cursor.execute("UPDATE shop_bucket SET shard = %s WHERE number = %s", [target, bucket])
        cursor.execute("UPDATE shop_mapversion SET number = number + 1")


@pytest.fixture
def reviews():
    author = create_author()
    return [create_review(create_product(f"Product {n}"), author) for n in range(10)]


def test_a_request_reads_the_map_once_however_many_lookups(rf, reviews):
    """Ten reviews found by id in one request: one read of the map, at the first."""

    def lookups():
        for review in reviews:
            Review.objects.for_id(review.pk).get()

    assert len(queries_on_default(lambda: in_one_request(rf, lookups))) == 1


def test_an_async_request_reads_the_map_once_however_many_lookups(rf, reviews):
    """Around an async view the middleware stays async, and each query's thread shares
    the request's map."""

    async def view(request):
        for review in reviews:  # for_id() may read the map: a query, so in a thread
            await (await sync_to_async(Review.objects.for_id)(review.pk)).aget()

    middleware = BucketMapMiddleware(view)
    assert iscoroutinefunction(middleware)
    assert len(queries_on_default(lambda: async_to_sync(middleware)(rf.get("/")))) == 1


def test_saving_in_a_request_reads_the_map_once_for_router_and_save(rf):
    """The router and save() ask the same lookup: one read of the map, one confirmation."""
    review = Review(product_id=create_product().pk, author_id=create_author().pk, text="x")

    def route_and_save():
        ShardRouter().db_for_write(Review, instance=review)
        review.save()
        ShardRouter().db_for_read(Review, instance=review)

    assert len(queries_on_default(lambda: in_one_request(rf, route_and_save))) == 2


def test_outside_a_request_a_fresh_map_is_not_read_again(reviews):
    """In the shell or a command, the map is checked at most once every MAX_AGE seconds."""
    Review.objects.for_id(reviews[0].pk).get()
    assert queries_on_default(lambda: Review.objects.for_id(reviews[1].pk).get()) == []


def test_a_move_bumps_the_map_version(reviews):
    review = reviews[0]
    before = MapVersion.objects.get().number
    resharding.mark(review.bucket, "shard4")
    assert MapVersion.objects.get().number == before + 1


def test_the_next_request_sees_a_move_made_by_another_process(client, reviews):
    review = reviews[0]
    client.get(f"/reviews/{review.pk}/")
    resharding.copy(review.bucket, review._state.db, "shard4")
    moved_by_another_process(review.bucket, "shard4")
    assert client.get(f"/reviews/{review.pk}/").context["shard"] == "shard4"


def test_outside_a_request_a_move_is_seen_once_the_map_is_due(monkeypatch, reviews):
    """A shell does not keep a map forever: past MAX_AGE it checks the version again."""
    review = reviews[0]
    Review.objects.for_id(review.pk).get()
    resharding.copy(review.bucket, review._state.db, "shard4")
    moved_by_another_process(review.bucket, "shard4")
    monkeypatch.setattr(bucket_map, "MAX_AGE", 0)
    assert Review.objects.for_id(review.pk).get()._state.db == "shard4"


def test_a_write_from_a_stale_map_is_refused_not_misplaced(reviews):
    """This process's map says shard1, the map on "default" says moved: the write confirms
    against "default" and rolls back, so no row lands where no page looks."""
    product = create_product("Not yet reviewed")
    bucket = bucket_for_product(product.pk)
    assert bucket_map.shard_for(bucket) != "shard4"  # the map this process now keeps
    moved_by_another_process(bucket, "shard4")
    review = Review(product_id=product.pk, author_id=reviews[0].author_id, text="Late.")
    with pytest.raises(BucketMoving, match="has just moved to shard4"):
        review.save()
    assert holders(review.pk) == []


def test_after_a_refused_write_the_retry_reads_the_new_map(reviews):
    """ "Try again" means it: the refusal drops this process's out-of-date map."""
    product = create_product("Not yet reviewed")
    bucket_map.shard_for(bucket_for_product(product.pk))
    moved_by_another_process(bucket_for_product(product.pk), "shard4")
    review = Review(product_id=product.pk, author_id=reviews[0].author_id, text="Late.")
    with pytest.raises(BucketMoving):
        review.save()
    review.pk = None
    review.save()
    assert holders(review.pk) == ["shard4"]


def test_the_admin_list_reads_the_map_once(admin_client, reviews):
    """Its shard filter asks the map twice (the choices, the rows): the request's map."""
    sql = queries_on_default(lambda: admin_client.get("/admin/reviews/review/?shard=shard2"))
    assert sum("shop_bucket" in query or "shop_mapversion" in query for query in sql) == 1
