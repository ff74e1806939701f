"""``make bench``: core vs naive loops, page vs floor (AppTest), page vs floor (browser): edits,
first opens and tab switches, and playback frames per second.

Every ratio is measured within this one run (the machines are noisy); the table is printed and
written, with machine details, to bench/results.json. ``python -m bench --profile`` instead shows
where a warm rerun of the loss page spends its time.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench import apptest_bench, browser_bench, chapters_bench, core_bench, first_open
from bench.report import Row, skipped_row, table

RESULTS = Path(__file__).resolve().parent / "results.json"


def machine() -> dict:
    def pkg(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "numpy": pkg("numpy"),
        "streamlit": pkg("streamlit"),
        "pandas": pkg("pandas"),
        "playwright": pkg("playwright"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


PLAYBACK_MEASURE = "playback on /optimization: frames per second of visible change (bench/playback.py)"


def playback() -> list[Row] | tuple[list[Row], dict]:
    """The playback section's slot: ``bench/playback.py``'s ``run()`` (the in-browser player on
    /optimization), called like the other sections' ``run()``; a skipped row until it exists."""
    try:
        playback_bench = importlib.import_module("bench.playback")
    except ModuleNotFoundError as exc:
        if exc.name != "bench.playback":
            raise
        return [skipped_row("playback", PLAYBACK_MEASURE, ">= 15 fps",
                            "skipped: bench/playback.py not there yet")]
    return playback_bench.run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--profile", action="store_true",
                        help="sample where warm reruns of the loss page spend their time, then exit")
    args = parser.parse_args(argv)
    if args.profile:
        print(apptest_bench.profile())
        return 0

    started = time.perf_counter()
    rows: list[Row] = []
    details: dict = {}
    sections = (
        ("core", core_bench.run, "core loss + grad vs naive loop"),
        ("apptest", apptest_bench.run, "AppTest warm rerun: loss page vs floor page"),
        ("browser", browser_bench.run, browser_bench.MEASURE),
        ("first_open", first_open.run, first_open.MEASURE),
        ("playback", playback, PLAYBACK_MEASURE),
        ("chapters", chapters_bench.run, "chapter pages' core work"),
    )
    for name, run, measure in sections:
        t0 = time.perf_counter()
        print(f"bench: {name} ...", flush=True)
        try:
            result = run()
            if isinstance(result, tuple):
                result, details[name] = result
            rows += result
        except Exception as exc:  # one broken section must not hide the others' numbers
            traceback.print_exc()
            rows.append(skipped_row(name, measure, "", f"failed: {type(exc).__name__}: {exc}"))
            details.setdefault(name, {})["error"] = traceback.format_exc()
        details.setdefault(name, {})["seconds"] = time.perf_counter() - t0

    print()
    print(table(rows))
    total = time.perf_counter() - started
    RESULTS.write_text(json.dumps({
        "machine": machine(),
        "rows": [r.as_json() for r in rows],
        "details": details,
        "total_seconds": total,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{len(rows)} measures in {total:.0f} s; written to {RESULTS.relative_to(Path.cwd())}"
          if RESULTS.is_relative_to(Path.cwd()) else f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
