"""Class mode in a real browser: one instructor and three students, each in their own context.

The instructor starts a class and reads its code; student 1 joins by the join link, student 2 by
typing the code in the sidebar, student 3 by the link in Korean. The instructor asks Q1; each
student's page shows it (its browser watches the class and reruns the poll, no reload) within 2 s of
the store getting it, plus the server's measured latency when other work slows the machine down.
They answer, one changes their answer, one reloads and keeps their one vote (the voter id is in
localStorage); the instructor's count shows 3; Close; Reveal; each student sees the answer and the
distribution. No student page holds an instructor control or the token. Screenshots at 1280x720 (the
instructor presenting, light and dark; a Korean student) go to artifacts/.
"""

from __future__ import annotations

import functools
import re
import time

import pytest
from playwright.sync_api import expect

from classroom.store import open_store
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import EXCEPTION, LANG_BOX, open_losses, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
CLASS_BOX = '[data-testid="stSidebar"] [data-testid="stExpander"]'
CODE = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b")
VOTE_BOX = '[class*="st-key-class-vote-"]'
SHOWN_WITHIN_S = 2.0
CHOICE = "quiz.losses.q1.choice"


@functools.cache
def store():
    """The store the test's server uses (same environment, so the same database)."""
    return open_store()


# When the page first holds ``text`` (the browser's clock, ms): set by a DOM observer, so the moment
# is the page's own, not when the test next looked.
WATCH_JS = """(text) => {
  window.__losslabShownAt = null;
  const seen = () => {
    if (window.__losslabShownAt === null && document.body.textContent.includes(text)) {
      window.__losslabShownAt = Date.now();
    }
  };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def key(name: str) -> str:
    """The CSS class Streamlit gives an element with ``key=name``."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", name)


def radio_option(page, lang: str, choice: str):
    return page.locator(VOTE_BOX).locator("label").filter(has_text=translate(lang, f"{CHOICE}.{choice}"))


def vote(page, lang: str, choice: str) -> None:
    """Pick an answer and wait until the store has counted it (the page says so)."""
    radio_option(page, lang, choice).click()
    counted = translate(lang, "class.counted", answer=translate(lang, f"{CHOICE}.{choice}"))
    expect(page.get_by_text(counted.replace("**", ""))).to_be_visible()


def open_class_box(page) -> None:
    """Unfold the sidebar's "Class mode" box (folded while this session is in no class)."""
    box = page.locator(CLASS_BOX).filter(has_text=translate("en", "class.title")).locator("details")
    if box.get_attribute("open") is None:
        box.locator("summary").click()


def start_class(page, app_url: str) -> tuple[str, str]:
    """The instructor starts a class: the code they read off the sidebar, and the secret link."""
    open_losses(page, app_url, "?present=1")  # on the projector: the sidebar starts folded away
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    open_class_box(page)
    page.locator(key("class.start")).locator("button").click()
    expect(page.locator(CLASS_BOX).get_by_text(translate("en", "class.you_are.teacher"))).to_be_visible()
    shown = page.locator(CLASS_BOX).get_by_text(translate("en", "class.join_with", code="").split("**")[0])
    [code] = CODE.findall(shown.inner_text())
    secret_button = page.get_by_role("button", name=translate("en", "class.secret"))
    secret_button.click()
    link = page.locator('[data-testid="stPopoverBody"] code').first
    expect(link).to_contain_text("?teach=")
    secret = link.inner_text().strip()
    page.keyboard.press("Escape")
    expect(link).to_be_hidden()
    return code, secret.split("?teach=", 1)[1]


def no_instructor_controls(page, secret: str) -> None:
    for name in ("class.ask", "class.close", "class.reveal", "class.end", "class.secret"):
        expect(page.get_by_role("button", name=translate("en", name))).to_have_count(0)
        expect(page.get_by_role("button", name=translate("ko", name))).to_have_count(0)
    assert secret not in page.content()
    assert "teach" not in page.url


def test_one_instructor_three_students(browser, app_url):
    started = time.monotonic()
    contexts = [browser.new_context(viewport=PROJECTOR) for _ in range(4)]
    for context in contexts:
        context.set_default_timeout(20_000)
    teacher, *students = (context.new_page() for context in contexts)
    expect.set_options(timeout=15_000)  # four sessions on one server: a busy machine is slow
    try:
        run_the_class(teacher, students, app_url)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for k, page in enumerate((teacher, *students)):
            page.screenshot(path=str(ARTIFACTS / f"class-failed-{k}.png"))
        raise
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default, for the tests that follow
        for context in contexts:
            context.close()
    print(f"the class took {time.monotonic() - started:.1f} s")


START = [0.0]


def phase(name: str) -> None:
    """Print how long the test has run at the end of ``name`` (the report quotes these)."""
    print(f"{time.monotonic() - START[0]:5.1f} s  {name}")


def run_the_class(teacher, students, app_url) -> None:
    START[0] = time.monotonic()
    code, secret = start_class(teacher, app_url)
    assert "teach" not in teacher.url
    one, two, three = students
    langs = ("en", "en", "ko")
    phase("instructor started a class")
    # The three pages load at once (goto returns at the load event; the app connects after it).
    one.goto(f"{app_url}/?join={code}")  # the join link the instructor shares
    two.goto(app_url)
    three.goto(f"{app_url}/?join={code.replace('-', '')}&lang=ko")
    expect(two.locator(LANG_BOX)).to_be_visible()
    open_class_box(two)
    two.locator(CLASS_BOX).get_by_label(translate("en", "class.code_label")).fill(code.lower())
    two.get_by_role("button", name=translate("en", "class.join"), exact=True).click()
    for page, lang in zip(students, langs, strict=True):
        waiting = translate(lang, "class.waiting", code=code)
        expect(page.get_by_text(waiting)).to_be_visible()
        page.evaluate("window.__losslabNoReload = true")  # gone if the page reloads

    phase("students joined")
    # The instructor asks Q1 from its card on the what-if tab.
    teacher.get_by_role("tab", name=translate("en", "losses.tabs.whatif")).click()
    wait_idle(teacher)
    teacher.locator(key("losses.preset.q1")).locator("button").first.click()
    wait_idle(teacher)
    prompts = [translate(lang, "quiz.losses.q1.prompt", image=2) for lang in langs]
    for page, prompt in zip(students, prompts, strict=True):
        page.evaluate(WATCH_JS, prompt)
    clicked = time.time()
    teacher.get_by_role("button", name=translate("en", "class.ask")).click()
    for page, prompt in zip(students, prompts, strict=True):
        expect(page.get_by_text(prompt)).to_be_visible()
        assert page.evaluate("window.__losslabNoReload === true"), "the student's page reloaded"
    asked = store().current(code).asked_at  # when the instructor's Ask reached the store
    delays = [page.evaluate("window.__losslabShownAt") / 1000 - asked for page in students]
    print(
        f"question stored {asked - clicked:.2f} s after the click; shown to the students "
        f"{', '.join(f'{d:.2f}' for d in delays)} s after that"
    )
    # The server's own latency now (click to stored: one round trip and one short run) is added to
    # the budget, so a machine busy with other work does not fail the test; idle, it is ~0.1 s.
    assert max(delays) <= SHOWN_WITHIN_S + (asked - clicked), (delays, asked - clicked)
    expect(teacher.get_by_text(re.compile(r"Voting is open: 0 answers"))).to_be_visible()

    for page, lang in zip(students, langs, strict=True):
        expect(page.get_by_text(translate(lang, "class.state.open", count=0).split(":")[0])).to_have_count(0)
        no_instructor_controls(page, secret)
    phase("question shown")
    vote(one, "en", "same")
    vote(one, "en", "changes")  # a change of mind
    vote(two, "en", "same")
    vote(three, "ko", "changes")
    expect(teacher.get_by_text(re.compile(r"Voting is open: 3 answers"))).to_be_visible()

    phase("voted")
    # Student 1 reloads: the same browser is the same voter, still counted once.
    one.reload()
    counted = translate("en", "class.counted", answer=translate("en", f"{CHOICE}.changes"))
    expect(one.get_by_text(counted)).to_be_visible()  # the store knows this browser's vote
    assert sum(store().tally(code.replace("-", ""), store().current(code).id).values()) == 3
    teacher.get_by_role("button", name=translate("en", "class.close")).click()
    expect(teacher.get_by_text(re.compile(r"Voting is closed: 3 answers"))).to_be_visible()
    for page, lang in zip(students, langs, strict=True):
        expect(page.get_by_text(translate(lang, "class.closed", answer="").split(".")[0])).to_be_visible()
        expect(page.locator(VOTE_BOX)).to_have_count(0)  # no answer box any more

    teacher.get_by_role("button", name=translate("en", "class.reveal")).click()
    expect(teacher.get_by_text(re.compile(r"Revealed to the class \(3 answers\)"))).to_be_visible()
    phase("closed and revealed")
    screenshots(teacher, three, code)
    phase("screenshots")
    for page, lang in zip(students, langs, strict=True):
        answer = translate(lang, "class.answer", answer=translate(lang, f"{CHOICE}.same")).replace("**", "")
        expect(page.get_by_text(answer)).to_be_visible()
        title = translate(lang, "class.votes_title", total=3)
        expect(page.locator(".js-plotly-plot").filter(has_text=title)).to_be_visible()
        expect(page.locator(EXCEPTION)).to_have_count(0)
        no_instructor_controls(page, secret)


def screenshots(teacher, student, code: str) -> None:
    """The instructor presenting (light: the class bar, then the votes; dark: the votes) and a
    Korean student's reveal, at 1280x720."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    teacher.locator('[data-testid="stSidebarHeader"]').hover()  # the fold button shows on hover
    teacher.locator('[data-testid="stSidebarCollapseButton"] button').click()
    expect(teacher.locator('[data-testid="stExpandSidebarButton"]')).to_be_visible()
    big_code = teacher.locator('[data-testid="stMain"] h1').filter(has_text=code)
    big_code.scroll_into_view_if_needed()
    teacher.screenshot(path=str(ARTIFACTS / "class-instructor-bar-light.png"))
    votes = teacher.locator(".js-plotly-plot").filter(has_text=translate("en", "class.votes_title", total=3))
    votes.scroll_into_view_if_needed()
    teacher.screenshot(path=str(ARTIFACTS / "class-instructor-votes-light.png"))
    teacher.emulate_media(color_scheme="dark")
    teacher.screenshot(path=str(ARTIFACTS / "class-instructor-votes-dark.png"))
    student.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    student.screenshot(path=str(ARTIFACTS / "class-student-ko.png"))
