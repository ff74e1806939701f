"""Students over Streamlit's protocol, no browsers: the load half of ``make loadtest`` (bench.loadtest).

Each student is two WebSocket sessions (/losses and /optimization, as two tabs are) sending what
Chromium sends: the score table's edit as the data editor's state, Step as the player's state; in a
class, the /losses tab's voter id as voter.js sends it, voter.js's watch of the class every
WATCH_SECONDS (an HTTP GET; the poll's rerun when the class's version changes) and an answer as the
radio's label. Latency runs until the run's "script finished".
A route cookie per student spreads the students over nginx's replicas as browsers are."""

from __future__ import annotations

import asyncio
import json
import random
import re
import secrets
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.metrics import Monitor, latency_summary, percentile
from tests.browser.helpers import StreamlitServer
from ui.class_watch import WATCH_SECONDS
from ui.player import unpacked
from ui.widgets import md_escape

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
REPLY_S = 60.0  # a run that has not finished by then is an error


class Tab:
    """One page open in one tab: a WebSocket session and what its last run showed."""

    def __init__(self, url: str, page: str, cookie: str = "", query: str = ""):
        self.url, self.page, self.cookie, self.query = url, page, cookie, query
        self.reconnects = self.polls = self.poll_runs = self.acted = 0
        self.http: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None  # voter.js's fetch
        self.player: tuple[str, str] | None = None  # the training player's (widget id, fragment id)
        self.vote: tuple[str, list[str]] | None = None  # the answer radio's (id, option labels)

    async def open(self) -> None:
        """A new session (also after its server died: nginx sends it to another replica)."""
        self.page_hash = self.editor_id = self.counted = self.voter = self.poll_fragment = ""
        self.watch = self.drawn = self.reported = ""
        self.metrics, self.errors, self.player_step, self.player_last, self.reports = [], [], 0, 0, 0
        url, cookie = f"ws://{self.url.split('://', 1)[1]}/_stcore/stream", {"Cookie": self.cookie}
        kwargs = {"subprotocols": ["streamlit"], "max_size": None, "origin": self.url}
        self.ws = await websockets.connect(url, additional_headers=cookie, **kwargs)
        await self.run()
        if self.voter:  # voter.js reports this browser's id; that run draws the answer box
            await self.run(self.poll_fragment, self.voter, json_value=json.dumps({"id": self.cookie[-32:]}))

    async def run(self, fragment_id: str = "", widget_id: str = "", auto: bool = False, **value) -> None:
        """Send one rerun request (with one widget's new ``value``, as a field of Streamlit's
        WidgetState) and read the server's messages until the run has finished."""
        context = ContextInfo(timezone="UTC", locale="en-US", url=f"{self.url}/{self.page}?{self.query}")
        page = {"page_name": self.page, "page_script_hash": self.page_hash, "query_string": self.query}
        state = ClientState(**page, fragment_id=fragment_id, context_info=context, is_auto_rerun=auto)
        if widget_id:
            state.widget_states.widgets.add(id=widget_id, **value)
        fresh_metrics: dict[int, str] = {}
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        async with asyncio.timeout(REPLY_S):
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
        """What the page shows: an exception, the data editor, a metric (by its place), the player,
        the voter component, the answer radio and the caption that says an answer is counted."""
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind == "dataframe" and element.dataframe.editing_mode != element.dataframe.READ_ONLY:
            self.editor_id, self.editor_fragment = element.dataframe.id, fwd.delta.fragment_id
        elif kind == "metric":
            metrics[tuple(fwd.metadata.delta_path)] = element.metric.body
        elif kind == "bidi_component" and element.bidi_component.component_name.endswith("losslab_player"):
            data = unpacked(json.loads(element.bidi_component.json))  # as player.js reads it
            self.player = (element.bidi_component.id, fwd.delta.fragment_id)
            self.player_step, self.player_last = data["t"], data["last"]
        elif kind == "bidi_component" and element.bidi_component.component_name.endswith("losslab_voter"):
            self.voter, self.poll_fragment = element.bidi_component.id, fwd.delta.fragment_id
            data = json.loads(element.bidi_component.json or "{}")
            self.watch, self.drawn = data.get("watch", ""), data.get("drawn", "")
        elif kind == "radio" and "class.vote." in element.radio.id:
            self.vote = (element.radio.id, list(element.radio.options))
        elif kind == "markdown" and "is counted" in element.markdown.body:
            self.counted = element.markdown.body

    async def check_class(self) -> None:
        """voter.js's timer: GET the class's version; a new one reruns the poll (state "seen")."""
        self.polls += 1
        seen = json.loads(await self.get(self.watch))["v"]
        if seen not in (self.drawn, self.reported):
            self.reported, self.poll_runs = seen, self.poll_runs + 1
            state = json.dumps({"id": self.cookie[-32:], "seen": seen})
            await self.run(self.poll_fragment, self.voter, json_value=state)

    async def get(self, path: str, retry: bool = True) -> bytes:
        """The body of a GET of ``path``, on one kept-alive connection (as the browser's fetch)."""
        host = self.url.split("://", 1)[1]
        if self.http is None:
            self.http = await asyncio.open_connection(*host.split(":"))  # our addresses name their port
        reader, writer = self.http
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {self.cookie}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.readexactly(int(re.search(rb"(?i)content-length: *(\d+)", head)[1]))
        except (asyncio.IncompleteReadError, ConnectionError):  # the server closed a kept-alive connection
            writer.close()
            self.http = None
            if not retry:
                raise
            return await self.get(path, retry=False)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"GET {path}: {head.splitlines()[0].decode()}")
        return body

    async def report_step(self, step: int) -> None:
        """What the player sends when a Step, Reset or Pause leaves it on ``step`` (ui/player)."""
        widget_id, fragment_id = self.player
        self.reports += 1
        state = {"t": {"step": step, "seq": self.reports}}
        await self.run(fragment_id, widget_id, json_value=json.dumps(state))


async def open_student(url: str, code: str = "") -> tuple[Tab, Tab]:
    cookie = f"losslab_route={secrets.token_hex(16)}"  # as nginx sets a new browser's; its voter id too
    tabs = Tab(url, "losses", cookie, f"join={code}" if code else ""), Tab(url, "optimization", cookie)
    await tabs[0].open()  # one after the other, as a student opens two tabs
    await tabs[1].open()
    return tabs


def actions(losses: Tab, optim: Tab):
    """A student's actions, each checked to change what it should: a score edit, a Step, an answer."""

    async def edit(value: float) -> None:  # the data editor's state after editing the cat's cat score
        before, rows = losses.metrics[1], {"0": {"image 1 (cat)": value}}
        state = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
        await losses.run(losses.editor_fragment, losses.editor_id, string_value=json.dumps(state))
        if losses.metrics[1] == before:
            raise RuntimeError(f"the softmax loss stayed {before} after the edit")

    async def step() -> None:
        if optim.player_step >= optim.player_last - 10:
            await optim.report_step(0)  # the player's Reset
        before = optim.player_step
        await optim.report_step(before + 1)  # the player's Step (its state after the click)
        if optim.player_step != before + 1:
            raise RuntimeError(f"the player's step stayed {before} after Step")

    async def vote(k: int) -> None:
        if losses.vote is None:
            raise RuntimeError("no question to answer")
        (widget_id, options), losses.counted = losses.vote, ""
        await losses.run(losses.poll_fragment, widget_id, string_value=options[k % len(options)])
        moved = losses.vote[0] != widget_id  # the next question had been asked: the page shows it now
        if not moved and md_escape(options[k % len(options)]) not in losses.counted:  # markdown caption
            raise RuntimeError(f"answer {options[k % len(options)]} not counted: {losses.counted!r}")

    return {"edit": edit, "step": step, "vote": vote if losses.voter else None}


async def student(k: int, tabs, seconds: float, think: float, latencies: list, errors: list) -> None:
    """Student ``k``'s minute: an edit, a Step, an answer, ... (from the k-th: not all editing at first),
    each after a look of ``think`` x 0.5-1.5 s, and in a class voter.js's watch every WATCH_SECONDS
    (the browser's timer), one at a time. When the server goes away, both tabs open new sessions
    through nginx (as browsers do) and go on; any other failure ends the student, in ``errors``."""
    rng, act, n = random.Random(k), actions(*tabs), k + tabs[0].acted  # on from a minute before, if any
    tabs[0].reconnects = tabs[0].polls = tabs[0].poll_runs = 0  # this minute's counts
    kinds = [kind for kind in ("edit", "step", "vote") if act[kind]]
    now = time.monotonic()
    end, next_act, next_poll = now + seconds, now + think * rng.uniform(0.5, 1.5), now + WATCH_SECONDS
    try:
        while (now := time.monotonic()) < end:
            kind = None if act["vote"] and next_poll < next_act else kinds[n % len(kinds)]
            await asyncio.sleep(max(0.0, (next_act if kind else next_poll) - now))
            if kind is None:
                next_poll = max(next_poll, time.monotonic()) + WATCH_SECONDS  # a timer: late, never bunched
                call = tabs[0].check_class
            else:
                next_act, n = max(next_act, time.monotonic()) + think * rng.uniform(0.5, 1.5), n + 1
                edit = 10.0 if n // len(kinds) % 2 else 1.0 + 0.1 * (k % 10)  # every edit changes the loss
                arg = {"edit": (edit,), "vote": (n // len(kinds),)}.get(kind, ())  # answers change too
                call = lambda: act[kind](*arg)  # noqa: B023 (called in this iteration)
            t0 = time.monotonic()
            try:
                await call()
            except (websockets.ConnectionClosed, OSError):
                tabs[0].reconnects += 1
                for tab in tabs:
                    await tab.open()
                continue  # not timed: the next action is
            if kind:
                latencies.append((kind, time.monotonic() - t0))
        tabs[0].acted = n - k
    except Exception as exc:  # counted and reported, never hidden
        errors.append(f"student {k}: {type(exc).__name__}: {str(exc)[:200]}")


async def class_minute(
    url: str, sessions: int, seconds: float, think: float, pids, code: str = "", midway=None, pool=None
) -> dict:
    """``sessions`` students (in class ``code`` if given) through ``url`` for ``seconds``; ``pids``: the
    servers' processes, whose CPU and peak memory are measured over the minute. ``midway``: a
    coroutine function awaited halfway through (the instructor asks the next question; a replica dies).
    ``pool``: students still open from an earlier minute (kept open for the next), topped up."""
    t_open, opened = time.monotonic(), [] if pool is None else pool
    for start in range(len(opened), sessions, 25):  # 25 at a time, as students arrive over a few seconds
        batch = (open_student(url, code) for _ in range(start, min(sessions, start + 25)))
        opened += await asyncio.gather(*batch, return_exceptions=True)
    setup_s = round(time.monotonic() - t_open, 1)
    errors = [f"a student did not open: {e!r}"[:200] for e in opened if isinstance(e, Exception)]
    opened[:] = [tabs for tabs in opened if isinstance(tabs, tuple)]
    monitors, latencies, students = [Monitor(pid) for pid in pids], [], list(enumerate(opened[:sessions]))
    acting = [student(k, t, seconds, think, latencies, errors) for k, t in students]

    async def halfway() -> None:
        await asyncio.sleep(seconds / 2)
        await midway()

    await asyncio.gather(*acting, *([halfway()] if midway else []))
    await asyncio.gather(*(m.stop() for m in monitors))
    if pool is None:
        await asyncio.gather(*(tab.ws.close() for _, tabs in students for tab in tabs))
    cpu, summary = sum(m.cpu()["server"] for m in monitors), latency_summary(latencies)
    summary["by_kind_p95_s"]["vote"] = percentile([t for kind, t in latencies if kind == "vote"], 0.95)
    head = {"students": sessions, "seconds": seconds, "think_s": think, "setup_s": setup_s}
    per_action = round(1000 * cpu / max(1, summary["interactions"]), 1)
    tail = {"server_cpu_s": round(cpu, 1), "server_cpu_ms_per_action": per_action}
    tail["peak_mb_per_replica"] = [round(m.peak_mb) for m in monitors]
    tail["reconnects"] = sum(tab.reconnects for _, tabs in students for tab in tabs)
    tail["watches"] = sum(tabs[0].polls for _, tabs in students)
    tail["poll_runs"] = polls = sum(tabs[0].poll_runs for _, tabs in students)
    tail["server_cpu_ms_per_run"] = round(1000 * cpu / max(1, summary["interactions"] + polls), 1)
    tail["answered"] = sum(1 for _, tabs in students if tabs[0].counted)  # their page says "counted"
    return {**head, "errors": len(errors), "error_samples": errors[:5], **summary, **tail}


async def run(sessions: int, seconds: float, think: float) -> dict:
    """One server of its own, no balancer, no class (tests/ui/test_server_config.py)."""
    with StreamlitServer("server.py") as server:
        return await class_minute(server.url, sessions, seconds, think, [server.proc.pid])
