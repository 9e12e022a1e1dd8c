import pytest

from reviews.models import Review
from shop.bucket_map import forget
from shop.down_shards import DOWN
from shop.ids import allocator
from shop.models import Bucket, MapVersion, Ticket
from shop.sharding import initial_layout

from .helpers import create_author, create_product

FIRST_SHARDS = ["shard1", "shard2", "shard3"]


@pytest.fixture(autouse=True)
def bucket_map(request):
    """Every test starts from the migration's map, version and ticket, a fresh id block,
    and no map kept from another test.

    Transactional tests empty every table afterwards, the migration's rows included,
    so they are put back here when missing.
    """
    allocator.reset()
    forget()
    DOWN.down.clear()
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        if not Bucket.objects.exists():
            layout = initial_layout(FIRST_SHARDS)
            Bucket.objects.bulk_create(Bucket(number=n, shard=s) for n, s in layout.items())
        MapVersion.objects.get_or_create(pk=1)
        if "tickets" in request.node.get_closest_marker("django_db").kwargs.get("databases", ()):
            Ticket.objects.get_or_create(name="reviews")
    yield
    allocator.reset()


@pytest.fixture
def reviews():
    """3 000 reviews of 600 products, over every bucket of the first three shards."""
    author = create_author()
    products = [create_product(f"Product {n}") for n in range(600)]
    return Review.objects.bulk_create(
        Review(product_id=products[n % 600].pk, author_id=author.pk, text=f"#{n}", rating=n % 5 + 1)
        for n in range(3000)
    )


@pytest.fixture
def coordinator(bucket_map):
    """The postgres_fdw coordinator built from the map the test starts with, its
    connections to the shards closed afterwards."""
    from shop.coordinator import hang_up, rebuild

    yield rebuild()
    hang_up()
