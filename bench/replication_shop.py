"""The shop replication's figures run on: set up, given reviews, and copied."""

from io import StringIO

from .data import add_admin, review_fields


def replicate():
    from django.core.management import call_command

    call_command("replicate", stdout=StringIO())


def prepare():
    from django.core.management import call_command

    from common.sqlite import create_database_file
    from products.models import Product
    from shop.pinning import use_primary

    create_database_file("default")  # the settings' "?mode=rw" never creates one
    call_command("migrate", database="default", verbosity=0)
    with use_primary():
        Product.objects.bulk_create(Product(name=f"Product {n}") for n in range(1, 6))
    return add_admin()


def add_reviews(count, admin, seed, words=6):
    from products.models import Product
    from reviews.models import Review
    from shop.pinning import use_primary

    with use_primary():
        products = list(Product.objects.values_list("pk", flat=True))
    fields = review_fields(count, products, admin.pk, seed, words)
    Review.objects.bulk_create((Review(**review) for review in fields), batch_size=1000)
