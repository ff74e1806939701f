"""Driving a real ``streamlit run`` server in headless Chromium: the browser tests' helpers.

The tests (tests/browser/) and the benchmarks (bench/) import them from here: finding a Chromium,
starting and stopping a server on a free port, waiting for the app to be idle, visiting every tab,
editing a cell of an ``st.data_editor`` the way a user does, and reading the in-browser player.

The data editor is a glide-data-grid: a <canvas>, with no DOM cells to click. Its geometry is read
off the canvas itself: the grid draws 1-px separator lines between columns and rows, so one pixel
row inside the header and one pixel column inside each column give every column and row boundary,
whatever widths Streamlit chose for the columns.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_TIMEOUT = 60.0

# Selectors every test file uses.
PAGES = ("", "losses", "regularization", "optimization", "gradients", "features")  # every page's path
LANG_BOX = ".st-key-lang"  # app.py draws the language box on every page
EXCEPTION = '[data-testid="stException"]'
METRIC = '[data-testid="stMetricValue"]'
EDITOR = '[data-testid="stDataFrame"]'
CELL_EDITOR = "#portal textarea, #portal input"
TAB = '[data-testid="stMain"] [data-testid="stTab"]'  # Streamlit 1.67's tabs carry no data-baseweb
OPEN_TAB_CONTENT = '[role="tabpanel"]:not([hidden]) [data-testid="stElementContainer"]'


# ---- the browser ---------------------------------------------------------------------------------


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to launch and where it came from, or (None, why none was found).

    Order: ``$CHROMIUM_PATH``, Debian's ``/usr/bin/chromium``, then Playwright's own download
    (only if one happens to be installed: nothing is downloaded here).
    """
    tried = []
    env = os.environ.get("CHROMIUM_PATH")
    if env:
        if os.access(env, os.X_OK):
            return env, "$CHROMIUM_PATH"
        tried.append(f"$CHROMIUM_PATH={env} is not an executable file")
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return str(DEBIAN_CHROMIUM), "Debian chromium"
    tried.append(f"{DEBIAN_CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            bundled = p.chromium.executable_path
        if bundled and os.access(bundled, os.X_OK):
            return bundled, "Playwright's chromium"
        tried.append(f"Playwright's chromium ({bundled}) is not installed")
    except Exception as exc:  # playwright missing or its driver failing: no browser either way
        tried.append(f"Playwright is unusable ({type(exc).__name__}: {exc})")
    hint = " (apt-get install chromium, or set CHROMIUM_PATH)"
    return None, "no Chromium found: " + "; ".join(tried) + hint


def launch(playwright, executable: str):
    """Headless Chromium with the flags a sandbox-less CI container needs."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)


# ---- the server ----------------------------------------------------------------------------------


def venv_python() -> str:
    candidate = REPO / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class StreamlitServer:
    """``streamlit run <script>`` on a free port, in its own process group.

    Use as a context manager, or call ``start()`` / ``stop()``. The server's output goes to
    ``log_path``; its tail is included in the error when the server does not come up.
    """

    script: str = "server.py"  # what `make run` serves (app.py plus class mode's watch route)
    log_path: Path | None = None
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    plain: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StreamlitServer:
        """Spawn the server and wait until it is healthy."""
        self.spawn()
        self.wait_healthy()
        return self

    def spawn(self) -> None:
        """Start the process without waiting (to start several servers at once)."""
        # `make run` starts the app through ui.serve; `plain=True` uses bare `streamlit run`.
        launcher = "streamlit" if self.plain else "ui.serve"
        cmd = [
            venv_python(),
            "-m",
            launcher,
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        if self.log_path is None:
            self.log_path = Path(os.devnull)
        else:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_healthy(self, timeout: float = SERVER_TIMEOUT) -> None:
        """Until the server's health endpoint answers "ok" (asked every 0.2 s), or fail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode}\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)  # the interval of a poll for a condition, not a wait in itself
        self.stop()
        raise RuntimeError(
            f"streamlit did not answer {self.url}/_stcore/health within {timeout:.0f} s\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Terminate the whole process group (streamlit may have children), then reap it."""
        if self.proc is None or self.proc.returncode is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or self.log_path == Path(os.devnull) or not self.log_path.exists():
            return "(no server log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "server log tail:\n" + "\n".join(text[-lines:])

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---- the page ------------------------------------------------------------------------------------


def wait_idle(page, timeout: float = 30_000) -> None:
    """Until the app's script run has finished (the frontend marks it on the app root)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout)


# Plotly's code loads after the script run ends (a skeleton stands in for each chart meanwhile):
# drawn means no skeleton is left and every chart has its SVG. The player (a component) draws after
# its data arrives: its counter too. Components that draw nothing (hidden) are not waited for.
DRAWN_JS = """() => !document.querySelector('[data-testid="stMain"] [data-testid^="stSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stMain"] [data-testid^="stBidiComponent"]')]
       .filter(h => h.offsetParent !== null)
       .every(h => (h.shadowRoot || h).querySelector('.ll-player .ll-counter')?.textContent.trim())
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .every(c => c.querySelector('.main-svg .xtick, .main-svg .gtitle'))"""


def wait_drawn(page, timeout: float = 30_000) -> None:
    """Until the page's charts and players are drawn (the browser's work after the script run)."""
    page.wait_for_function(DRAWN_JS, timeout=timeout)


NEXT_FRAME_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def next_frame(page) -> None:
    """Until the browser has drawn two more frames: what a pointer move or a key press changed is
    on screen, and the handlers it scheduled have run."""
    page.evaluate(NEXT_FRAME_JS)


def open_app(page, url: str, *, attached: bool = False, timeout: float = 30_000) -> None:
    """Go to ``url`` and wait until app.py has drawn its sidebar's language box (``attached``: in
    the page, for a sidebar folded away; otherwise visible)."""
    from playwright.sync_api import expect

    page.goto(url)
    if attached:
        expect(page.locator(LANG_BOX)).to_be_attached(timeout=timeout)
    else:
        expect(page.locator(LANG_BOX)).to_be_visible(timeout=timeout)


def open_losses(page, url: str, query: str = "") -> None:
    """/losses (with ``query``) drawn, showing the lecture's SVM loss 5.27, and idle."""
    from playwright.sync_api import expect

    open_app(page, f"{url}/losses{query}")
    expect(page.locator(METRIC).first).to_have_text("5.27", timeout=30_000)
    wait_idle(page)


def every_tab(page):
    """Open each of the page's tabs in turn and yield its label (once, with "", for a page
    without tabs). A lazy tab is empty until its rerun sends its content: wait for that, then
    for the run to end."""
    count = page.locator(TAB).count()
    if not count:
        yield ""
        return
    for k in range(count):
        tab = page.locator(TAB).nth(k)
        label = tab.inner_text()
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
            page.locator(f"{TAB}[aria-selected=true]").filter(has_text=label).wait_for()
            page.locator(OPEN_TAB_CONTENT).first.wait_for()
            wait_idle(page)
        yield label


# ---- the data editor -----------------------------------------------------------------------------

# The separators of a glide-data-grid, read from its canvas. Columns: every x where a pixel row
# inside the header differs from the header's background, in runs at most 3 px wide (hover or
# focus tints are wider). Rows: the same down a pixel column just inside each column's left edge;
# the selected cell's tint and ring hide or add lines in its own column only, so a line counts if
# most columns see it.
GRID_LINES_JS = """(canvas) => {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  const sx = w / canvas.clientWidth, sy = h / canvas.clientHeight;
  const img = ctx.getImageData(0, 0, w, h).data;  // one readback
  const px = (x, y) => { const i = 4 * (y * w + x); return img[i] + ',' + img[i + 1] + ',' + img[i + 2]; };
  const lines = (n, at, scale) => {
    const counts = {};
    for (let i = 0; i < n; i++) { const k = at(i); counts[k] = (counts[k] || 0) + 1; }
    const bg = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
    const out = [];
    let start = -1;
    for (let i = 0; i <= n; i++) {
      const off = i < n && at(i) !== bg;
      if (off && start < 0) start = i;
      if (!off && start >= 0) {
        if (i - start <= 3 && start > 0 && i < n) out.push((start + i - 1) / 2 / scale);
        start = -1;
      }
    }
    return out;
  };
  const cols = lines(w, (x) => px(x, Math.round(2 * sy)), sx);
  const lefts = [0, ...cols];
  const rowsSeenBy = lefts.map((x) => {
    const xi = Math.min(w - 1, Math.round((x + 3) * sx));
    return lines(h, (y) => px(xi, y), sy);
  });
  return {cols, rowsSeenBy, width: canvas.clientWidth, height: canvas.clientHeight};
}"""


def majority_lines(seen_by: list[list[float]], tolerance: float = 2.0) -> list[float]:
    """Lines (positions) seen by more than half of the scans, merging near-equal positions."""
    points = sorted(p for scan in seen_by for p in scan)
    clusters: list[list[float]] = []
    for p in points:
        if clusters and p - clusters[-1][-1] <= tolerance:
            clusters[-1].append(p)
        else:
            clusters.append([p])
    need = len(seen_by) / 2
    return [min(c) for c in clusters if len(c) > need]


@dataclass(frozen=True)
class GridGeometry:
    """Column and row edges of a data grid, in CSS px relative to its canvas."""

    x_edges: list[float]  # column k spans x_edges[k] .. x_edges[k + 1]
    y_edges: list[float]  # the header spans y_edges[0] .. y_edges[1]; data row r is r + 1

    @classmethod
    def from_canvas(cls, found: dict) -> GridGeometry:
        """From what ``GRID_LINES_JS`` found on the canvas."""
        geometry = cls(
            [0.0, *found["cols"], float(found["width"])],
            [0.0, *majority_lines(found["rowsSeenBy"]), float(found["height"])],
        )
        if len(geometry.x_edges) < 3 or len(geometry.y_edges) < 3:
            raise AssertionError(f"could not find the grid's column/row separators on its canvas: {found}")
        return geometry

    @property
    def num_columns(self) -> int:
        return len(self.x_edges) - 1

    @property
    def num_rows(self) -> int:
        return len(self.y_edges) - 2

    def cell_center(self, row: int, col: int) -> tuple[float, float]:
        if not (0 <= row < self.num_rows and 0 <= col < self.num_columns):
            raise IndexError(
                f"cell ({row}, {col}) outside a grid of {self.num_rows} rows x {self.num_columns} columns"
            )
        x = (self.x_edges[col] + self.x_edges[col + 1]) / 2
        y = (self.y_edges[row + 1] + self.y_edges[row + 2]) / 2
        return x, y


def editor_canvas(page, index: int = 0):
    return page.locator(EDITOR).nth(index).locator('[data-testid="data-grid-canvas"]')


def grid_geometry(canvas) -> GridGeometry:
    """Measure the grid's column and row boundaries from its canvas pixels."""
    canvas.scroll_into_view_if_needed()
    canvas.page.mouse.move(0, 0)  # no hover tint on the header while measuring
    return GridGeometry.from_canvas(canvas.evaluate(GRID_LINES_JS))


def open_cell(page, canvas, row: int, col: int, *, expect_old: str | None = None):
    """Double-click a data cell and return the overlay editor's input, checked to hold ``expect_old``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    geometry = grid_geometry(canvas)
    box = canvas.bounding_box()
    x, y = geometry.cell_center(row, col)
    x, y = box["x"] + x, box["y"] + y
    editor = page.locator(CELL_EDITOR).first
    for attempt in range(3):
        # As a hand does it: hover, click (select), double-click, each drawn before the next.
        # Hovering first matters: the grid tracks the hovered cell from pointer moves, and a
        # double-click that arrives while the pointer was last seen elsewhere opens nothing.
        page.mouse.move(x, y)
        next_frame(page)
        page.mouse.click(x, y)
        next_frame(page)
        page.mouse.dblclick(x, y)
        try:
            editor.wait_for(state="visible", timeout=3_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise AssertionError(
                    f"double-clicking cell ({row}, {col}) at ({x:.0f}, {y:.0f}) opened no "
                    f"editor; grid geometry {geometry}"
                ) from None
    if expect_old is not None:
        old = editor.input_value()
        if old != expect_old:
            editor.press("Escape")
            raise AssertionError(
                f"cell ({row}, {col}) opened with {old!r}, expected {expect_old!r}: "
                f"wrong cell? grid geometry {geometry}"
            )
    return editor


def type_into(editor, text: str, *, keystrokes: bool = False) -> None:
    """Replace the editor's content, by ``fill`` or, as a user types, key by key; returns once
    the editor holds ``text`` and the grid has drawn it (an Enter that comes before may commit
    the cell's old value: seen under load)."""
    from playwright.sync_api import expect

    if keystrokes:
        editor.press("ControlOrMeta+a")
        editor.press("Delete")
        editor.press_sequentially(text)
    else:
        editor.fill(text)
    expect(editor).to_have_value(text)
    next_frame(editor.page)


def edit_cell(
    page, canvas, row: int, col: int, text: str, *, expect_old: str | None = None, keystrokes: bool = False
) -> str:
    """Double-click, type, Enter; returns what the editor held when Enter was pressed."""
    editor = open_cell(page, canvas, row, col, expect_old=expect_old)
    type_into(editor, text, keystrokes=keystrokes)
    held = editor.input_value()
    editor.press("Enter")
    page.locator(CELL_EDITOR).first.wait_for(state="detached", timeout=10_000)
    return held


# ---- the in-browser player (ui/player) -----------------------------------------------------------

PLAYER_ROOT_JS = """() => {
  for (const host of document.querySelectorAll('[data-testid^="stBidiComponent"]')) {
    const root = (host.shadowRoot || host).querySelector('.ll-player');
    if (root) return root;
  }
  return null;
}"""

# The player's state as the user sees it: step, scrubber, counter, numbers, W and b.
PLAYER_STATE_JS = (
    """() => {
  const root = ("""
    + PLAYER_ROOT_JS
    + """)();
  if (!root) return null;
  const metrics = {};
  for (const dd of root.querySelectorAll('dd[data-metric]')) metrics[dd.dataset.metric] = dd.textContent;
  const rows = [...root.querySelectorAll('.ll-params tbody tr')];
  return {
    step: Number(root.dataset.step), frame: Number(root.dataset.frame),
    playing: root.dataset.playing === 'true', scrub: Number(root.querySelector('.ll-scrub').value),
    last: Number(root.querySelector('.ll-scrub').max),
    counter: root.querySelector('.ll-counter').textContent,
    metrics, W: rows.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    b: rows.map((tr) => tr.querySelectorAll('td')[2]?.textContent),
  };
}"""
)

# For ``seconds``, on every animation frame: did the drawing change (a signature of the regions or
# paths, the curves' reveal and the numbers), is it blank (no region, no number), which step is it.
PLAYER_FPS_JS = (
    """async (seconds) => {
  const root = ("""
    + PLAYER_ROOT_JS
    + """)();
  const signature = () => {
    const shapes = root.querySelectorAll('.ll-region, .ll-path');
    const regions = [...shapes].map((p) => p.getAttribute('points') || '');
    const clip = [...root.querySelectorAll('clipPath rect')].map((r) => r.getAttribute('width'));
    const numbers = [...root.querySelectorAll('[data-metric]')].map((d) => d.textContent);
    return {text: regions.join('|') + clip.join('|') + numbers.join('|'), regions, numbers};
  };
  const blank = (s) => !s.regions.some((p) => p.trim().length > 0) || s.numbers.some((n) => !n.trim())
    || root.getBoundingClientRect().height < 50;
  const start = performance.now(), frame0 = Number(root.dataset.frame);
  let previous = signature().text, changes = 0, samples = 0, blanks = 0, steps = new Set();
  while (performance.now() - start < seconds * 1000) {
    await new Promise((r) => requestAnimationFrame(r));
    const s = signature();
    samples += 1;
    if (blank(s)) blanks += 1;
    if (s.text !== previous) changes += 1;
    previous = s.text;
    steps.add(root.dataset.step);
  }
  const elapsed = (performance.now() - start) / 1000;
  return {fps: changes / elapsed, drawn_fps: (Number(root.dataset.frame) - frame0) / elapsed,
          changes, samples, blanks, steps: steps.size, elapsed};
}"""
)


def player_state(page) -> dict | None:
    """The player's step, frame, last step, playing, scrubber, counter, metrics, W and b."""
    return page.evaluate(PLAYER_STATE_JS)


def measure_fps(page, seconds: float = 2.0) -> dict:
    """While the player plays: {fps (visible changes a second), drawn_fps, changes, samples,
    blanks, steps (distinct steps seen), elapsed}."""
    return page.evaluate(PLAYER_FPS_JS, seconds)
