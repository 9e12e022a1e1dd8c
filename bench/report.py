"""The table (reStructuredText, for the terminal and the README) and the chart (PNG)."""

import os
import platform

HEADERS = ["Fig", "Pattern", "What is measured", "Baseline", "Measured", "Ratio", "Target", "Met"]


def machine():
    """Which machine produced the numbers: CPU, cores, Python, SQLite."""
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def verdict(row):
    return {True: "yes", False: "MISSED", None: "—"}[row["met"]]


def cells(row):
    return [
        row["figure"],
        row["pattern"],
        row["what"],
        row["baseline"],
        row["measured"],
        "—" if row["ratio"] is None else f"{row['ratio']:.2f}x",
        row["target"] or "—",
        verdict(row),
    ]


def table(rows, footer):
    """A simple reStructuredText table, then the notes of the rows that have one."""
    lines = [cells(row) for row in rows]
    widths = [max(len(text) for text in column) for column in zip(HEADERS, *lines, strict=True)]
    rule = "  ".join("=" * width for width in widths)

    def line(texts):
        return "  ".join(t.ljust(w) for t, w in zip(texts, widths, strict=True)).rstrip()

    out = [rule, line(HEADERS), rule, *(line(texts) for texts in lines), rule, ""]
    out += [f"- {row['figure']}, {row['what']}: {row['note']}" for row in rows if row["note"]]
    out += ["", f"Measured on {footer}.", ""]
    return "\n".join(out)


def draw_chart(rows, path):
    """One bar per figure: its ratio on a log scale, the target as a black tick."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    colours = {True: "#4c9a5b", False: "#c8453b", None: "#8a8f98"}
    rows = [row for row in rows if row["ratio"]]  # skipped, or nothing to put on a log scale
    labels = [f"{row['figure']}. {row['pattern']}: {row['what']}" for row in rows]
    figure, axes = pyplot.subplots(figsize=(13, 0.3 * len(rows) + 1.4))
    places = range(len(rows))[::-1]
    # Bars grow from 1x: right for a cost, left for a saving.
    ratios = [row["ratio"] for row in rows]
    axes.barh(places, [r - 1 for r in ratios], left=1, color=[colours[row["met"]] for row in rows])
    for place, row in zip(places, rows, strict=True):
        if row["limit"] is not None:
            axes.plot([row["limit"]] * 2, [place - 0.4, place + 0.4], color="black", lw=2)
        axes.annotate(
            "—" if row["ratio"] is None else f"{row['ratio']:.2f}x",
            (row["ratio"], place),
            xytext=(4 if row["ratio"] >= 1 else -4, 0),
            textcoords="offset points",
            ha="left" if row["ratio"] >= 1 else "right",
            va="center",
            fontsize=9,
        )
    axes.set_yticks(list(places), labels, fontsize=10)
    axes.set_xscale("log")
    axes.set_xlim(min(0.5, *ratios) / 2, max(2, *ratios) * 4)
    axes.axvline(1, color="#555", lw=0.8)
    axes.set_xlabel(
        "measured / baseline (log scale); black tick: target; green met, red missed, grey no target"
    )
    axes.set_title("What each pattern costs, against its baseline")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def draw_scale(rows, path):
    """Figure 9: each page's time against the number of reviews, both on log scales."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(9, 5))
    for found in (row for row in rows if "series" in row):
        sizes = sorted(found["series"], key=int)
        times = [found["series"][size] * 1e3 for size in sizes]
        label = f"{found['pattern']}: {found['what'].rsplit(':', 1)[0]}"
        axes.plot([int(size) for size in sizes], times, marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("reviews in the shop (log scale)")
    axes.set_ylabel("ms per page, through the test client (log scale)")
    axes.set_title("What a page costs as the shop grows: a flat line reads what it shows")
    axes.legend(fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
