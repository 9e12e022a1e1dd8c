"""What a statement does, and what may be shown of it.

Reads and writes: the first word of a statement tells, which costs one split and no
parsing. Secrets: the parameters a statement sends to a column that holds a password
hash, a session's key or data, or a token are replaced before the statement is shown.
"""

import re

# A statement whose first word is one of these reads; anything else counts as a write.
# It errs on the safe side: a statement it does not know (a CTE that may insert, a vendor
# command) counts as a write.
READS = {"SELECT", "EXPLAIN", "SHOW", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}

# Columns whose values are never shown: a password hash, a session's key and data, a
# CSRF or API token, a secret. A name that merely looks like one is hidden too.
SECRET_COLUMN = re.compile(r"pass(word|wd)|session_(key|data)|csrf|token|secret|api_?key", re.I)
PLACEHOLDER = re.compile(r"%%|%s")
# The column a placeholder is compared with or set to: "t"."col" = %s, "col" IN (%s, %s
COMPARED = re.compile(
    r'(\w+)"?\s*(?:=|<>|!=|<=|>=|<|>|\bI?LIKE\b|\bIN\s*\((?:\s*%s\s*,)*)\s*\(?\s*$', re.I
)
INSERTED = re.compile(r"\s*INSERT\s+INTO\s+\S+\s*\(([^)]*)\)", re.I)


def is_write(sql):
    """Whether a statement may change data: anything that does not start as a read.

    str(): raw SQL may come as a driver's query object, which then counts as a write.
    """
    words = str(sql).lstrip(" \t\r\n(").split(None, 1)
    return bool(words) and words[0].upper() not in READS


def hidden(column):
    """The mark shown in place of a secret value: it names the column."""
    return f"<hidden {column}>" if column else "<hidden>"


def redact(sql, params):
    """The parameters to show for a statement, each secret one replaced by its mark."""
    sql = str(sql)
    if not params or not SECRET_COLUMN.search(sql):
        return params
    if isinstance(params, dict):
        return {k: hidden(k) if SECRET_COLUMN.search(k) else v for k, v in params.items()}
    columns = placeholder_columns(sql)
    if len(columns) != len(params):
        # Which parameter is which cannot be told: hide them all rather than risk one.
        return [hidden(None)] * len(params)
    return [
        hidden(column) if column is None or SECRET_COLUMN.search(column) else param
        for column, param in zip(columns, params, strict=True)
    ]


def placeholder_columns(sql):
    """The column each %s of a statement goes to, None where that cannot be told."""
    places = [m for m in PLACEHOLDER.finditer(sql) if m[0] == "%s"]
    if inserted := INSERTED.match(sql):
        names = [name.strip().strip('"`') for name in inserted[1].split(",")]
        if len(places) % len(names):  # a row with a literal: no telling which is which
            return [None] * len(places)
        return [names[i % len(names)] for i in range(len(places))]
    columns = []
    for place in places:
        compared = COMPARED.search(sql, 0, place.start())
        columns.append(compared[1] if compared else None)
    return columns
