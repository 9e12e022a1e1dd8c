"""`make exercise PATTERN=... [N=...]`: a pattern's exercises listed with their state, or
one checked, in plain words. Each exercise is a test file of the pattern's exercises/
folder, run by pytest against the working tree as it is; exercises/index.toml gives its
goal, its hint and what "done" looks like. The tests use the test databases, never the
demo's own files, and the solutions are not read (they live in solutions/)."""

import ast
import os
import subprocess
import sys
import tempfile
import textwrap
import tomllib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Exercise:
    number: int
    title: str
    goal: str
    hint: str
    done: str
    test: str  # its check, a file of exercises/

    @property
    def check(self):
        return f"exercises/{self.test}"

    suite: list = field(default_factory=list)  # the pattern's own tests its solution may touch


@dataclass
class Result:
    failures: list = field(default_factory=list)  # (claim, why) per failed test
    passed: int = 0
    skipped: int = 0

    @property
    def done(self):
        return self.passed > 0 and not self.failures


def exercises(project):
    """The project's exercises, in their order."""
    index = tomllib.loads((project / "exercises" / "index.toml").read_text())
    return [Exercise(number, **entry) for number, entry in enumerate(index["exercise"], 1)]


def run_checks(project, paths, timeout=300):
    """pytest on these test files (or node ids) of the project; a Result per file, keyed
    by its path in the project ("exercises/test_1_....py")."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        # The project's own settings (its pytest.ini), whatever this shell has set.
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG"}
        }
        subprocess.run(
            [sys.executable, "-X", "dev", "-m", "pytest", "-p", "no:cacheprovider", "-q"]
            + ["--junitxml", str(report), *paths],
            cwd=project,
            env=environment,
            capture_output=True,
            timeout=timeout,
        )
        results = {path.split("::")[0]: Result() for path in paths}
        if not report.exists():
            return results
        for case in ElementTree.parse(report).iter("testcase"):
            # "exercises.test_1_x" (or "tests.test_x.AClass"); a module that could not be
            # imported is named in name, with no classname.
            folder, module = (case.get("classname") or case.get("name")).split(".")[:2]
            path = f"{folder}/{module}.py"
            result = results.setdefault(path, Result())
            problem = case.find("failure")
            problem = problem if problem is not None else case.find("error")
            if problem is not None:
                claim = claims(project / path).get(case.get("name").split("[")[0])
                why = (problem.get("message") or "").splitlines()[:1]
                result.failures.append((claim or case.get("name"), " ".join(why)))
            elif case.find("skipped") is not None:
                result.skipped += 1
            else:
                result.passed += 1
        return results


def claims(path):
    """{test function name: the first line of its docstring}: the claim it checks."""
    if not path.exists():
        return {}
    tree = ast.parse(path.read_text())
    return {
        node.name: (ast.get_docstring(node) or node.name).splitlines()[0]
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def state(result):
    if result.done:
        return "done"
    if result.skipped and not result.failures:
        return "skipped (it needs the PostgreSQL servers: make postgres-up)"
    return "not done"


def show_list(pattern, project):
    every = exercises(project)
    results = run_checks(project, [exercise.check for exercise in every])
    print(f"{pattern}: {len(every)} exercises (make exercise PATTERN={pattern} N=<number>)")
    for exercise in every:
        print(f"  {exercise.number}. [{state(results[exercise.check])}] {exercise.title}")


def show_one(pattern, project, number):
    every = exercises(project)
    if not 1 <= number <= len(every):
        sys.exit(f"{pattern} has exercises 1 to {len(every)}, not {number}.")
    exercise = every[number - 1]
    result = run_checks(project, [exercise.check])[exercise.check]
    print(f"{pattern}, exercise {number}: {exercise.title}\n\n{wrap('Goal: ' + exercise.goal)}\n")
    if result.done:
        print(f"Done: every check of exercises/{exercise.test} passes.\n{wrap(exercise.done)}")
        return True
    if not result.failures:
        print(f"Not checked: {state(result)}.")
        return False
    print(f"Not done yet ({len(result.failures)} of the checks fail):")
    for claim, why in result.failures:
        print(wrap(claim, "  - ", "    ") + ("\n" + wrap(f"({why})", "      ") if why else ""))
    print(f"\n{wrap('Hint: ' + exercise.hint)}\nThe checks: exercises/{exercise.test}")
    return False


def wrap(text, first="", rest=None):
    return textwrap.fill(
        text, 88, initial_indent=first, subsequent_indent=first if rest is None else rest
    )


def main(argv):
    if not argv or not (ROOT / argv[0] / "exercises" / "index.toml").exists():
        sys.exit("Usage: make exercise PATTERN=<a pattern with exercises/> [N=<number>]")
    pattern, project = argv[0], ROOT / argv[0]
    if len(argv) == 1:
        return show_list(pattern, project)
    if not argv[1].isdigit():
        sys.exit(f"N is an exercise's number, not {argv[1]!r}: make exercise PATTERN={pattern}")
    if not show_one(pattern, project, int(argv[1])):
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
