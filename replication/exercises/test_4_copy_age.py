"""Exercise 4: a page read from a replica says how old its copy is."""

import pytest
from tests.helpers import ALIASES, create_author, make_replica_lag

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
MISSING = "copy_age is not in the page's context"


def copy_age(response):
    return response.context.get("copy_age", MISSING)


def test_a_page_from_a_replica_has_its_copys_age(client, product):
    """Both replicas 12 s behind: the product list's copy_age is about 12 s."""
    for alias in ("replica1", "replica2"):
        make_replica_lag(alias, 12)
    age = copy_age(client.get("/"))
    assert age != MISSING, MISSING
    assert 12 <= age < 20


def test_a_page_from_the_primary_has_no_copy_age(client, product):
    """After a write the client reads the primary: copy_age is None."""
    client.force_login(create_author())
    data = {"product_id": product.pk, "rating": "4", "text": "Works well."}
    assert client.post("/reviews/new/", data).status_code == 302
    assert copy_age(client.get("/")) is None
