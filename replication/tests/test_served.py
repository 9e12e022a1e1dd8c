"""Served like a real site, as every pattern is: common/project_checks.py's ServedChecks,
run on this pattern's code and test databases."""

from common.project_checks import ServedChecks


class TestServed(ServedChecks):
    """The product the pages show is conftest.py's: on the primary, copied to the replicas."""
