"""Exercise 4: a read with a product_id hint goes to that product's shard."""

import pytest
from tests.helpers import EVERY_DATABASE, create_author, create_review, product_on

from products.models import Product
from reviews.models import Review
from shop.bucket_map import shard_for
from shop.routers import ShardRouter
from shop.sharding import WrongShard, bucket_for_product

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
router = ShardRouter()


def test_a_product_hint_names_the_products_shard():
    """db_for_read(Review, product_id=...) is the shard of the product's bucket."""
    product = product_on("shard2")[0]
    assert router.db_for_read(Review, product_id=product.pk) == "shard2"


def test_a_query_with_the_hint_reads_the_products_reviews_there():
    """db_manager(hints=...) queries run on the shard, and find the product's reviews."""
    product = product_on("shard3")[0]
    create_review(product, create_author())
    reviews = Review.objects.db_manager(hints={"product_id": product.pk})
    [review] = reviews.filter(product_id=product.pk)
    assert review._state.db == shard_for(bucket_for_product(product.pk)) == "shard3"


def test_the_hint_decides_nothing_for_other_models():
    """A product read with the hint still gets no opinion from the router."""
    assert router.db_for_read(Product, product_id=1) is None


def test_without_the_hint_a_query_is_still_refused():
    """No instance and no hint: the router has nothing to go by, and the query is refused."""
    with pytest.raises(WrongShard):
        list(Review.objects.filter(product_id=1))
