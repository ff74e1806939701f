"""Two replicas behind Debian's nginx (deploy/classroom.py, as ``make classroom`` runs them), in Chromium.

Browsers spread over the replicas and each stays on one (the route cookie); an upload works through
the balancer (the replicas share the cookie secret, so XSRF stays on); a killed replica's students
are back on the other one within 10 s, showing the page their URL holds, and its widgets work;
no poll vote is lost (the store is shared); the restarted replica is back in rotation.

Skipped when nginx is not installed, unless ``REQUIRE_NGINX=1`` (CI, set by .ci/run).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from bench import protocol_load
from classroom.store import open_store
from core.lecture import LECTURE_LABELS, LECTURE_SCORES
from core.losses import svm_loss
from deploy.classroom import Classroom, find_nginx, healthy
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import (
    EXCEPTION,
    METRIC,
    VIEWPORT,
    edit_cell,
    editor_canvas,
    free_port,
    venv_python,
    wait_idle,
)
from ui.i18n import translate
from ui.widgets import fmt

pytestmark = pytest.mark.browser

REPLICAS = 2
COME_BACK_S = 10.0  # issue 15: a killed replica's students are back within this
SQUARED = ".st-key-losses-squared label"
STATE = "[data-testid='stApp']"


@pytest.fixture(scope="module")
def nginx() -> str:
    path = find_nginx()
    if path is None:
        why = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(f"REQUIRE_NGINX=1 but {why}", pytrace=False)
        pytest.skip(why)
    return path


def free_ports(n: int) -> int:
    """A port with the ``n - 1`` after it free too (nginx and its replicas)."""
    for _ in range(50):
        port = free_port()
        if port + n < 65535 and all(not healthy(f"http://127.0.0.1:{port + k}", 0.2) for k in range(n)):
            try:
                for k in range(n):
                    with socket.create_server(("127.0.0.1", port + k)):
                        pass
                return port
            except OSError:
                continue
    raise RuntimeError("no block of free ports")


@pytest.fixture(scope="module")
def room(nginx, chromium_path, tmp_path_factory):
    """Two replicas with a store of their own, behind nginx on 127.0.0.1."""
    data = tmp_path_factory.mktemp("store")
    env = {"LOSSLAB_DATA_DIR": str(data), "LOSSLAB_DATABASE_URL": ""}
    port = free_ports(REPLICAS + 1)
    with Classroom(REPLICAS, port, host="127.0.0.1", logs=ARTIFACTS / "classroom", env=env) as c:
        c.store_url = f"sqlite:///{data / 'classroom.sqlite3'}"
        yield c


@pytest.fixture
def both_up(room):
    """Every replica running after the test, whatever it killed."""
    yield room
    for k in range(REPLICAS):
        if not room.replica(k).alive():
            room.restart(k)
            back_in_rotation(room, k)


def back_in_rotation(room: Classroom, k: int, timeout: float = 20.0) -> None:
    """Until nginx sends new browsers to replica ``k`` again: it leaves a failed replica out for
    fail_timeout, and a test that started sooner would find every new student on the others."""
    deadline = time.monotonic() + timeout
    while fetch(room)[0] != k:
        assert time.monotonic() < deadline, f"replica {k} did not come back into rotation"


def fetch(room: Classroom, cookie: str = "") -> tuple[int, str]:
    """(replica, route cookie) of one plain request, sending ``cookie`` if any."""
    headers = {"Cookie": cookie} if cookie else {}
    with urllib.request.urlopen(
        urllib.request.Request(f"{room.url}/_stcore/health", headers=headers)
    ) as resp:
        cookies = [c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or []]
        route = next((c for c in cookies if c.startswith("losslab_route=")), cookie)
        return room.which(resp.headers["X-LossLab-Replica"]), route


def student(browser, room: Classroom, path: str):
    """A new browser (own cookies) with ``path`` open and idle; (page, its replica)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    response = page.goto(f"{room.url}/{path}")
    expect(page.locator(".st-key-lang")).to_be_attached(timeout=60_000)
    wait_idle(page)
    return page, room.which(response.headers["x-losslab-replica"])


def students_on_every_replica(browser, room: Classroom, path: str, each: int = 1) -> dict[int, list]:
    """New browsers until every replica has ``each`` of them (the route cookie is random)."""
    on: dict[int, list] = {k: [] for k in range(REPLICAS)}
    for _ in range(30):
        if all(len(pages) >= each for pages in on.values()):
            return on
        page, k = student(browser, room, path)
        if len(on[k]) < each:
            on[k].append(page)
        else:
            page.context.close()
    raise AssertionError(f"30 browsers did not reach every replica: {[len(p) for p in on.values()]}")


def connection(page) -> str:
    return page.locator(STATE).get_attribute("data-test-connection-state") or ""


COUNT_RUNS_JS = """() => {
  const root = document.querySelector("[data-testid='stApp']");
  window.runsSeen = 0;
  new MutationObserver(() => {
    if (root.getAttribute("data-test-script-state") === "running") window.runsSeen += 1;
  }).observe(root, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def count_runs(page) -> None:
    """From now on the page counts the runs it sees start (``window.runsSeen``)."""
    page.evaluate(COUNT_RUNS_JS)


def wait_reconnected(page, since: float) -> float:
    """Seconds from ``since`` until the page, having lost its server, is connected again; then
    until the page has run on its new replica (``count_runs`` was called before the loss). Until
    that run has drawn a fragment, the fresh session there drops a click inside it."""
    expect(page.locator(STATE)).not_to_have_attribute(
        "data-test-connection-state", "CONNECTED", timeout=10_000
    )
    expect(page.locator(STATE)).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=20_000)
    back = time.monotonic() - since
    page.wait_for_function("() => window.runsSeen > 0", timeout=10_000)
    wait_idle(page)
    return back


def svm(scores=LECTURE_SCORES, **options) -> str:
    return fmt(svm_loss(scores, LECTURE_LABELS, **options).total)


# ---- routing ---------------------------------------------------------------------------------------


def test_browsers_spread_over_the_replicas_and_each_stays_on_one(room):
    first = [fetch(room) for _ in range(40)]  # 40 browsers behind one address (one NAT)
    assert {k for k, _ in first} == set(range(REPLICAS)), "one address must not mean one replica"
    for k, cookie in first[:10]:
        assert {fetch(room, cookie)[0] for _ in range(5)} == {k}, "a browser changed replica"


def test_an_upload_works_through_the_balancer(room, browser, tmp_path):
    png = tmp_path / "tiny.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (48, 72, 3), dtype=np.uint8)).save(png)
    for pages in students_on_every_replica(browser, room, "features").values():
        page = pages[0]
        page.locator('.st-key-features-file input[type="file"]').set_input_files(str(png))
        expect(page.locator(".st-key-features-img input")).to_have_value(
            translate("en", "features.sample.upload"), timeout=30_000
        )
        wait_idle(page)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        page.context.close()


# ---- a replica dies ----------------------------------------------------------------------------------


def test_a_killed_replicas_students_come_back_with_working_widgets(both_up, browser):
    room = both_up
    on = students_on_every_replica(browser, room, "losses?margin=2")
    for pages in on.values():
        expect(pages[0].locator(METRIC).first).to_have_text(svm(margin=2.0), timeout=30_000)
    dead, alive = 0, 1
    victim, bystander = on[dead][0], on[alive][0]

    count_runs(victim)
    t0 = time.monotonic()
    room.kill(dead)
    assert wait_reconnected(victim, t0) <= COME_BACK_S
    assert victim.url.endswith("/losses?margin=2")  # the URL holds the page's state
    expect(victim.locator(METRIC).first).to_have_text(svm(margin=2.0), timeout=30_000)
    # An edit reruns only the score table's fragment, which the fresh session on the other replica
    # did not know until the page ran again there (ui/reconnect): the edit was dropped.
    edit_cell(victim, editor_canvas(victim), 0, 1, "10", expect_old="3.2")
    edited = LECTURE_SCORES.copy()
    edited[0, 0] = 10.0
    expect(victim.locator(METRIC).first).to_have_text(svm(edited, margin=2.0), timeout=30_000)
    victim.locator(SQUARED).click()  # issue 15: after a reconnect this click changed nothing
    expect(victim.locator(METRIC).first).to_have_text(svm(edited, margin=2.0, squared=True), timeout=30_000)
    expect(victim).to_have_url(re.compile(r"/losses\?(?=.*\bmargin=2\b)(?=.*\bsquared=1\b)(?=.*\bscores=)"))
    expect(victim.locator(EXCEPTION)).to_have_count(0)
    assert connection(bystander) == "CONNECTED"  # the other replica's students never noticed
    bystander.locator(SQUARED).click()
    expect(bystander.locator(METRIC).first).to_have_text(svm(margin=2.0, squared=True), timeout=30_000)

    assert {fetch(room)[0] for _ in range(10)} == {alive}, "the dead replica stays out"
    room.restart(dead)
    back_in_rotation(room, dead)
    for pages in on.values():
        pages[0].context.close()


def vote(page, option: int) -> None:
    """Pick the question's ``option``; until the page says the answer is counted."""
    radio = page.locator('[class*="st-key-class-vote"] [role="radiogroup"] label')
    expect(radio.first).to_be_visible(timeout=20_000)
    label = radio.nth(option).inner_text().strip()
    radio.nth(option).click()
    expect(page.get_by_text(translate("en", "class.counted", answer=label))).to_be_visible(timeout=10_000)


def test_no_vote_is_lost_when_a_replica_dies(both_up, browser):
    room = both_up
    store = open_store(room.store_url)
    code, secret = store.create_class()
    question = store.ask(secret, "regularization.l2_prefers", ["w1", "w2", "tie"])
    on = students_on_every_replica(browser, room, f"?join={code}", each=2)
    for k in range(REPLICAS):
        vote(on[k][0], option=k)  # one student on each replica votes; the second waits
    expect_tally(store, code, question, {"w1": 1, "w2": 1})

    count_runs(on[0][1])
    t0 = time.monotonic()
    room.kill(0)
    assert wait_reconnected(on[0][1], t0) <= COME_BACK_S
    expect_tally(store, code, question, {"w1": 1, "w2": 1})  # the shared store kept every vote
    vote(on[0][1], option=2)  # the waiting student, now on the other replica
    vote(on[1][1], option=2)
    expect_tally(store, code, question, {"w1": 1, "w2": 1, "tie": 2})
    assert store.current(code).state == "open"  # the instructor's class and question are intact
    for pages in on.values():
        for page in pages:
            expect(page.locator(EXCEPTION)).to_have_count(0)
            page.context.close()
    store.dispose()


def expect_tally(store, code: str, question: str, tally: dict, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while (got := {k: v for k, v in store.tally(code, question).items() if v}) != tally:
        assert time.monotonic() < deadline, f"tally {got}, expected {tally}"
        time.sleep(0.2)  # the interval of a poll of the store, not a wait in itself


def test_a_short_class_over_the_protocol_survives_a_kill(both_up):
    """``make loadtest`` in small (bench.protocol_load): 10 students edit, Step and answer through
    nginx for a few seconds; one replica is killed in the middle, its students reconnect to the
    other (as browsers do) and go on; no action fails and no vote is lost."""
    room = both_up
    store = open_store(room.store_url)
    code, secret = store.create_class()
    question = store.ask(secret, "regularization.l2_prefers", ["w1", "w2", "tie"])
    pids = [room.replica(k).proc.pid for k in range(REPLICAS)]

    async def lesson():
        kill = lambda: asyncio.to_thread(room.kill, 0)  # halfway through, with every student acting
        return await protocol_load.class_minute(room.url, 10, 8.0, 1.0, pids, code, kill)

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps an event loop in this thread
        result = pool.submit(asyncio.run, lesson()).result(timeout=180)
    assert result["errors"] == 0, result["error_samples"]
    assert result["reconnects"] >= 1, "no student was on the killed replica"
    assert result["by_kind_p95_s"]["vote"] is not None, result
    votes = sum(store.tally(code, question).values())
    assert votes == result["answered"], f"{votes} answers in the store, {result['answered']} said counted"
    assert votes >= 8, f"only {votes} of 10 students answered"
    store.dispose()


# ---- the launcher ---------------------------------------------------------------------------------


def test_ctrl_c_stops_every_process(nginx, tmp_path):
    port = free_ports(2)
    cmd = [
        venv_python(),
        "-m",
        "deploy.classroom",
        "--replicas",
        "1",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
    env = {**os.environ, "LOSSLAB_DATA_DIR": str(tmp_path)}
    launcher = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in launcher.stdout:
            if "Ctrl-C stops them all" in line:
                break
        assert healthy(f"http://127.0.0.1:{port}")
        assert healthy(f"http://127.0.0.1:{port + 1}")
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=30) == 0
        assert not healthy(f"http://127.0.0.1:{port}", 1)
        assert not healthy(f"http://127.0.0.1:{port + 1}", 1)
    finally:
        launcher.kill()
