"""Choosing a replica is a pure function of each replica's health: no database needed."""

from shop.replicas import Health, pick_replica, why_skipped

MAX_LAG = 30
FRESH = [Health("replica1", lag=2.0), Health("replica2", lag=3.0)]


def test_usable_replicas_take_turns():
    assert [pick_replica(FRESH, MAX_LAG, turn) for turn in range(4)] == [
        "replica1",
        "replica2",
        "replica1",
        "replica2",
    ]


def test_a_replica_that_lags_too_far_is_skipped():
    healths = [Health("replica1", lag=31.0), Health("replica2", lag=3.0)]
    assert {pick_replica(healths, MAX_LAG, turn) for turn in range(4)} == {"replica2"}


def test_a_lag_of_exactly_the_limit_is_still_usable():
    assert why_skipped(Health("replica1", lag=30.0), MAX_LAG) == ""


def test_an_unreadable_replica_is_skipped():
    healths = [Health("replica1", problem="it cannot be read: no such file"), FRESH[1]]
    assert {pick_replica(healths, MAX_LAG, turn) for turn in range(4)} == {"replica2"}


def test_no_usable_replica_means_none():
    """The caller then reads from the primary."""
    healths = [Health("replica1", lag=99.0), Health("replica2", problem="missing")]
    assert pick_replica(healths, MAX_LAG, 0) is None


def test_the_reason_for_skipping_names_the_lag_and_the_setting():
    reason = why_skipped(Health("replica2", lag=45.25), MAX_LAG)
    assert reason == "its copy is 45.2 s old, over REPLICA_MAX_LAG_SECONDS (30)"


def test_the_reason_for_an_unreadable_replica_is_its_problem():
    assert why_skipped(Health("replica1", problem="missing"), MAX_LAG) == "missing"
