"""The memory of databases found down (common/down.py), without a database."""

from common.down import DownMemory


def test_an_alias_remembered_down_is_down_until_its_retry():
    memory = DownMemory()
    memory.remember("shard2", retry_seconds=30)
    assert memory.still_down("shard2").startswith("down since ")
    assert ", next try at " in memory.still_down("shard2")


def test_an_alias_is_tried_again_once_its_retry_is_due():
    memory = DownMemory()
    memory.remember("shard2", retry_seconds=0)
    assert memory.still_down("shard2") is None


def test_a_second_failure_keeps_when_it_first_failed():
    memory = DownMemory()
    memory.remember("shard2", retry_seconds=0)
    since = memory.down["shard2"][0]
    memory.remember("shard2", retry_seconds=30)
    assert memory.down["shard2"][0] == since


def test_an_alias_that_answers_is_forgotten():
    memory = DownMemory()
    memory.remember("shard2", retry_seconds=30)
    memory.forget("shard2")
    assert memory.still_down("shard2") is None


def test_an_alias_never_found_down_is_not_down():
    assert DownMemory().still_down("shard1") is None
