"""The server's side of ``make loadtest``: students' sessions over Streamlit's protocol, no browsers.

Each student is two WebSocket sessions (the loss page and the optimization page, as two tabs are)
sending the messages Chromium sends (checked against a recording of a real browser session): the
score table's edit as the data editor's state, and Step as the player's state inside the training
fragment. Latency runs from sending the message until the server's "script finished" for that run.

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

from bench.metrics import Monitor, latency_summary, meets_targets
from tests.browser.helpers import StreamlitServer

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class Tab:
    """One page open in one tab: a WebSocket session and what its last run showed."""

    def __init__(self, url: str, page: str):
        self.url, self.page = url, page
        self.ws = None
        self.page_hash = ""
        self.editor_id: str | None = None
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
        await self.run()

    async def run(self, fragment_id: str = "", widget_id: str = "", **value) -> None:
        """Send one rerun request (with one widget's new ``value``, as a field of Streamlit's
        WidgetState) and read the server's messages until the run has finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_name = self.page
        state.page_script_hash = self.page_hash
        if fragment_id:
            state.fragment_id = fragment_id
        if widget_id:
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            for name, v in value.items():
                setattr(widget, name, v)
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
        elif kind == "metric":
            metrics[path] = element.metric.body
        elif kind == "bidi_component" and element.bidi_component.component_name == "losslab_player":
            data = json.loads(element.bidi_component.json)
            self.player = (element.bidi_component.id, fragment_id)
            self.player_step, self.player_last = data["t"], data["last"]

    async def report_step(self, step: int) -> None:
        """What the player sends when a Step, Reset or Pause leaves it on ``step`` (ui/player)."""
        widget_id, fragment_id = self.player
        self.reports += 1
        state = {"t": {"step": step, "seq": self.reports}}
        await self.run(fragment_id, widget_id, json_value=json.dumps(state))

    async def edit(self, column: str, value: float) -> None:
        """The data editor's state after editing row 0 of ``column`` (the browser sends this)."""
        state = {"edited_rows": {"0": {column: value}}, "added_rows": [], "deleted_rows": []}
        await self.run("", self.editor_id, string_value=json.dumps(state))


async def student(url: str, seconds: float, think: float, k: int, latencies: list, errors: list,
                  start: asyncio.Event, opened: asyncio.Queue) -> None:
    rng = random.Random(k)
    losses, optim = Tab(url, "losses"), Tab(url, "optimization")
    try:
        await losses.open()
        await optim.open()
        opened.put_nowait(k)
        await start.wait()
        await asyncio.sleep(rng.uniform(0, max(think, 0.5)))
        end, value = time.monotonic() + seconds, 10.0
        while time.monotonic() < end:
            value = 10.0 if value != 10.0 else round(1.0 + 0.1 * (k % 10), 1)
            before, t0 = losses.metrics[1], time.monotonic()
            await losses.edit("image 1 (cat)", value)
            latencies.append(("edit", time.monotonic() - t0))
            if losses.metrics[1] == before:
                raise RuntimeError(f"the softmax loss stayed {before} after the edit")
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            if optim.player_step >= optim.player_last - 10:
                await optim.report_step(0)  # the player's Reset
            before, t0 = optim.player_step, time.monotonic()
            await optim.report_step(before + 1)  # the player's Step (its state after the click)
            latencies.append(("step", time.monotonic() - t0))
            if optim.player_step != before + 1:
                raise RuntimeError(f"the player's step stayed {before} after Step")
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    except Exception as exc:  # counted and reported, never hidden
        errors.append(f"student {k}: {type(exc).__name__}: {str(exc)[:200]}")
        opened.put_nowait(None)
    finally:
        for tab in (losses, optim):
            if tab.ws is not None:
                await tab.ws.close()


async def run(sessions: int, seconds: float, think: float) -> dict:
    latencies, errors, opened, start = [], [], asyncio.Queue(), asyncio.Event()
    with StreamlitServer("app.py") as server:
        monitor = Monitor(server.proc.pid)
        sampler = asyncio.create_task(monitor.run())
        tasks = [asyncio.create_task(student(server.url, seconds, think, k, latencies, errors, start, opened))
                 for k in range(sessions)]
        t_open = time.monotonic()
        for _ in range(sessions):  # each student has opened both pages, or failed
            await asyncio.wait_for(opened.get(), timeout=300)
        setup_s = time.monotonic() - t_open
        monitor.rebase()  # the server's CPU from here
        started = time.monotonic()
        start.set()
        await asyncio.gather(*tasks)
        wall = time.monotonic() - started
        monitor.stopped.set()
        await sampler
    summary, cpu = latency_summary(latencies), monitor.cpu()["server"]
    return {
        "students": sessions, "websocket_sessions": 2 * sessions, "seconds": seconds, "think_s": think,
        "setup_s": round(setup_s, 1), "wall_s": round(wall, 1), "errors": len(errors),
        "error_samples": errors[:10], **summary, "peak_mb": round(monitor.peak_mb, 1), "server_cpu_s": cpu,
        "server_cpu_ms_per_interaction": round(1000 * cpu / max(1, summary["interactions"]), 1),
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
