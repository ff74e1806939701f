"""The server's settings for a classroom deployment, and ui.serve's start-up."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def config() -> dict:
    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_config_has_the_classroom_settings():
    c = config()
    assert c["browser"]["gatherUsageStats"] is False  # no telemetry
    assert c["server"]["enableXsrfProtection"] is True
    assert c["server"]["maxUploadSize"] == 10  # MB
    assert c["server"]["fileWatcherType"] == "none"  # a class server never reloads code
    assert c["client"]["showErrorDetails"] == "none"  # no tracebacks in front of the class
    assert c["runner"]["magicEnabled"] is False


def test_no_full_collection_after_every_run():
    # gc.collect(2) after each run walked ~140 000 objects (~100 ms holding the GIL) per rerun.
    assert config()["runner"]["postScriptGC"] is False


def test_serve_preloads_and_freezes_the_libraries():
    # In a fresh interpreter: every module in PRELOAD imports, and afterwards the collector
    # tracks only a few thousand objects instead of the libraries' ~140 000.
    code = (
        "import gc, sys\n"
        "from ui.serve import PRELOAD, preload_and_freeze\n"
        "frozen = preload_and_freeze()\n"
        "missing = [m for m in PRELOAD if m not in sys.modules]\n"
        "print(frozen, len(gc.get_objects()), missing)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )
    frozen, tracked, missing = out.stdout.split(maxsplit=2)
    assert missing.strip() == "[]"
    assert int(frozen) > 50_000
    assert int(tracked) < 5_000, out.stdout


@pytest.mark.server
def test_two_students_over_the_streamlit_protocol():
    # bench.protocol_load (the server-alone half of make loadtest) against a real server for a
    # few seconds: every edit must move the softmax loss and every Step the step counter (the
    # client raises otherwise), with no exception element in any run.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench import protocol_load

    # A thread of its own: the browser tests' Playwright (sync API) keeps an event loop running
    # in this one for the whole session.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, protocol_load.run(2, 3.0, 0.2)).result(timeout=120)
    assert result["errors"] == 0, result["error_samples"]
    assert result["interactions"] >= 4, result
    # Both kinds ran: a kind that never ran has no p95.
    assert result["by_kind_p95_s"]["edit"] is not None, result
    assert result["by_kind_p95_s"]["step"] is not None, result
