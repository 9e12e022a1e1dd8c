# The exercises' checks run with the fixtures of the project's own tests.
from tests.conftest import *  # noqa: F403
