"""The server's side of ``make loadtest``: students' sessions over Streamlit's protocol, no browsers.

Each student is two WebSocket sessions (/losses and /optimization, as two tabs are) sending what
Chromium sends (checked against a recording): the score table's edit as the data editor's state,
Step as the player's state in the training fragment. Latency runs until the run's "script finished".
``python -m bench.loadtest --no-browser-run --server-think 1`` runs it alone.
"""

from __future__ import annotations

import asyncio
import json
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.metrics import Monitor, class_minute, meets_targets
from tests.browser.helpers import StreamlitServer

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class Tab:
    """One page open in one tab: a WebSocket session and what its last run showed."""

    def __init__(self, url: str, page: str):
        self.url, self.page, self.ws, self.page_hash, self.editor_id = url, page, None, "", ""
        self.metrics, self.errors = [], []  # the metrics' values in page order; exceptions shown
        self.player: tuple[str, str] | None = None  # the training player's (widget id, fragment id)
        self.player_step = self.player_last = self.reports = 0

    async def open(self) -> None:
        import websockets

        host = self.url.split("://", 1)[1]
        self.ws = await websockets.connect(
            f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], max_size=None, origin=self.url
        )
        await self.run()

    async def run(self, fragment_id: str = "", widget_id: str = "", **value) -> None:
        """Send one rerun request (with one widget's new ``value``, as a field of Streamlit's
        WidgetState) and read the server's messages until the run has finished."""
        context = ContextInfo(timezone="UTC", locale="en-US", url=f"{self.url}/{self.page}")
        ids = {"page_script_hash": self.page_hash, "fragment_id": fragment_id}
        state = ClientState(page_name=self.page, context_info=context, **ids)
        if widget_id:
            state.widget_states.widgets.add(id=widget_id, **value)
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        fresh_metrics: dict[int, str] = {}
        while not self.read_message(ForwardMsg.FromString(await self.ws.recv()), fresh_metrics):
            pass
        if fresh_metrics:
            ordered = [fresh_metrics[k] for k in sorted(fresh_metrics)]
            self.metrics = ordered if len(ordered) >= len(self.metrics) else self.metrics
        if self.errors:
            raise RuntimeError(f"{self.page}: {self.errors[0]}")

    def read_message(self, fwd: ForwardMsg, metrics: dict) -> bool:
        """Take in one message of the run; True once the run has finished."""
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = fwd.new_session.page_script_hash or self.page_hash
        elif kind in ("page_info_changed", "navigation"):
            self.page_hash = getattr(getattr(fwd, kind), "page_script_hash", "") or self.page_hash
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            self.read_element(fwd, metrics)
        elif kind == "script_finished" and fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            raise RuntimeError(f"{self.page}: the script did not compile")
        return kind == "script_finished" and fwd.script_finished in DONE

    def read_element(self, fwd: ForwardMsg, metrics: dict) -> None:
        """What the page shows: an exception, the data editor, a metric (by its place) or the player."""
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind == "dataframe" and element.dataframe.editing_mode != element.dataframe.READ_ONLY:
            self.editor_id = element.dataframe.id
        elif kind == "metric":
            metrics[tuple(fwd.metadata.delta_path)] = element.metric.body
        elif kind == "bidi_component" and element.bidi_component.component_name == "losslab_player":
            data = json.loads(element.bidi_component.json)
            self.player = (element.bidi_component.id, fwd.delta.fragment_id)
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


async def open_student(url: str) -> tuple[Tab, Tab]:
    tabs = Tab(url, "losses"), Tab(url, "optimization")
    for tab in tabs:
        await tab.open()
    return tabs


def actions(losses: Tab, optim: Tab):
    """A student's two actions, each checked to change what it should: a score edit and a Step."""

    async def edit(value: float) -> float:
        before, t0 = losses.metrics[1], time.monotonic()
        await losses.edit("image 1 (cat)", value)
        if losses.metrics[1] == before:
            raise RuntimeError(f"the softmax loss stayed {before} after the edit")
        return time.monotonic() - t0

    async def step() -> float:
        if optim.player_step >= optim.player_last - 10:
            await optim.report_step(0)  # the player's Reset
        before, t0 = optim.player_step, time.monotonic()
        await optim.report_step(before + 1)  # the player's Step (its state after the click)
        if optim.player_step != before + 1:
            raise RuntimeError(f"the player's step stayed {before} after Step")
        return time.monotonic() - t0

    return edit, step


async def run(sessions: int, seconds: float, think: float) -> dict:
    with StreamlitServer("app.py") as server:
        monitor = Monitor(server.proc.pid)
        t_open, students = time.monotonic(), (open_student(server.url) for _ in range(sessions))
        opened = await asyncio.gather(*students, return_exceptions=True)
        fields = {"students": sessions, "websocket_sessions": 2 * sessions}
        setup_s = round(time.monotonic() - t_open, 1)
        r = await class_minute(monitor, opened, actions, seconds, think, **fields, setup_s=setup_s)
        for tabs in opened:
            for tab in () if isinstance(tabs, BaseException) else tabs:
                await tab.ws.close()
    r["server_cpu_s"] = cpu = monitor.cpu()["server"]
    r["server_cpu_ms_per_interaction"] = round(1000 * cpu / max(1, r["interactions"]), 1)
    return r


def report(r: dict) -> bool:
    print(
        f"server alone: {r['students']} students ({r['websocket_sessions']} WebSocket sessions) x "
        f"{r['seconds']:g} s, think {r['think_s']:g} s: {r['interactions']} interactions, "
        f"{r['errors']} errors, p50 {r['p50_s']} s, p95 {r['p95_s']} s (by kind {r['by_kind_p95_s']}), "
        f"peak {r['peak_mb']} MB, "
        f"server CPU {r['server_cpu_s']} s ({r['server_cpu_ms_per_interaction']} ms per interaction)"
    )
    return meets_targets(r)
