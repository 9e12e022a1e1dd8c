"""The panel's diagram: the project's databases as boxes, lit by what a request did.

Drawn by the server from the settings: one row per alias of ``DATABASES``, in its order,
with the role ``DEMO_PANEL_ROLES`` gives it (each pattern's facts: primary and replicas,
the shards, local and snapshot). A write is an arrow from the site to the box, a read an
arrow back; a box a pattern noted as skipped, missing or failed says so, with the reason.
After a redirect it draws the redirected request and this page together, so the POST's
writes and the next page's reads are in one picture. common/db_panel.html draws it.
"""

from django.conf import settings

ROW = 36  # height of one alias's row, in the SVG's units (300 wide)
TOP = 6
NOTE_CHARACTERS = 34  # what fits in a box; a longer note is written out under the diagram
# The states a pattern notes (note(..., state=...)); the others come from the statements.
MARKED = ("skipped", "missing", "failed")
USED = {(False, False): "untouched", (True, False): "read", (False, True): "write"}


def state_of(reads, writes, noted=None):
    """A box's state: what the pattern noted, else what the statements did."""
    return noted or USED.get((reads > 0, writes > 0), "read-write")


def words(reads, writes, state):
    """What a chip says of an alias: '2 reads, 1 write', 'not touched', '· skipped'."""
    kinds = [(reads, "read"), (writes, "write")]
    counted = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for n, kind in kinds if n)
    if state in MARKED:
        return f"{counted} · {state}" if counted else state
    return counted or "not touched"


def diagram(requests):
    """The rows, the SVG's height and a sentence for screen readers."""
    aliases = zip(*(r["databases"] for r in requests), strict=True)
    merged = [together(*same_alias) for same_alias in aliases]
    rows = [row(db, TOP + i * ROW) for i, db in enumerate(merged)]
    return {
        "rows": rows,
        "height": TOP * 2 + len(rows) * ROW,
        "middle": TOP + len(rows) * ROW // 2,
        "label": f"{', then '.join(r['request'] for r in requests)}: "
        + "; ".join(r["spoken"] for r in rows),
    }


def together(*databases):
    """One alias over the requests drawn: reads and writes summed, every note kept, the
    state this page's pattern noted, if any."""
    reads = sum(db["reads"] for db in databases)
    writes = sum(db["writes"] for db in databases)
    noted = databases[-1]["state"] if databases[-1]["state"] in MARKED else None
    return {
        "alias": databases[-1]["alias"],
        "reads": reads,
        "writes": writes,
        "notes": [line for db in databases for line in db["notes"]],
        "state": state_of(reads, writes, noted),
    }


def row(db, y):
    """One box: where it is drawn, its role, and its last note cut to fit in it (the
    template writes a cut note out whole under the diagram)."""
    note = db["notes"][-1] if db["notes"] else ""
    short = note if len(note) <= NOTE_CHARACTERS else note[: NOTE_CHARACTERS - 1] + "…"
    role = settings.DEMO_PANEL_ROLES.get(db["alias"], "")
    says = words(db["reads"], db["writes"], db["state"])
    return {
        **db,
        "y": y,
        "write_y": y + 10,
        "read_y": y + 20,
        "text_y": y + 13,
        "note_y": y + 25,
        "role": role,
        "note": note,
        "short_note": short,
        "cut": short != note,
        "spoken": f"{db['alias']} ({role}): {says}{f', {note}' if note else ''}",
    }
