"""A shard found unreachable is remembered by the process, as replication remembers a
replica: until SHARD_RETRY_SECONDS pass, it is not asked again, and what needs it is
answered at once, naming it."""

import pytest

from common.faults import database_missing
from common.testing import panel_counts, panel_sql

from .helpers import (
    EVERY_DATABASE,
    GRINDER_ON_SHARD2,
    create_author,
    retry_time_comes,
    reviews_on_shard1_and_shard2,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)]


@pytest.fixture
def reviews():
    return reviews_on_shard1_and_shard2()


def test_a_shard_found_down_is_not_asked_again_until_its_retry(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        client.get("/reviews/")
    response = client.get("/reviews/")
    assert panel_counts(response)["shard2"] == 0
    assert "shard2 is not available" in response.context["banners"][0]
    assert "is not asked again yet: down since " in panel_sql(response, "shard2")


def test_a_shard_is_asked_again_once_its_retry_time_has_come(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        client.get("/reviews/")
    retry_time_comes()
    response = client.get("/reviews/")
    assert [review.text for review in response.context["page"].reviews] == ["On two.", "On one."]
    assert response.context["banners"] == []


def test_a_review_on_a_remembered_shard_is_the_503_page_naming_it(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        client.get("/reviews/")
    response = client.get(f"/reviews/{reviews[1].pk}/")
    assert response.status_code == 503
    assert 'class="database-alias">shard2<' in response.text
    assert panel_counts(response)["shard2"] == 0


def test_a_write_to_a_remembered_shard_is_refused_without_asking_it(client, reviews, tmp_path):
    client.force_login(create_author("bob"))
    with database_missing("shard2", tmp_path):
        client.get("/reviews/")
    response = client.post("/reviews/new/", {"product_id": GRINDER_ON_SHARD2, "text": "Lost?"})
    assert response.status_code == 503
    assert "Your review was not saved: shard2 is not available" in response.text
    assert panel_counts(response)["shard2"] == 0
