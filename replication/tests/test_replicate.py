"""`manage.py replicate` copies the primary into the replicas; until it runs, they lag."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Review
from shop.models import Heartbeat

from .helpers import ALIASES, create_author, create_product, create_review, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def rows(alias):
    return Review.objects.using(alias).count()


def test_a_write_lands_on_the_primary_only():
    create_review(create_product(), create_author())
    assert {alias: rows(alias) for alias in ALIASES} == {"default": 1, "replica1": 0, "replica2": 0}


def test_after_replicate_every_replica_holds_it():
    review = create_review(create_product(), create_author())
    replicate()
    for alias in ["replica1", "replica2"]:
        assert Review.objects.using(alias).get(pk=review.pk).text == review.text


def test_replica_option_copies_into_that_replica_only():
    create_review(create_product(), create_author())
    replicate("--replica", "replica2")
    assert (rows("replica1"), rows("replica2")) == (0, 1)


def test_replicate_prints_one_line_a_replica():
    output = StringIO()
    call_command("replicate", stdout=output)
    lines = output.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["replica1", "replica2"]
    assert all(" pages, heartbeat " in line for line in lines)


def test_each_copy_carries_the_heartbeat_written_just_before_it():
    replicate()
    beat = Heartbeat.objects.using("default").get().beat
    assert Heartbeat.objects.using("replica1").get().beat == beat
    assert Heartbeat.objects.using("replica2").get().beat == beat


@pytest.mark.parametrize(
    "args, message",
    [
        (["--replica", "replica9"], "invalid choice: 'replica9'"),
        (["--replica", "default"], "invalid choice: 'default'"),
        (["--interval", "0"], "--interval must be a number of seconds above 0"),
        (["--interval", "soon"], "invalid float value: 'soon'"),
    ],
)
def test_bad_arguments_are_named(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("replicate", *args, stdout=StringIO())
