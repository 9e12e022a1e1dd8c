# The exercises' checks run on the same test snapshot as the project's own tests.
from tests.conftest import *  # noqa: F403
