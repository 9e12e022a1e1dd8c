"""Exercise 2: the same visitor reads the same replica, request after request."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from tests.helpers import ALIASES, panel_notes

from shop import pinning
from shop.replicas import REPLICAS


def turn_in_a_new_process(key, seed):
    """visitor_turn(key) computed by another Python, with another string hash seed."""
    code = f"from shop.pinning import visitor_turn; print(visitor_turn({key!r}))"
    paths = os.pathsep.join([str(settings.BASE_DIR), str(settings.BASE_DIR.parent)])
    environment = os.environ | {"PYTHONHASHSEED": str(seed), "PYTHONPATH": paths}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=environment | {"DJANGO_SETTINGS_MODULE": "shop.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def test_a_visitors_turn_is_the_same_in_every_process():
    """visitor_turn(key) gives the same number in two processes (never Python's hash())."""
    assert hasattr(pinning, "visitor_turn"), "shop/pinning.py has no visitor_turn(key)"
    assert turn_in_a_new_process("k3y", 1) == turn_in_a_new_process("k3y", 2)


def test_visitors_spread_over_the_replicas():
    """Of 200 visitors, each replica gets at least a third."""
    assert hasattr(pinning, "visitor_turn"), "shop/pinning.py has no visitor_turn(key)"
    turns = [pinning.visitor_turn(f"visitor-{number}") % len(REPLICAS) for number in range(200)]
    assert min(turns.count(turn) for turn in range(len(REPLICAS))) >= 200 // 3


def served_by(response):
    """The replicas whose panel notes say they served the page's reads."""
    return [
        alias
        for alias in REPLICAS
        if any(note.startswith("serves the reads") for note in panel_notes(response, alias))
    ]


@pytest.mark.django_db(databases=ALIASES, transaction=True)
@pytest.mark.usefixtures("replicas")
def test_one_visitor_reads_one_replica(client):
    """Six reloads with one session cookie are all served by the same replica."""
    session = client.session  # a session saved on "default", its cookie on the client
    session["visitor"] = "one"
    session.save()
    served = {alias for _ in range(6) for alias in served_by(client.get("/"))}
    assert len(served) == 1, f"one visitor was served by {sorted(served)}"
