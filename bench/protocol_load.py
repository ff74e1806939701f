"""The server's side of ``make loadtest``: 30 students' sessions without 30 browsers.

``bench.loadtest`` drives real Chromium contexts; on one 2-core machine those browsers need far
more CPU than the server does, so their latency is mostly the browsers waiting for each other.
This module measures the server alone: each student is two WebSocket sessions (the loss page and
the optimization page, as two browser tabs are) speaking Streamlit's own protocol, sending the
same messages Chromium sends (checked against a recording of a real browser session): the score
table's edit as the data editor's state, and Step as the training player's state (the step it
shows, which it reports to the server) inside the training fragment. Latency runs from sending
the message until the server's "script finished" message for that run arrives, i.e. the whole
update has been sent.

    python -m bench.protocol_load --sessions 30 --seconds 60 --think 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.loadtest import cpu_by_group, latency_summary, meets_targets, rss_mb
from bench.streamlit_browser import StreamlitServer

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class Tab:
    """One page open in one tab: a WebSocket session and what its last run showed."""

    def __init__(self, url: str, page: str):
        self.url, self.page = url, page
        self.ws = None
        self.page_hash = ""
        self.editor_id: str | None = None
        self.buttons: dict[str, tuple[str, bool, str]] = {}  # label -> (id, disabled, fragment id)
        self.metrics: list[str] = []
        self.errors: list[str] = []
        self.player: tuple[str, str] | None = None  # the training player's (widget id, fragment id)
        self.player_step = self.player_last = 0
        self.reports = 0

    async def open(self) -> None:
        import websockets

        host = self.url.split("://", 1)[1]
        self.ws = await websockets.connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],
                                           max_size=None, origin=self.url)
        await self.run(page_name=self.page)

    async def run(self, widgets=(), fragment_id: str = "", page_name: str = "") -> None:
        """Send one rerun request and read the server's messages until the run has finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_name = page_name or self.page
        state.page_script_hash = self.page_hash
        if fragment_id:
            state.fragment_id = fragment_id
        for fill in widgets:
            fill(state.widget_states.widgets.add())
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.url}/{self.page}"
        await self.ws.send(msg.SerializeToString())
        fresh_metrics: dict[int, str] = {}
        while True:
            raw = await self.ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind in ("page_info_changed", "navigation"):
                self.page_hash = getattr(getattr(fwd, kind), "page_script_hash", "") or self.page_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self.read_element(fwd.delta.new_element, fwd.delta.fragment_id,
                                  tuple(fwd.metadata.delta_path), fresh_metrics)
            elif kind == "script_finished":
                if fwd.script_finished in DONE:
                    break
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError(f"{self.page}: the script did not compile")
        if fresh_metrics:
            ordered = [fresh_metrics[k] for k in sorted(fresh_metrics)]
            self.metrics = ordered if len(ordered) >= len(self.metrics) else self.metrics
        if self.errors:
            raise RuntimeError(f"{self.page}: {self.errors[0]}")

    def read_element(self, element, fragment_id: str, path: tuple, metrics: dict) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind == "dataframe" and element.dataframe.editing_mode != element.dataframe.READ_ONLY:
            self.editor_id = element.dataframe.id
        elif kind == "button":
            self.buttons[element.button.label] = (element.button.id, element.button.disabled, fragment_id)
        elif kind == "metric":
            metrics[path] = element.metric.body
        elif kind == "bidi_component" and element.bidi_component.component_name == "losslab_player":
            data = json.loads(element.bidi_component.json)
            self.player = (element.bidi_component.id, fragment_id)
            self.player_step, self.player_last = data["t"], data["last"]

    async def press(self, label: str) -> None:
        widget_id, _, fragment_id = self.buttons[label]

        def trigger(w):
            w.id = widget_id
            w.trigger_value = True

        await self.run([trigger], fragment_id)

    async def report_step(self, step: int) -> None:
        """What the player sends when a Step, Reset or Pause leaves it on ``step`` (ui/player)."""
        widget_id, fragment_id = self.player
        self.reports += 1
        state = json.dumps({"t": {"step": step, "seq": self.reports}})

        def reported(w):
            w.id = widget_id
            w.json_value = state

        await self.run([reported], fragment_id)

    async def edit(self, column: str, value: float) -> None:
        """The data editor's state after editing row 0 of ``column`` (the browser sends this)."""
        state = json.dumps({"edited_rows": {"0": {column: value}}, "added_rows": [], "deleted_rows": []})

        def edited(w):
            w.id = self.editor_id
            w.string_value = state

        await self.run([edited])


async def student(url: str, seconds: float, think: float, k: int, latencies: list, errors: list,
                  start: asyncio.Event, opened: list) -> None:
    rng = random.Random(k)
    losses, optim = Tab(url, "losses"), Tab(url, "optimization")
    try:
        await losses.open()
        await optim.open()
        opened.append(k)
        await start.wait()
        await asyncio.sleep(rng.uniform(0, max(think, 0.5)))
        end = time.monotonic() + seconds
        value = 10.0
        while time.monotonic() < end:
            value = 10.0 if value != 10.0 else round(1.0 + 0.1 * (k % 10), 1)
            before = losses.metrics[1]
            t0 = time.monotonic()
            await losses.edit("image 1 (cat)", value)
            latencies.append(("edit", time.monotonic() - t0))
            if losses.metrics[1] == before:
                raise RuntimeError(f"the softmax loss stayed {before} after the edit")
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            if optim.player_step >= optim.player_last - 10:
                await optim.report_step(0)  # the player's Reset
            before = optim.player_step
            t0 = time.monotonic()
            await optim.report_step(before + 1)  # the player's Step (its state after the click)
            latencies.append(("step", time.monotonic() - t0))
            if optim.player_step != before + 1:
                raise RuntimeError(f"the player's step stayed {before} after Step")
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    except Exception as exc:  # counted and reported, never hidden
        errors.append(f"student {k}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        for tab in (losses, optim):
            if tab.ws is not None:
                await tab.ws.close()


async def run(sessions: int, seconds: float, think: float) -> dict:
    server = StreamlitServer("app.py")
    server.start()
    latencies: list = []
    errors: list = []
    try:
        stop = asyncio.Event()
        peak = [rss_mb(server.proc.pid)]

        async def sample():
            while not stop.is_set():
                peak.append(rss_mb(server.proc.pid))
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        start, opened = asyncio.Event(), []
        tasks = [asyncio.create_task(student(server.url, seconds, think, k, latencies, errors, start, opened))
                 for k in range(sessions)]
        t_open = time.monotonic()
        while len(opened) + len(errors) < sessions and time.monotonic() - t_open < 300:
            await asyncio.sleep(0.1)
        setup_s = time.monotonic() - t_open
        cpu0 = sum(v for g, v in cpu_by_group(server.proc.pid).values() if g == "server")
        started = time.monotonic()
        start.set()
        await asyncio.gather(*tasks)
        wall = time.monotonic() - started
        cpu1 = sum(v for g, v in cpu_by_group(server.proc.pid).values() if g == "server")
        stop.set()
        await sampler
    finally:
        server.stop()
    summary = latency_summary(latencies)
    return {
        "students": sessions, "websocket_sessions": 2 * sessions, "seconds": seconds, "think_s": think,
        "setup_s": round(setup_s, 1), "wall_s": round(wall, 1), "errors": len(errors),
        "error_samples": errors[:10], **summary,
        "peak_mb": round(max(peak), 1), "server_cpu_s": round(cpu1 - cpu0, 1),
        "server_cpu_ms_per_interaction": round(1000 * (cpu1 - cpu0) / max(1, summary["interactions"]), 1),
    }


def report(result: dict) -> bool:
    ok = meets_targets(result)
    print(f"server alone: {result['students']} students ({result['websocket_sessions']} WebSocket sessions)"
          f" x {result['seconds']:g} s, think {result['think_s']:g} s")
    print(f"  interactions {result['interactions']}, errors {result['errors']}, p50 {result['p50_s']} s, "
          f"p95 {result['p95_s']} s (edit {result['by_kind_p95_s']['edit']}, step "
          f"{result['by_kind_p95_s']['step']}), peak {result['peak_mb']} MB, server CPU "
          f"{result['server_cpu_s']} s ({result['server_cpu_ms_per_interaction']} ms per interaction)")
    for line in result["error_samples"]:
        print("  error:", line)
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.sessions, args.seconds, args.think))
    ok = report(result)
    print("all targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
