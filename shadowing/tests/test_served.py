"""Served like a real site, as every pattern is: common/project_checks.py's ServedChecks,
run on this pattern's code and test databases."""

import pytest

from common.project_checks import ServedChecks

from .helpers import create_product


class TestServed(ServedChecks):
    @pytest.fixture
    def product(self):
        return create_product("Burr grinder")
