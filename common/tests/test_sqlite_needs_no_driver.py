"""The SQLite demos need requirements.txt alone (the quick start and make test install no
PostgreSQL driver): no module of a pattern, nor of its tests and exercises, imports
psycopg before it runs on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every module of the project's own apps, its tests and its exercises (as pytest collects
# them), imported with psycopg missing.
IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
sys.modules["psycopg"] = sys.modules["psycopg_pool"] = None  # not installed
import django
django.setup()
from django.apps import apps
packages = [(app.path, app.name) for app in apps.get_app_configs()]
packages += [(f"{sys.argv[1]}/{name}", name) for name in ("tests", "exercises")]
for path, name in packages:
    if path.startswith(sys.argv[1]):
        for module in pkgutil.walk_packages([path], name + "."):
            if "migrations" not in module.name.split("."):
                importlib.import_module(module.name)
"""


@pytest.mark.parametrize("pattern", ["functional_split", "replication", "sharding", "shadowing"])
def test_a_pattern_on_sqlite_imports_no_postgres_driver(pattern):
    folder = ROOT / pattern
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("DEMO_")
    } | {"DJANGO_SETTINGS_MODULE": "shop.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE, str(folder)],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1]
