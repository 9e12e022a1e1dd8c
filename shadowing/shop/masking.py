"""Masking: production's personal data replaced before a row reaches this machine's disk.

SNAPSHOT_MASKS (settings) names each model with personal data and gives a rule to every
field but its key, which the references need. A rule turns a real value into a fake one
through a keyed hash (HMAC-SHA256): the same value always gives the same fake, so
duplicates, joins and unique constraints survive, and without the key, kept out of the
repository (SNAPSHOT_MASK_KEY_FILE), no dictionary of real values tells which one it was.
A column with no rule is refused, never copied: production's new columns do not leak.
"""

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError

KEEP = "keep"


@cache
def faker():
    from faker import Faker  # imported when a value is masked, not by every command

    return Faker("en_US")


def fake(digest, make):
    """What Faker makes, seeded with the digest: the same digest, the same fake."""
    faker().seed_instance(int.from_bytes(digest[:8]))
    return make(faker())


def fake_email(digest):
    """A user name, and the digest's first 64 bits: unique values stay unique."""
    return f"{fake(digest, lambda f: f.user_name())}.{digest.hex()[:16]}@example.com"


# A rule takes the keyed digest of the real value, never the value itself.
RULES = {
    "name": lambda digest: fake(digest, lambda f: f.name()),
    "email": fake_email,
    "hash": lambda digest: digest.hex(),
    "blank": lambda digest: "",
}


def unruled(model, columns):
    """The columns of a model with personal data that no rule covers, its key aside."""
    rules = settings.SNAPSHOT_MASKS.get(model._meta.label)
    if rules is None:
        return []
    ruled = {model._meta.get_field(name).column for name in rules} | {model._meta.pk.column}
    return [column for column in columns if column not in ruled]


def refuse_unruled(where, model, columns):
    missing = unruled(model, columns)
    if missing:
        raise CommandError(
            f"{where}: {', '.join(f'{model._meta.db_table}.{c}' for c in missing)} "
            f"{'has' if len(missing) == 1 else 'have'} no masking rule, and "
            f"{model._meta.label} holds personal data: add a rule ({KEEP}, "
            f"{', '.join(RULES)}) to SNAPSHOT_MASKS in settings.py."
        )


def masker(model, columns):
    """A function that masks a row of these columns (a sequence of values, in order)."""
    rules = settings.SNAPSHOT_MASKS.get(model._meta.label)
    if rules is None:
        return list
    refuse_unruled(model._meta.label, model, columns)
    by_column = {model._meta.get_field(name).column: rule for name, rule in rules.items()}
    steps = [by_column.get(column, KEEP) for column in columns]
    key = mask_key()

    def mask(row):
        return [
            value if rule == KEEP or value is None else RULES[rule](keyed(key, rule, value))
            for rule, value in zip(steps, row, strict=True)
        ]

    return mask


def keyed(key, rule, value):
    """The rule's name is hashed too: a name and an e-mail never share a digest."""
    return hmac.new(key, f"{rule}:{value}".encode(), hashlib.sha256).digest()


def mask_key():
    """The secret, from SNAPSHOT_MASK_KEY_FILE, made there on first use (32 random bytes,
    readable by its owner only): a new key gives every value a new fake."""
    path = Path(settings.SNAPSHOT_MASK_KEY_FILE)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if len(key) < 32:
        raise CommandError(f"{path} holds no masking key: delete it, and one is made.")
    return key.encode()
