"""What every pattern's manage.py runs: Django's command line, ending with a clear
message when the settings refuse to start, and quietly when its reader goes away."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line


def run(argv):
    try:
        execute_from_command_line(argv)
        sys.stdout.flush()  # here, not at exit, so a reader gone by then is caught below
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    except BrokenPipeError:
        # Piped into `head`, which has read enough and left. Python would report the
        # failed write again when it flushes stdout at exit: send what is left nowhere,
        # as the Python docs' signal module page recommends.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
