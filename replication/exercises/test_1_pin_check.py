"""Exercise 1: `manage.py check` warns when the pin is shorter than the lag allowed."""

from django.core import checks
from django.test import override_settings


def pin_warnings():
    """The warnings of Django's system checks that name REPLICATION_PIN_SECONDS."""
    return [
        message
        for message in checks.run_checks()
        if message.level == checks.WARNING
        and "REPLICATION_PIN_SECONDS" in f"{message.msg} {message.hint}"
    ]


@override_settings(REPLICATION_PIN_SECONDS=5, REPLICA_MAX_LAG_SECONDS=30)
def test_a_pin_shorter_than_the_lag_is_a_warning():
    """A 5 s pin with replicas allowed 30 s of lag: one warning naming the pin's setting."""
    assert len(pin_warnings()) == 1, "manage.py check gives no warning about the pin"


@override_settings(REPLICATION_PIN_SECONDS=5, REPLICA_MAX_LAG_SECONDS=30)
def test_the_warning_says_how_long_the_pin_must_be():
    """The warning names the length the pin needs: the largest lag allowed, 30 s."""
    [warning] = pin_warnings() or [checks.Warning("none")]
    assert "30" in f"{warning.msg} {warning.hint}"


def test_the_settings_as_shipped_are_not_warned():
    """A pin as long as the lag allowed (30 s each, as shipped) gives no warning."""
    assert pin_warnings() == []
