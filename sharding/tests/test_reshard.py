"""`reshard` from three shards to four: a quarter moves, nothing is lost, doubled or renamed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Review
from reviews.shards import FanOut, latest_page
from shop import resharding
from shop.models import Bucket
from shop.sharding import BucketMoving, bucket_for_product

from .helpers import EVERY_DATABASE, SHARDS, create_author, create_product, create_review

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


def where_rows_are():
    """{review id: [shards physically holding it]}."""
    found = {}
    for shard in SHARDS:
        for pk in Review._base_manager.using(shard).values_list("pk", flat=True):
            found.setdefault(pk, []).append(shard)
    return found


def expected_after(reviews):
    """{review id: [the one shard it should be on once the planned moves are done]}."""
    layout = Bucket.objects.layout()
    for bucket, _, target in resharding.plan(SHARDS):
        layout[bucket] = target
    return {review.pk: [layout[review.bucket]] for review in reviews}


def call_command_output(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def reshard():
    call_command_output("reshard")


def every_review_listed():
    """The ids the latest reviews list, walking older 500 at a time to the end."""
    page = latest_page(FanOut(), size=500)
    listed = page.reviews
    while page.has_older:
        last = page.reviews[-1]
        page = latest_page(FanOut(), older=(last.created, last.pk), size=500)
        listed += page.reviews
    return [review.pk for review in listed]


def test_a_quarter_of_the_rows_move_to_the_new_shard(reviews):
    reshard()
    on_new = Review._base_manager.using("shard4").count()
    assert 0.2 < on_new / len(reviews) < 0.3


def test_only_the_planned_buckets_move(reviews):
    before, planned = where_rows_are(), {bucket for bucket, _, _ in resharding.plan(SHARDS)}
    reshard()
    moved = {pk for pk, shards in where_rows_are().items() if shards != before[pk]}
    assert moved == {review.pk for review in reviews if review.bucket in planned}


def test_every_row_ends_on_exactly_one_shard_with_its_id_unchanged(reviews):
    reshard()
    assert where_rows_are() == expected_after(reviews)


def test_every_column_survives_the_move(reviews):
    before = {r.pk: (r.product_id, r.author_id, r.rating, r.text, r.created) for r in reviews}
    reshard()
    after = {}
    for shard in SHARDS:
        for r in Review._base_manager.using(shard):
            after[r.pk] = (r.product_id, r.author_id, r.rating, r.text, r.created)
    assert after == before


def test_running_it_again_moves_nothing(reviews):
    reshard()
    before = where_rows_are()
    output = call_command_output("reshard")
    assert "Nothing to move" in output
    assert where_rows_are() == before


def test_dry_run_changes_nothing(reviews):
    before, layout = where_rows_are(), Bucket.objects.layout()
    last, source, _ = resharding.plan(SHARDS)[-1]
    output = call_command_output("reshard", "--dry-run")
    assert f"[15/15] bucket {last}: {source} → shard4: would move" in output
    assert (where_rows_are(), Bucket.objects.layout()) == (before, layout)


def fail_on_call(function, number):
    """A step that raises on its `number`-th call, as a crash or Ctrl-C would."""
    calls = []

    def step(*args):
        calls.append(args)
        if len(calls) == number:
            raise KeyboardInterrupt(f"interrupted in {function.__name__}")
        return function(*args)

    return step


STEPS = ["mark", "copy", "verify", "switch", "delete_source"]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("at_call", [1, 7])
def test_interrupted_then_run_again_gives_the_same_result(reviews, monkeypatch, step, at_call):
    monkeypatch.setattr(resharding, step, fail_on_call(getattr(resharding, step), at_call))
    with pytest.raises(CommandError, match="Interrupted"):
        reshard()
    monkeypatch.undo()
    reshard()
    assert where_rows_are() == expected_after(reviews)
    assert not Bucket.objects.exclude(moving_to="").exists()


@pytest.mark.parametrize("step", STEPS)
def test_pages_count_every_review_once_while_interrupted(client, reviews, monkeypatch, step):
    """Copies not yet switched to, and rows not yet deleted, are ignored by the fan-out."""
    monkeypatch.setattr(resharding, step, fail_on_call(getattr(resharding, step), 3))
    with pytest.raises(CommandError, match="Interrupted"):
        reshard()
    counted = sum(p.stats["count"] for p in client.get("/").context["products"])
    assert counted == len(reviews)
    newest = sorted(reviews, key=lambda review: (review.created, review.pk), reverse=True)
    assert every_review_listed() == [review.pk for review in newest]


def test_a_copy_that_does_not_verify_is_not_switched(reviews, monkeypatch):
    first, source, _ = resharding.plan(SHARDS)[0]
    monkeypatch.setattr(resharding, "verify", lambda *args: False)
    with pytest.raises(CommandError, match=f"differs from {source}; nothing was switched"):
        reshard()
    assert Bucket.objects.get(number=first).shard == source
    monkeypatch.undo()
    reshard()
    assert where_rows_are() == expected_after(reviews)


def test_a_write_to_a_bucket_being_moved_is_refused(reviews):
    """A review written to the source after its copy would be deleted with the source."""
    product = create_product("Moving")
    resharding.mark(bucket_for_product(product.pk), "shard4")
    with pytest.raises(BucketMoving, match="being moved"):
        create_review(product, create_author("bob"))


def test_the_form_says_to_try_again_while_a_bucket_moves(client, reviews):
    product = create_product("Moving")
    resharding.mark(bucket_for_product(product.pk), "shard4")
    client.force_login(create_author("bob"))
    response = client.post("/reviews/new/", {"product_id": product.pk, "text": "Now?"})
    assert response.status_code == 503
    assert "writes to it are refused until `manage.py reshard` has finished" in response.text


def test_dry_run_after_an_interrupted_delete_names_the_rows_left_behind(reviews, monkeypatch):
    first, source, _ = resharding.plan(SHARDS)[0]
    monkeypatch.setattr(resharding, "delete_source", fail_on_call(resharding.delete_source, 1))
    with pytest.raises(CommandError, match="Interrupted"):
        reshard()
    monkeypatch.undo()
    output = call_command_output("reshard", "--dry-run")
    assert f"bucket {first}: would delete" in output
    assert f"rows left on {source}" in output
