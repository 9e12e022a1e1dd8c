"""Django's own dumpdata, on shadowed models: the rows the site shows, or one database's."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from products.models import Product

from .helpers import snapshot_product

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def products():
    """Snapshot products 1, 2 and 3; locally, 1 edited, 2 deleted and one added."""
    kettle, dripper, _ = [snapshot_product(pk, name) for pk, name in enumerate("ABC", 1)]
    kettle.description = "Now in black."
    kettle.save()
    dripper.delete()
    return Product.objects.create(name="Milk jug")


def dumpdata(*args):
    output = StringIO()
    call_command("dumpdata", *args, stdout=output)
    return {(row["model"], row["pk"]): row["fields"] for row in json.loads(output.getvalue())}


def products_in(dumped):
    """The products' keys, without the snapshot versions kept beside them (shop/originals.py)."""
    return [key for label, key in dumped if label == "products.product"]


def test_dumpdata_dumps_the_merged_rows_the_site_shows(products):
    """dumpdata reads through the default manager (Django's tests/fixtures_regress:
    test_dumpdata_uses_default_manager), here the overlay: both databases, merged."""
    dumped = dumpdata("products")
    assert products_in(dumped) == [row.pk for row in Product.objects.order_by("pk")]
    assert products_in(dumped) == [1, 3, products.pk]
    assert dumped["products.product", 1]["description"] == "Now in black."


def test_dumpdata_all_dumps_the_local_rows_only(products):
    """--all reads through the base manager (Django's tests/fixtures:
    test_dumpdata_with_filtering_manager): the rows "default" itself holds."""
    assert products_in(dumpdata("products", "--all")) == [1, products.pk]


def test_dumpdata_of_the_whole_site_holds_the_tombstones_beside_the_merged_rows(products):
    """The whole site's dump: the merged products, and the tombstone of the deleted one."""
    dumped = dumpdata()
    assert [
        fields["object_pk"] for (label, _), fields in dumped.items() if label == "shop.tombstone"
    ] == [2]
    assert ("products.product", 2) not in dumped
    assert ("products.product", 3) in dumped


def test_dumpdata_of_the_snapshot_dumps_nothing(products):
    """dumpdata skips what the router does not allow_migrate there: the snapshot has none."""
    assert dumpdata("products", "--all", "--database=snapshot") == {}
