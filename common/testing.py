"""What every pattern's tests ask the same way: the database panel's data for a page,
``manage.py db_status``'s answer, and the error a command ends with. Written once here,
imported by each pattern's tests."""

from io import StringIO

from django.core.management import CommandError, call_command


def panel_request(response, this_page=True):
    """What the panel showed for this page, or for the request redirected here: the
    middleware's own data (response.db_panel), as common/tests checks it is drawn."""
    shown = response.db_panel
    if this_page:
        return shown[-1]
    assert len(shown) == 2, "no redirected request on this page"
    return shown[0]


def panel_alias(response, alias, this_page=True):
    """What the panel says of one alias: reads, writes, statements, notes, state."""
    databases = panel_request(response, this_page)["databases"]
    return next(db for db in databases if db["alias"] == alias)


def panel_sql(response, alias, this_page=True):
    """The statements the panel shows under one alias, one a line, each with its error,
    then the alias's notes."""
    db = panel_alias(response, alias, this_page)
    lines = [" ".join(filter(None, [s["sql"], s["error"]])) for s in db["statements"]]
    return "\n".join(lines + db["notes"])


def panel_counts(response):
    """{alias: statements} as the database panel reports them for this page."""
    return {db["alias"]: db["count"] for db in panel_request(response)["databases"]}


def db_status(*args):
    """``manage.py db_status``'s output, and the exit code it asks for (0, or
    CommandError's)."""
    output = StringIO()
    try:
        call_command("db_status", *args, stdout=output, no_color=True)
    except CommandError as error:
        return output.getvalue(), error.returncode
    return output.getvalue(), 0


def command_error(*args):
    """The message of the CommandError a command ends with (it must end with one)."""
    try:
        call_command(*args, stdout=StringIO())
    except CommandError as error:
        return str(error)
    raise AssertionError(f"{args[0]} ended without a CommandError")
