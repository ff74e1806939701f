"""The result table of ``make bench``: one Row a measure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table. ``ratio`` reads the way its target does: a speed-up (reference / value)
    for core against naive loops, a slow-down (value / reference) for a page against its floor."""

    section: str
    measure: str
    value: float | None  # seconds; None: not measured
    reference: float | None  # seconds
    ratio: float | None
    target: str  # e.g. ">= 20x", "<= 1.5x", "<= 0.5 s", "" (informational)
    ok: bool | None  # None: no target, or not measured
    note: str = ""


def ratio_row(section, measure, value, reference, target="", note="", *, speedup: bool = False) -> Row:
    """A time against a reference time: a slow-down (value / reference), or a ``speedup`` (reference /
    value), held against a ``target`` such as "<= 1.5x" or ">= 20x"."""
    ratio = None if not (value and reference) else reference / value if speedup else value / reference
    bound = float(target.split()[1].rstrip("x")) if target else None
    ok = None if ratio is None or bound is None else ratio >= bound if target[0] == ">" else ratio <= bound
    return Row(section, measure, value, reference, ratio, target, ok, note)


def absolute_row(section, measure, value, limit: float) -> Row:
    """A time with an absolute bound, at most ``limit`` seconds, rather than a ratio."""
    return Row(section, measure, value, None, None, f"<= {limit} s", value <= limit)


def skipped_row(section, measure, target, note) -> Row:
    return Row(section, measure, None, None, None, target, None, note)


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:.2f} s" if s >= 1 else f"{s * 1e3:.3g} ms" if s >= 1e-3 else f"{s * 1e6:.3g} µs"


def cells(r: Row) -> tuple[str, ...]:
    """A row's cells as the table shows them."""
    ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
    ok = "skipped" if r.value is None else {True: "yes", False: "NO", None: "-"}[r.ok]
    return r.measure, fmt_seconds(r.value), fmt_seconds(r.reference), ratio, r.target or "-", ok


def table(rows: list[Row]) -> str:
    header = ("measure", "value", "reference", "ratio", "target", "ok")
    lines = [cells(r) for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *lines, strict=True)]
    out = [" | ".join(x.ljust(w) for x, w in zip(line, widths, strict=True)) for line in (header, *lines)]
    out.insert(1, "-+-".join("-" * w for w in widths))
    notes = [f"  {r.measure}: {r.note}" for r in rows if r.note]
    return "\n".join(out + (["", "notes:", *notes] if notes else []))
