"""SHARDING_READS = "fdw": the pages read every review through the coordinator, one
alias, and show what the app's own fan-out shows."""

import pytest

from common.testing import panel_counts
from shop.coordinator import COORDINATOR, as_superuser

from .coordinator_helpers import on_coordinator, through_coordinator
from .helpers import (
    GRINDER_ON_SHARD2,
    KETTLE_ON_SHARD1,
    SHARDS,
    create_author,
    holders,
    reviews_on_shard1_and_shard2,
)

pytestmark = [on_coordinator, through_coordinator]


@pytest.fixture
def both_modes(settings, client, coordinator):
    """get(url) -> (the page in the app's mode, the page in "fdw" mode)."""
    reviews_on_shard1_and_shard2()

    def get(url):
        settings.SHARDING_READS = "app"
        app = client.get(url)
        settings.SHARDING_READS = "fdw"
        return app, client.get(url)

    return get


def read_reviews(response):
    """{alias: queries} of the aliases that hold or reach reviews, those that ran any."""
    counts = panel_counts(response)
    return {alias: counts[alias] for alias in [*SHARDS, COORDINATOR] if counts[alias]}


def test_the_product_list_asks_the_coordinator_once(both_modes):
    """The counts and averages of every product, in one query, no shard asked by the app."""
    app, fdw = both_modes("/")
    assert read_reviews(fdw) == {COORDINATOR: 1}
    assert [p.stats for p in fdw.context["products"]] == [p.stats for p in app.context["products"]]


def test_the_latest_reviews_ask_the_coordinator_once(both_modes):
    """The same page as the app's merge of each shard's newest."""
    app, fdw = both_modes("/reviews/")
    assert read_reviews(fdw) == {COORDINATOR: 1}
    assert fdw.context["page"].reviews == app.context["page"].reviews


def test_a_product_page_reads_through_the_coordinator(both_modes):
    """Sent there by the router, with no alias named in the view (CoordinatorRouter); the
    bucket in the query prunes every partition but the product's (test_fdw_plans.py)."""
    app, fdw = both_modes(f"/products/{GRINDER_ON_SHARD2}/")
    assert read_reviews(app) == {"shard2": 2}
    assert read_reviews(fdw) == {COORDINATOR: 2}
    assert list(fdw.context["page"]) == list(app.context["page"])
    assert {review._state.db for review in fdw.context["page"]} == {COORDINATOR}


def test_a_product_page_read_through_the_coordinator_never_says_its_reviews_are_there(both_modes):
    """The coordinator holds no review: the page says they are on one shard, read through it."""
    app, fdw = both_modes(f"/products/{GRINDER_ON_SHARD2}/")
    assert "Every review of this product is on <code>shard2</code>" in app.text
    assert "is on one shard, read through <code>coordinator</code>" in fdw.text
    assert "is on <code>coordinator</code>" not in fdw.text


def test_a_review_written_in_fdw_mode_lands_on_its_shard(settings, client, coordinator):
    """Only reads go through the coordinator: the form's review is written by the app, to
    its product's shard, and the page it returns to reads it back through the coordinator."""
    settings.SHARDING_READS = "fdw"
    reviews_on_shard1_and_shard2()
    client.force_login(create_author("writer"))
    form = {"product_id": GRINDER_ON_SHARD2, "rating": "4", "text": "Through the app."}
    page = client.post("/reviews/new/", form, follow=True)
    [review] = [r for r in page.context["page"] if r.text == "Through the app."]
    assert holders(review.pk) == ["shard2"]
    assert review._state.db == COORDINATOR


def out_of_reach(shard):
    """The coordinator's server for `shard` pointed at a closed port: refused at once."""
    with as_superuser() as superuser:
        superuser.execute(f"ALTER SERVER {shard} OPTIONS (SET port '1')")


@pytest.mark.faults
def test_one_shard_out_of_the_coordinators_reach_fails_the_whole_list(both_modes):
    """The coordinator's one statement needs every shard: with shard2 out of its reach
    (its server pointed at a closed port, refused at once as a stopped server is), the
    list shows no product's numbers, where the app, missing a shard, leaves out only that
    shard's (test_missing_shard.py). Here the app still reaches both."""
    out_of_reach("shard2")
    app, fdw = both_modes("/")
    assert {p.pk: p.stats["count"] for p in app.context["products"]} == {
        KETTLE_ON_SHARD1: 1,
        GRINDER_ON_SHARD2: 1,
    }
    assert {p.pk: p.stats["count"] for p in fdw.context["products"]} == {
        KETTLE_ON_SHARD1: None,
        GRINDER_ON_SHARD2: None,
    }
    assert fdw.context["banners"] == [
        "coordinator is not available: the reviews it holds are missing from this page."
    ]


@pytest.mark.faults
def test_a_product_page_needs_only_its_shard(both_modes):
    """Pruned to one partition when the query is planned, the product page never asks
    the other shards: shard2 out of the coordinator's reach, shard1's product is shown."""
    out_of_reach("shard2")
    app, fdw = both_modes(f"/products/{KETTLE_ON_SHARD1}/")
    assert fdw.context["banners"] == []
    assert list(fdw.context["page"]) == list(app.context["page"])
