"""`make exercise`: a check's failures told as the claims of the tests that fail, read
from pytest's report and the tests' docstrings; the list's states (common/exercises.py)."""

import pytest

from common.exercises import exercises, run_checks, show_list, show_one

INDEX = """
[[exercise]]
title = "Half done"
goal = "Make both tests pass."
hint = "Look at the second one."
done = "Both pass."
test = "test_1_half.py"
"""
CHECK = '''
def test_this_one_passes():
    """It passes already."""


def test_this_one_fails():
    """The second claim, still false."""
    assert 1 == 2, "one is not two"
'''


@pytest.fixture
def project(tmp_path):
    """A pattern of one exercise whose check has a test that passes and one that fails."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "index.toml").write_text(INDEX)
    (tmp_path / "exercises" / "test_1_half.py").write_text(CHECK)
    return tmp_path


def test_the_index_gives_each_exercise_its_number(project):
    [exercise] = exercises(project)
    assert (exercise.number, exercise.check) == (1, "exercises/test_1_half.py")


def test_a_failure_is_told_by_its_tests_docstring_and_assertion(project):
    """The claim is the docstring's first line; why is the assertion's message."""
    result = run_checks(project, ["exercises/test_1_half.py"])["exercises/test_1_half.py"]
    assert result.passed == 1
    assert result.failures == [("The second claim, still false.", "AssertionError: one is not two")]


def test_one_exercise_checked_says_what_fails_and_the_hint(project, capsys):
    assert show_one("demo", project, 1) is False
    out = capsys.readouterr().out
    assert "  - The second claim, still false." in out
    assert "Hint: Look at the second one." in out


def test_the_list_says_not_done_until_every_test_passes(project, capsys):
    show_list("demo", project)
    assert "1. [not done] Half done" in capsys.readouterr().out
    (project / "exercises" / "test_1_half.py").write_text(CHECK.replace("1 == 2", "2 == 2"))
    show_list("demo", project)
    assert "1. [done] Half done" in capsys.readouterr().out
