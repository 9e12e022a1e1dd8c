"""The clock of every figure, and the table row each figure becomes."""

import statistics
import time
from dataclasses import dataclass


def seconds(function, setup=None):
    """How long one call of `function` takes; `setup` runs first, off the clock."""
    if setup is not None:
        setup()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


@dataclass(frozen=True)
class Timing:
    """Median seconds of each side, and the median of the repetitions' own ratios."""

    base: float
    cand: float
    ratio: float

    def per(self, number):
        """The times of one call, when each timing covered `number` calls."""
        return Timing(self.base / number, self.cand / number, self.ratio)


def compare(baseline, candidate, repeat, setups=(None, None), rounds=1):
    """Time both sides `repeat` times, back to back, the one that goes first alternating.

    Other work on the machine slows both sides alike only when they run close together,
    so the ratio is taken within each repetition and the median of those is kept: a
    burst of load that lands on one repetition moves one ratio, not the answer. For
    calls of a few milliseconds, a repetition adds up `rounds` turns of each side, so
    that both sides share every burst. `setups` run before each call, off the clock.
    """
    base, cand = [], []
    for turn in range(repeat):
        spent = {baseline: 0.0, candidate: 0.0}
        for step in range(rounds):
            pair = [(baseline, setups[0]), (candidate, setups[1])]
            for function, setup in pair if (turn + step) % 2 == 0 else reversed(pair):
                spent[function] += seconds(function, setup)
        base.append(spent[baseline])
        cand.append(spent[candidate])
    ratios = [c / b for b, c in zip(base, cand, strict=True)]
    return Timing(statistics.median(base), statistics.median(cand), statistics.median(ratios))


def loop(function, number):
    """`function` called `number` times: one timing covers many short calls."""

    def run():
        for _ in range(number):
            function()

    return run


def row(figure, pattern, what, baseline, measured, ratio, target, limit, met, note=""):
    """One line of the table: absolute values as text, the ratio, the target and its verdict."""
    return {
        "figure": figure,
        "pattern": pattern,
        "what": what,
        "baseline": baseline,
        "measured": measured,
        "ratio": ratio,
        "target": target,
        "limit": limit,
        "met": met,
        "note": note,
    }


def timed_row(figure, pattern, what, timing, limit, note=""):
    """A row for a timing: candidate / baseline, met if at most `limit` (None: no target)."""
    ratio = timing.ratio
    met = None if limit is None else ratio <= limit
    target = "" if limit is None else f"≤ {limit:g}x"
    return row(
        figure,
        pattern,
        what,
        duration(timing.base),
        duration(timing.cand),
        ratio,
        target,
        limit,
        met,
        note,
    )


def duration(value):
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"
