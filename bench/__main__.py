"""``make bench``: core against naive loops, pages against the framework's floor in a browser (a score
edit, first opens, tab switches), playback frames per second. Every ratio is measured within this
run (machines are noisy); the table is printed and written to bench/results.json."""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
import traceback
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

import psutil

from bench import core_bench, first_open, playback, store_bench
from bench.report import skipped_row, table
from tests.browser.helpers import find_chromium

RESULTS = Path(__file__).with_name("results.json")
SECTIONS = (
    ("core", core_bench.run, "core loss + grad vs naive loop"),
    ("browser", first_open.run_edits, first_open.EDIT_MEASURE),
    ("first_open", first_open.run, first_open.MEASURE),
    ("playback", playback.run, playback.MEASURE),
    ("store", store_bench.run, store_bench.MEASURE.format("SQLite and PostgreSQL")),
)


def machine() -> dict:
    chromium, _ = find_chromium()
    if chromium:
        chromium = subprocess.run([chromium, "--version"], capture_output=True, text=True, timeout=20).stdout
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "chromium": chromium,
        **{name: version(name) for name in ("numpy", "streamlit", "pandas", "playwright")},
        "cpus": len(psutil.Process().cpu_affinity()),
        "load_average": psutil.getloadavg(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m bench", description=__doc__).parse_args(argv)
    started = time.perf_counter()
    rows, details = [], {}
    for name, run, measure in SECTIONS:
        t0 = time.perf_counter()
        print(f"bench: {name} ...", flush=True)
        try:
            section_rows, details[name] = run()
            rows += section_rows
        except Exception as exc:  # one broken section must not hide the others' numbers
            traceback.print_exc()
            rows.append(skipped_row(name, measure, "", f"failed: {type(exc).__name__}: {exc}"))
            details[name] = {"error": traceback.format_exc()}
        details[name]["seconds"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    print(f"\n{table(rows)}")
    results = {"machine": machine(), "rows": [asdict(r) for r in rows], "details": details}
    RESULTS.write_text(json.dumps({**results, "total_seconds": total}, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{len(rows)} measures in {total:.0f} s; written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
