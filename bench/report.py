"""Timing helpers and the result table shared by the benchmark sections."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass
class Row:
    """One line of the table. ``ratio`` is computed so that the target reads naturally:
    a speed-up (reference / value) for core against naive loops, a slow-down (value / reference)
    for a page against the framework's floor."""

    section: str
    measure: str
    value: float | None  # seconds
    reference: float | None  # seconds
    ratio: float | None
    target: str  # e.g. ">= 50x", "<= 1.5x", "" (informational)
    ok: bool | None  # None: no target, or not measured
    note: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def check(ratio: float | None, target: str) -> bool | None:
    if ratio is None or not target:
        return None
    op, bound = target.split()
    bound = float(bound.rstrip("x"))
    return ratio >= bound if op == ">=" else ratio <= bound


def speedup_row(section, measure, value, reference, target="", note="") -> Row:
    ratio = reference / value if value and reference else None
    return Row(section, measure, value, reference, ratio, target, check(ratio, target), note)


def slowdown_row(section, measure, value, reference, target="", note="") -> Row:
    ratio = value / reference if value and reference else None
    return Row(section, measure, value, reference, ratio, target, check(ratio, target), note)


def skipped_row(section, measure, target, note) -> Row:
    return Row(section, measure, None, None, None, target, None, note)


def median_time(fn: Callable[[], object], repeat: int, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall time of ``fn()`` over ``repeat`` calls (after ``warmup`` untimed calls)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    return f"{s * 1e6:.3g} µs"


def table(rows: list[Row]) -> str:
    header = ("measure", "value", "reference", "ratio", "target", "ok")
    lines = []
    for r in rows:
        ok = {True: "yes", False: "NO", None: "-"}[r.ok]
        if r.value is None:
            ok = "skipped"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        lines.append((r.measure, fmt_seconds(r.value), fmt_seconds(r.reference), ratio, r.target or "-", ok))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
           "-+-".join("-" * w for w in widths)]
    for line in lines:
        out.append(" | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    notes = [f"  {r.measure}: {r.note}" for r in rows if r.note]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def absolute_row(section, measure, value, limit: float | None = None, target="", note="") -> Row:
    """A time with an absolute bound (``limit`` seconds) rather than a ratio."""
    ok = None if limit is None or value is None else value <= limit
    return Row(section, measure, value, None, None, target, ok, note)
