#!/usr/bin/env python
"""Django's command-line utility for this pattern."""

import os
import sys
from pathlib import Path


def main():
    # The site shell shared by all four patterns (common/) lives one folder up.
    sys.path.append(str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from common.command_line import run

    run(sys.argv)


if __name__ == "__main__":
    main()
