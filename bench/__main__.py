"""``python -m bench``: every pattern's figures, one table, two charts.

Each pattern runs in a process of its own (bench/runner.py); this gathers their rows,
prints the table and writes bench/results.rst, results.png and scale.png.
"""

import argparse
import sys
import time
from pathlib import Path

from .report import draw_chart, draw_scale, machine, table
from .runner import consistency_rows, failover_rows, fdw_rows, outage_rows, pool_rows, run
from .scale import BUDGET_SECONDS

HERE = Path(__file__).resolve().parent


def positive(text):
    """A whole number above 0, or argparse's own message naming the flag."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def arguments():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--reviews",
        type=positive,
        default=100_000,
        help="reviews seeded and resharded (figures 3 to 5 and 16; default 100000)",
    )
    parser.add_argument(
        "--primary-mb",
        type=positive,
        default=100,
        help="size of the primary replicate copies (figure 8; default 100)",
    )
    parser.add_argument(
        "--snapshot",
        type=positive,
        default=10_000,
        help="reviews in the shadowing snapshot (figure 7; default 10000)",
    )
    parser.add_argument(
        "--local",
        type=positive,
        default=1_000,
        help="local changes over the snapshot (figure 7; default 1000)",
    )
    parser.add_argument(
        "--scale",
        type=positive,
        nargs="+",
        metavar="REVIEWS",
        help="the sizes of figure 9 (default 10000 100000 1000000, stopping before a size "
        f"that would take over {BUDGET_SECONDS // 60} minutes to build)",
    )
    parser.add_argument(
        "--repeat",
        type=positive,
        default=7,
        help="repetitions of each timing, the median kept (default 7)",
    )
    parser.add_argument(
        "--browse",
        type=positive,
        default=30,
        help="seconds the consistency lab's client browses after its write (figure 12; default 30)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="PATTERN",
        choices=["functional_split", "replication", "sharding", "shadowing"],
        help="run these patterns only, and write no files",
    )
    return parser.parse_args()


def pattern_arguments(args):
    repeat = ["--repeat", str(args.repeat)]
    scale = ["--scale", *map(str, args.scale)] if args.scale else []
    if not args.scale:  # the default sizes, each one only if it builds within the budget
        scale = ["--scale-budget", str(BUDGET_SECONDS)]
    local = ["--snapshot", str(args.snapshot), "--local", str(args.local)]
    return {
        "functional_split": repeat,
        "replication": [*repeat, "--primary-mb", str(args.primary_mb)],
        "sharding": [*repeat, *scale, "--reviews", str(args.reviews)],
        "shadowing": [*repeat, *scale, *local],
    }


def main():
    args = arguments()
    started = time.perf_counter()
    rows, failed = [], []
    for pattern, extra in pattern_arguments(args).items():
        if not args.only or pattern in args.only:
            found = run(pattern, extra)
            rows += found or []
            failed += [] if found else [pattern]
    if not args.only or "functional_split" in args.only:
        found = pool_rows(args.repeat)
        rows += found or []
        failed += [] if found else ["the pool figure"]
    if not args.only or "replication" in args.only:
        found = consistency_rows(args.repeat, args.browse)
        rows += found or []
        failed += [] if found else ["the consistency lab"]
        found = failover_rows()
        rows += found or []
        failed += [] if found else ["the failover figure"]
    if not args.only or "sharding" in args.only:
        found = outage_rows()
        rows += found or []
        failed += [] if found else ["the outage figure"]
        found = fdw_rows(args.repeat, args.reviews)
        rows += found or []
        failed += [] if found else ["the postgres_fdw figure"]
        found = run("sharding", [], "sharding_online")
        rows += found or []
        failed += [] if found else ["the online moves figure"]
    rows.sort(key=lambda row: int(row["figure"]))
    minutes = (time.perf_counter() - started) / 60
    text = table(rows, f"{machine()}; {minutes:.1f} min; {' '.join(sys.argv[1:]) or 'defaults'}")
    print(text)
    # A missed target is a result; a benchmark that could not run is an error.
    if failed:
        sys.exit(f"Failed: {', '.join(failed)}. bench/results.rst and results.png are unchanged.")
    if args.only:
        print("Some patterns only: bench/results.rst and results.png are left as they were.")
        return
    (HERE / "results.rst").write_text(text)
    draw_chart(rows, HERE / "results.png")
    draw_scale(rows, HERE / "scale.png")
    print(f"Written: {HERE / 'results.rst'}, {HERE / 'results.png'}, {HERE / 'scale.png'}")


if __name__ == "__main__":
    main()
