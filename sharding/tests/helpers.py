from django.contrib.auth import get_user_model
from django.db import connections

from products.models import Product
from reviews.models import Review

ALIASES = list(connections)


def create_product(name="Burr grinder"):
    return Product.objects.create(name=name, description=f"A {name.lower()}.")


def create_author(username="alice"):
    return get_user_model().objects.create_user(username)  # no password: no hashing


def create_review(product, author, rating=4, text="Does the job."):
    return Review.objects.create(
        product_id=product.pk, author_id=author.pk, rating=rating, text=text
    )


def rows_per_alias(model):
    """How many rows of the model each database physically holds."""
    return {
        alias: model._base_manager.using(alias).count()
        for alias in ALIASES
        if model._meta.db_table in connections[alias].introspection.table_names()
    }


def panel_part(response, this_page=True):
    """The panel's HTML for this page, or for the request that was redirected here."""
    html = response.content.decode()
    before, _, this = html.partition('class="db-request db-this-page"')
    return this if this_page else before


def panel_section(response, alias, this_page=True):
    """The panel's HTML for one alias."""
    part = panel_part(response, this_page)
    return part.split(f'data-alias="{alias}"', 1)[1].split("</details>")[0]


def panel_counts(response):
    """{alias: statements} as the database panel at the foot of the page reports them."""
    html = panel_part(response)
    return {
        alias: int(html.split(f'data-alias="{alias}" data-count="', 1)[1].split('"', 1)[0])
        for alias in ALIASES
    }


def admin_review_form(**fields):
    """What the admin's add and change pages post for a review: pass product_id, author_id."""
    form = {
        "rating": "3",
        "text": "Changed my mind.",
        "created_0": "2026-05-01",
        "created_1": "10:00:00",
    }
    return form | fields
