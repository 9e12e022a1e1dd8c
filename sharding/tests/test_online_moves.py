"""`reshard --online`: a bucket moves while it takes writes, every change made during the
copy reaches the target, the fence is short, and --abort returns it whole to its source.

Transactional: on PostgreSQL the subscription reads what the test has committed only."""

import pytest
from django.db import connections

from common.testing import db_status, panel_alias
from reviews.models import Review
from shop import online_moves, resharding
from shop.models import Bucket, MapVersion, OnlineMove

from .helpers import EVERY_DATABASE, ON_POSTGRES, SHARDS, create_author, create_review, product_on
from .test_reshard import call_command_output, expected_after, where_rows_are

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)
BUCKET, SOURCE, TARGET = 15, "shard1", "shard4"


@pytest.fixture(autouse=True)
def no_capture_left():
    """A failed test leaves no subscription behind: the test databases could not be dropped."""
    yield
    for move in online_moves.in_flight():
        online_moves.capture(move).stop()


def rows(shard):
    """{id: text} of the bucket's rows physically on a shard."""
    return dict(Review._base_manager.using(shard).filter(bucket=BUCKET).values_list("pk", "text"))


@pytest.fixture
def product():
    """A product whose reviews are in BUCKET, with two reviews already."""
    while True:
        product, bucket = product_on(SOURCE)
        if bucket == BUCKET:
            author = create_author()
            create_review(product, author, text="kept"), create_review(product, author, text="x")
            return product


def writes_when(state, monkeypatch, write):
    """Run `write` just after the move enters `state` (writes to the bucket go on then)."""
    advance = online_moves.advance

    def and_write(move, entered):
        advance(move, entered)
        if entered == state:
            write()

    monkeypatch.setattr(online_moves, "advance", and_write)


def test_writes_made_during_the_copy_reach_the_target(product, monkeypatch):
    """An insert, an edit and a delete between the copy and the catch-up are on the target
    after the switch, and the bucket's rows are on the target only."""
    kept, gone = Review.objects.for_product(product.pk).order_by("pk")
    added = []

    def write():
        added.append(create_review(product, create_author("bob"), text="new"))
        Review.objects.for_product(product.pk).filter(pk=kept.pk).update(text="edited")
        gone.delete()

    writes_when(OnlineMove.CATCHING_UP, monkeypatch, write)
    online_moves.move_online(BUCKET, SOURCE, TARGET)
    assert rows(TARGET)[kept.pk] == "edited"
    assert rows(TARGET)[added[0].pk] == "new"
    assert gone.pk not in rows(TARGET)
    assert rows(SOURCE) == {}
    assert Bucket.objects.get(number=BUCKET).shard == TARGET


def test_the_fence_lasts_a_blink(product):
    """Writes are refused from the mark to the switch only: well under 0.2 s here."""
    done = online_moves.move_online(BUCKET, SOURCE, TARGET)
    assert done["fenced_s"] < 0.2


def test_a_move_stopped_under_the_fence_lifts_it(product, monkeypatch):
    """Ctrl-C (or any error) under the fence: the bucket takes writes again at once, and
    its move is back to catching up, to be resumed or aborted."""

    def interrupted(source, say=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(resharding, "wait_for_writes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        online_moves.move_online(BUCKET, SOURCE, TARGET)
    assert Bucket.objects.get(number=BUCKET).moving_to == ""
    assert OnlineMove.objects.get().state == OnlineMove.CATCHING_UP


def test_a_dry_run_names_a_move_in_flight_and_leaves_it():
    """--dry-run says which move a run would resume first, and changes nothing."""
    OnlineMove.objects.create(bucket=BUCKET, source=SOURCE, target=TARGET)
    output = call_command_output("reshard", "--dry-run")
    assert f"bucket {BUCKET}: {SOURCE} → {TARGET}: would resume its online move, copying" in output
    assert OnlineMove.objects.get().state == OnlineMove.COPYING


@pytest.mark.parametrize("state", [OnlineMove.CATCHING_UP, OnlineMove.FENCED])
def test_abort_returns_the_bucket_to_its_source(product, monkeypatch, state):
    """Stopped at any state before the switch, --abort leaves every row on the source
    once, none on the target, the map unchanged and the bucket taking writes."""
    before = rows(SOURCE)

    def stop():
        raise KeyboardInterrupt

    writes_when(state, monkeypatch, stop)
    with pytest.raises(KeyboardInterrupt):
        online_moves.move_online(BUCKET, SOURCE, TARGET)
    monkeypatch.undo()
    call_command_output("reshard", "--abort")
    assert (rows(SOURCE), rows(TARGET)) == (before, {})
    assert Bucket.objects.filter(number=BUCKET, shard=SOURCE, moving_to="").exists()
    assert not OnlineMove.objects.exists()


@pytest.mark.skipif(
    len({connections[shard].vendor for shard in SHARDS}) > 1,
    reason="an online move needs both shards on one engine",
)
def test_reshard_online_moves_every_planned_bucket(reviews):
    """The same plan as the stop-the-bucket move, the same rows where they end."""
    expected = expected_after(reviews)
    output = call_command_output("reshard", "--online")
    assert "(online)" in output
    assert where_rows_are() == expected
    assert not Bucket.objects.exclude(moving_to="").exists()


def test_db_status_names_the_state_of_a_move_in_flight(product, monkeypatch):
    """A move stopped in its catch-up: db_status names its bucket, shards and state."""

    def stop():
        raise KeyboardInterrupt

    writes_when(OnlineMove.CATCHING_UP, monkeypatch, stop)
    with pytest.raises(KeyboardInterrupt):
        online_moves.move_online(BUCKET, SOURCE, TARGET)
    output, code = db_status()
    assert f"bucket {BUCKET}: online move from {SOURCE} to {TARGET}, catching up" in output
    assert code == 0  # its writes are taken meanwhile


def test_the_panel_names_the_state_of_a_move_in_flight(product, monkeypatch, client):
    """A move stopped in its catch-up: a page that reads the map says so under default,
    in another process too (each step bumps the map's version)."""

    def stop():
        raise KeyboardInterrupt

    version = MapVersion.objects.get().number
    writes_when(OnlineMove.CATCHING_UP, monkeypatch, stop)
    with pytest.raises(KeyboardInterrupt):
        online_moves.move_online(BUCKET, SOURCE, TARGET)
    assert MapVersion.objects.get().number > version  # every process reads the map again
    notes = panel_alias(client.get(f"/products/{product.pk}/"), "default")["notes"]
    assert f"bucket {BUCKET}: moving online from {SOURCE} to {TARGET}, catching up" in notes


@pytest.mark.skipif(not ON_POSTGRES, reason="replication slots are PostgreSQL's")
def test_db_status_names_a_slot_left_behind(product, monkeypatch):
    """A move whose state row is gone (a map restored from a backup) leaves its slot on the
    source's server: db_status names it and the site is degraded until it is dropped."""

    def stop():
        raise KeyboardInterrupt

    writes_when(OnlineMove.CATCHING_UP, monkeypatch, stop)
    with pytest.raises(KeyboardInterrupt):
        online_moves.move_online(BUCKET, SOURCE, TARGET)
    move = OnlineMove.objects.get()
    OnlineMove.objects.all().delete()
    try:
        output, code = db_status()
    finally:
        online_moves.capture(move).stop()
    assert f"{SOURCE}: replication slot online_move_{BUCKET} left behind" in output
    assert code == 1
    assert "left behind" not in db_status()[0]


def test_the_admin_lists_a_move_in_flight_read_only(admin_client):
    """The admin shows each move's state; only `reshard` changes it."""
    OnlineMove.objects.create(bucket=BUCKET, source=SOURCE, target=TARGET)
    listing = admin_client.get("/admin/shop/onlinemove/")
    assert [str(move) for move in listing.context["cl"].result_list] == [
        f"bucket {BUCKET}: {SOURCE} → {TARGET}, copying"
    ]
    assert admin_client.get(f"/admin/shop/onlinemove/{BUCKET}/delete/").status_code == 403
