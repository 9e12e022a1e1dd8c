"""`make suite-exercises`: every exercise fails as shipped and passes with its reference
solution, proven in a scratch copy of each pattern (the learner's files and databases are
never touched). Per pattern: the checks run once on the copy as shipped (each must fail),
every solutions/<pattern>/<n>.patch is applied to it together (each must apply), then the
checks run again (each must pass: no solution breaks another's check), then the pattern's
own tests that the solutions touch (each exercise's `suite` in exercises/index.toml), the
system checks and ruff on the solved copy. The pattern's whole suite with the solutions is
left out: it would double make test's time."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common.exercises import ROOT, exercises, run_checks
from common.project_copy import copy_of_the_project

SOLUTIONS = ROOT / "solutions"


def prove(pattern, scratch):
    """The problems found with this pattern's exercises: none means proven."""
    project = copy_of_the_project(ROOT / pattern, scratch)
    # The repository's own files too (README, Makefile, ruff.toml): tests read them.
    for path in ROOT.iterdir():
        if path.is_file():
            shutil.copy(path, scratch)
    every = exercises(project)
    checks = [exercise.check for exercise in every]
    shipped = run_checks(project, checks)
    problems = [
        f"exercise {exercise.number}: its check passes on the code as shipped"
        for exercise in every
        if not shipped[exercise.check].failures
    ]
    for exercise in every:
        patch = SOLUTIONS / pattern / f"{exercise.number}.patch"
        # Outside any repository, whatever holds the scratch folder: paths from its root.
        ceiling = {"GIT_CEILING_DIRECTORIES": str(scratch.parent)}
        applied = run(["git", "apply", str(patch)], scratch, ceiling)
        if applied.returncode:
            problems.append(
                f"exercise {exercise.number}: {patch.name} does not apply: {applied.stderr}"
            )
    if problems:
        return problems
    # One run for the solved checks and the pattern's own tests the solutions touch.
    suite = sorted({test for exercise in every for test in exercise.suite})
    solved = run_checks(project, checks + suite)
    for exercise in every:
        if not solved[exercise.check].done:
            problems.append(f"exercise {exercise.number} solved: its check does not pass")
    for path, result in solved.items():
        if not (result.passed or result.skipped or result.failures):
            problems.append(f"{path}: no test of it ran")
        for claim, why in result.failures:
            problems.append(f"{path}, with the solutions applied, fails: {claim} ({why})")
    checked = run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], project)
    if checked.returncode:
        problems.append(f"manage.py check on the solved code:\n{checked.stderr}")
    for ruff in (["check"], ["format", "--check"]):
        # From the root, as make test runs it: ruff.toml's per-file rules name paths from there.
        linted = run([sys.executable, "-m", "ruff", *ruff, pattern], scratch)
        if linted.returncode:
            problems.append(f"ruff {ruff[0]} on the solved code:\n{linted.stdout}")
    return problems


def run(command, cwd, environment=None):
    # The project's own settings, whatever this shell has set.
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG"}
    }
    environment = inherited | (environment or {})
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def main(patterns):
    failed = False
    for pattern in patterns:
        with tempfile.TemporaryDirectory() as scratch:
            problems = prove(pattern, Path(scratch))
        count = len(exercises(ROOT / pattern))
        print(f"{pattern}: {count} exercises, " + ("proven" if not problems else "NOT proven"))
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    every = sorted(path.parent.parent.name for path in ROOT.glob("*/exercises/index.toml"))
    main(sys.argv[1:] or every)
