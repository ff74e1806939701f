"""Class mode end to end in AppTest: one instructor session and student sessions on one store.

The store is a SQLite file in the test's tmp dir (``LOSSLAB_DATA_DIR``, the cached store cleared). A
student's voter id comes from the browser (ui.voter's component), which AppTest has none of: here
it is the session's ``_test.voter`` (None until the test gives the session one).
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
import streamlit as st
from apptest_tools import (
    APP,
    CURRENT,
    LOSSES,
    _proto_strings,
    check,
    editor,
    nodes,
    open_page,
    open_tab,
    texts,
    unescape,
)
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest
from test_hostile_everywhere import assert_safe

from core import lecture
from core.quiz import QUESTIONS, class_options
from ui import class_mode, voter
from ui.answers import facts_text, number_text, why_key
from ui.i18n import translate

VOTER = "_test.voter"
CODE_SHOWN = re.compile(r"\*\*([A-Z2-9]{4})\\?-([A-Z2-9]{4})\*\*")
INSTRUCTOR_KEYS = ("class.ask", "class.again", "class.close", "class.reveal", "class.end", "class.copy")


@pytest.fixture(autouse=True)
def store(monkeypatch, tmp_path):
    """A fresh store for the test; a session's voter id is what the test put in its state."""
    monkeypatch.delenv("LOSSLAB_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOSSLAB_DATA_DIR", str(tmp_path))
    class_mode.store.clear()
    monkeypatch.setattr(voter, "voter_id", lambda watch="", drawn="": st.session_state.get(VOTER))
    yield class_mode.store()
    class_mode.store().dispose()
    class_mode.store.clear()


# ---- sessions ------------------------------------------------------------------------------------------


def run(at: AppTest) -> AppTest:
    """Rerun ``at`` as the session under test (format_funcs answer in its language)."""
    CURRENT[:] = [at]
    return check(at.run())


def student(voter_id: str | None, page: str = LOSSES, **params: str) -> AppTest:
    """A student's first run: ``page?params`` (``join=CODE`` joins by the link), with a voter id."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.session_state[VOTER] = voter_id
    at.switch_page(page)
    return run(at)


def instructor() -> tuple[AppTest, str, str]:
    """An instructor who started a class on /losses: the session, the join code and the token."""
    at = open_page()
    at.button(key="class.start").click()
    run(at)
    return at, at.session_state["class.code"], at.session_state["_class.token"]


def ask(at: AppTest, q: str) -> AppTest:
    """Open what-if ``q`` on the instructor's page and put it to the class."""
    if not [b for b in at.button if b.key == f"losses.preset.{q}"]:
        open_tab(at, "whatif")
    at.button(key=f"losses.preset.{q}").click()
    run(at)
    at.button(key=f"class.ask.losses.{q}").click()
    return run(at)


def button_keys(at: AppTest) -> set[str]:
    return {b.key or "" for b in at.button}


def strings(at: AppTest) -> list[str]:
    """Every text in the element tree, the query string and the session's state."""
    state = [f"{k}={v!r}" for k, v in at.session_state.to_dict().items()]
    return [*texts(at), *(f"{k}={v}" for k, v in at.query_params.items()), *state]


def no_instructor_controls(at: AppTest, secret: str) -> None:
    assert not [k for k in button_keys(at) if k.startswith(INSTRUCTOR_KEYS)], button_keys(at)
    assert not [s for s in strings(at) if secret in s]
    assert "teach" not in at.query_params


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def strings_under(node) -> list[str]:
    """Every string in the messages of ``node`` and the elements inside it."""
    return [
        text
        for inner in walk(node)
        if isinstance(inner.proto, Message)
        for _, text in _proto_strings(inner.proto)
    ]


def blocks(at: AppTest, kind: str) -> list:
    return [node for node in nodes(at) if getattr(node, "type", None) == kind]


def role(at: AppTest) -> str | None:
    return at.session_state.to_dict().get("class.role")


def lang_of(at: AppTest) -> str:
    return at.session_state["lang"]


# ---- starting a class ----------------------------------------------------------------------------------


def test_the_instructor_starts_a_class_and_the_secret_link_stays_in_its_popover():
    at, code, secret = instructor()
    shown = {"".join(m.groups()) for m in (CODE_SHOWN.search(md.value) for md in at.markdown) if m}
    assert shown == {code}  # read aloud as ABCD-EFGH, wherever it is shown
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    assert "teach" not in at.query_params
    assert "join" not in at.query_params
    # The secret link is on the page exactly once: in the instructor link's popover.
    holders = [text for box in blocks(at, "popover") for text in strings_under(box) if secret in text]
    everywhere = [text for text in texts(at) if secret in text]
    assert len(everywhere) == 1, everywhere
    assert holders == everywhere
    assert everywhere[0].endswith(f"/?teach={secret}")
    # The store knows the class, and the token runs it.
    assert class_mode.store().class_of(secret) == code


def test_the_instructor_link_opens_the_class_in_a_new_session_and_leaves_the_url():
    _, code, secret = instructor()
    again = open_page(teach=secret)
    assert again.session_state["class.role"] == "teacher"
    assert again.session_state["class.code"] == code
    assert "teach" not in again.query_params
    ask(again, "q3")
    assert class_mode.store().current(code) is not None


@pytest.mark.parametrize(
    "forged", ["forged", "", "x" * 43, "<script>alert(1)</script>", "A" * 5000, "a\x00b"]
)
def test_a_forged_or_missing_token_is_refused_and_gives_no_controls(forged):
    _, code, secret = instructor()
    at = open_page(teach=forged)
    assert_safe(at)
    assert role(at) is None
    warnings = [w.value for w in at.warning]
    if forged:
        assert translate("en", "class.bad_link") in warnings
    else:
        assert translate("en", "class.bad_link") not in warnings
    assert "teach" not in at.query_params
    ask_buttons = [k for k in button_keys(open_tab(at, "whatif")) if k.startswith("losses.preset.")]
    assert ask_buttons
    at.button(key="losses.preset.q3").click()
    run(at)
    no_instructor_controls(at, secret)
    assert class_mode.store().current(code) is None  # nothing was asked


# ---- a question, from Ask to Reveal ----------------------------------------------------------------------


def edit_cells(at: AppTest, edits: dict) -> AppTest:
    """Edit the instructor's score table as the browser does: {row: {column: value}}."""
    at.session_state[editor(at).key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return run(at)


def inputs_of(at: AppTest) -> dict:
    """The loss page's inputs for a question: the table the instructor's URL holds (the lecture's if
    none), the lecture's options, the what-if's image."""
    params = at.query_params
    scores = lecture.LECTURE_SCORES
    if "scores" in params:
        scores = np.array([[float(v) for v in row.split(",")] for row in params["scores"].split(";")]).T
    labels = [int(v) for v in params.get("labels", "0,1,2").split(",")]
    return {"scores": scores, "labels": labels, "example": int(params.get("ex", 0)), "svm": {}, "softmax": {}}


def vote(at: AppTest, poll_id: str, option: str) -> AppTest:
    at.radio(key=f"class.vote.{poll_id}").set_value(option)
    return run(at)


def votes_chart(at: AppTest) -> tuple[str, dict[str, int]]:
    """The one votes chart on the page: its title and {option label: count}, as Plotly shows them
    (it turns HTML entities back into characters)."""
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    [bar] = spec["data"]
    labels = [html.unescape(label) for label in spec["layout"]["yaxis"]["ticktext"]]
    return html.unescape(spec["layout"]["title"]["text"]), dict(zip(labels, bar["x"], strict=True))


def state_line(at: AppTest, state: str, count: int) -> bool:
    return translate(lang_of(at), f"class.state.{state}", count=count) in [m.value for m in at.markdown]


def test_the_room_answers_changes_its_mind_and_sees_the_answer_to_the_instructors_table(store):
    teacher, code, secret = instructor()
    ask(teacher, "q1")  # image 2 (the car): its SVM loss is 0 with room to spare, so a nudge changes nothing
    q1 = QUESTIONS["losses.q1"]
    assert q1.solve(inputs_of(teacher)).value == "same"
    poll = store.current(code)
    assert poll.state == "open"
    assert state_line(teacher, "open", 0)

    en = student("a" * 32, join=code)
    ko = student("b" * 32, join=code.lower(), lang="ko")
    for at, lang in ((en, "en"), (ko, "ko")):
        assert role(at) == "student"
        assert at.query_params["join"] == code
        prompt = translate(lang, "quiz.losses.q1.prompt", image=2)
        assert [m.value for m in at.markdown if prompt in m.value], lang  # in the student's language
        radio = at.radio(key=f"class.vote.{poll.id}")
        assert radio.options == [translate(lang, f"quiz.losses.q1.choice.{c}") for c in q1.choices]
        assert radio.value is None
        assert not at.get("plotly_chart")  # no counts,
        assert not at.success  # no answer,
        no_instructor_controls(at, secret)

    vote(en, poll.id, "same")
    assert store.tally(code, poll.id) == {"same": 1, "changes": 0}
    vote(en, poll.id, "changes")  # a change of mind replaces the vote
    vote(ko, poll.id, "same")
    assert store.tally(code, poll.id) == {"same": 1, "changes": 1}
    counted = translate("en", "class.counted", answer=translate("en", "quiz.losses.q1.choice.changes"))
    assert counted in [c.value for c in en.caption]
    run(teacher)
    assert state_line(teacher, "open", 2)
    assert not state_line(en, "open", 2)  # a student never sees the count

    # Between Ask and Reveal the instructor lowers the car's score: the nudge now changes its loss.
    edit_cells(teacher, {1: {"image 2 (car)": 2.5}})
    assert q1.solve(inputs_of(teacher)).value == "changes"

    teacher.button(key=f"class.close.{poll.id}").click()
    run(teacher)
    assert state_line(teacher, "closed", 2)
    for at in (en, ko):
        run(at)
        assert not [r for r in at.radio if r.key == f"class.vote.{poll.id}"]  # no answer box any more,
        mine = "changes" if at is en else "same"
        told = translate(
            lang_of(at), "class.closed", answer=translate(lang_of(at), f"quiz.losses.q1.choice.{mine}")
        )
        assert told in [i.value for i in at.info]  # and the student is told why
    with pytest.raises(ValueError, match="closed"):
        store.vote(code, poll.id, "a" * 32, "same")

    assert [t.key for t in teacher.main.radio if t.key == "predict.losses.q1.guess"], "the card still asks"
    teacher.button(key=f"class.reveal.{poll.id}").click()
    run(teacher)
    assert state_line(teacher, "revealed", 2)
    assert store.current(code).answer == "changes"  # the instructor's table, as it is now
    # The instructor's own card shows the answer too (no "Your prediction" box left on the projector).
    assert not [t.key for t in teacher.main.radio if t.key == "predict.losses.q1.guess"]
    assert translate("en", "predict.answer", answer=translate("en", "quiz.losses.q1.choice.changes")) in [
        m.value for m in teacher.main.markdown
    ]
    solved = q1.solve(inputs_of(teacher))
    assert solved.facts["svm_change"] != 0  # the why quotes the edited table's numbers
    for at in (en, ko):
        run(at)
        lang = lang_of(at)
        right = translate(lang, "quiz.losses.q1.choice.changes")
        assert translate(lang, "class.answer", answer=right) in [s.value for s in at.success]
        title, bars = votes_chart(at)
        assert title == translate(lang, "class.votes_title", total=2)
        assert bars == {translate(lang, f"quiz.losses.q1.choice.{c}"): 1 for c in q1.choices}
        why = [s.value for s in at.success if s.value != translate(lang, "class.answer", answer=right)]
        assert [unescape(w) for w in why] == [
            translate(lang, why_key(q1, solved), **facts_text(solved.facts), image=2, margin="1")
        ]
        outcome = "class.you_right" if at is en else "class.you_other"
        mine = "changes" if at is en else "same"
        yours = translate(lang, outcome, answer=translate(lang, f"quiz.losses.q1.choice.{mine}"))
        assert yours in [m.value for m in at.markdown]
        no_instructor_controls(at, secret)


def test_a_number_question_offers_the_answer_and_the_usual_slips_and_reveals_the_instructors_number(store):
    teacher, code, secret = instructor()
    ask(teacher, "q3")
    q3 = QUESTIONS["losses.q3"]
    poll = store.current(code)
    offered = class_options(q3, q3.solve(inputs_of(teacher)), number_text)
    assert list(poll.options) == offered
    at = student("c" * 32, join=code, lang="ko")
    assert at.radio(key=f"class.vote.{poll.id}").options == offered
    vote(at, poll.id, offered[0])
    edit_cells(teacher, {0: {"image 1 (cat)": 0.5}})  # a score that is not ≈ 0: the answer moves
    teacher.button(key=f"class.reveal.{poll.id}").click()  # Reveal closes the question too
    run(teacher)
    answer = number_text(q3.solve(inputs_of(teacher)).value)
    assert store.current(code).answer == answer
    run(at)
    assert answer not in offered  # the table moved under the question
    assert translate("ko", "class.answer", answer=answer) in [unescape(s.value) for s in at.success]
    assert translate("ko", "class.answer_moved") in [c.value for c in at.caption]
    assert store.tally(code, poll.id)[offered[0]] == 1
    no_instructor_controls(at, secret)


# ---- joining: by link, by typing, and what is refused ------------------------------------------------------

HOSTILE_CODES = (
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE classes; --",
    "ABCD' OR '1'='1",
    "A" * 5000,
    "가나다라-마바사아",
    "ABCD\x00EFGH",
    "\u202eHGFE-DCBA",
    "[x](javascript:alert(1))",
)


def type_code(at: AppTest, typed: str) -> AppTest:
    at.text_input(key="class.typed").set_value(typed)
    at.button(key="FormSubmitter:class.join_form-" + translate(lang_of(at), "class.join")).click()
    return run(at)


def notice(at: AppTest) -> list[str]:
    return [w.value for w in at.sidebar.warning]


def test_a_student_joins_by_typing_the_code_in_any_case_with_or_without_the_dash(store):
    teacher, code, secret = instructor()
    at = student("d" * 32)
    assert role(at) is None
    type_code(at, f" {code[:4].lower()}-{code[4:]} ")
    assert role(at) == "student"
    assert at.query_params["join"] == code  # a reload rejoins
    waiting = translate("en", "class.waiting", code=f"{code[:4]}\\-{code[4:]}")  # read as ABCD-EFGH
    assert waiting in [c.value for c in at.caption]
    ask(teacher, "q7")
    run(at)
    assert at.radio(key=f"class.vote.{store.current(code).id}")
    no_instructor_controls(at, secret)
    at.button(key="class.leave").click()
    run(at)
    assert role(at) is None
    assert "join" not in at.query_params


@pytest.mark.parametrize("typed", HOSTILE_CODES)
def test_a_hostile_typed_code_is_refused_without_a_crash_or_markup(typed):
    instructor()
    at = student("e" * 32)
    type_code(at, typed)
    assert_safe(at, (typed,))
    assert role(at) is None
    assert notice(at) == [translate("en", "state.reason.no_class").capitalize()]
    assert "join" not in at.query_params


@pytest.mark.parametrize("typed", HOSTILE_CODES)
def test_a_hostile_join_link_is_refused_without_a_crash_or_markup(typed):
    instructor()
    at = student("e" * 32, join=typed)
    assert_safe(at, (typed,))
    assert role(at) is None
    [refused] = [w.value for w in at.warning if "`join`" in w.value]
    assert translate("en", "state.refused_intro") in refused
    assert "join" not in at.query_params


def test_ten_wrong_codes_and_even_the_right_one_is_refused_for_a_while(store):
    _, code, _ = instructor()
    at = student("f" * 32)
    for k in range(10):
        type_code(at, f"WRNG-{k:04d}".replace("0", "A").replace("1", "B"))
        assert notice(at) == [translate("en", "state.reason.no_class").capitalize()]
    type_code(at, code)
    assert role(at) is None
    assert notice(at) == [translate("en", "state.reason.too_many_codes").capitalize()]
    late = student("f" * 32, join=code)  # a link in a new session is a new client: it joins
    assert role(late) == "student"


def test_a_join_link_to_no_class_is_reported_with_the_links_other_refused_values():
    at = student("g" * 32, join="ABCD-EFGH", lang="xx")
    assert role(at) is None
    [refused] = at.warning
    assert "`join`" in refused.value
    assert "`lang`" in refused.value
    assert "join" not in at.query_params


# ---- the end of a class ------------------------------------------------------------------------------------


def test_when_the_instructor_ends_the_class_the_student_is_told_and_leaves(store):
    teacher, code, secret = instructor()
    ask(teacher, "q1")
    at = student("h" * 32, join=code, lang="ko")
    teacher.button(key="class.end").click()
    run(teacher)
    assert role(teacher) is None
    with pytest.raises(PermissionError):
        store.class_of(secret)
    run(at)
    assert role(at) is None
    assert "join" not in at.query_params
    assert translate("ko", "class.ended") in notice(at)
    assert not [r for r in at.radio if (r.key or "").startswith("class.vote.")]


def test_an_expired_class_sends_its_students_away_and_its_link_is_refused(store):
    teacher, code, secret = instructor()
    ask(teacher, "q1")
    at = student("i" * 32, join=code)
    now = store.clock()
    store.clock = lambda: now + 12 * 3600 + 1  # the default 12 hours have passed
    run(at)
    assert role(at) is None
    assert translate("en", "class.ended") in notice(at)
    again = open_page(teach=secret)
    assert role(again) is None
    assert translate("en", "class.bad_link") in notice(again)
    late = student("j" * 32, join=code)
    assert role(late) is None
    run(teacher)  # the instructor is told too, at their next action
    assert role(teacher) is None
    assert translate("en", "class.ended") in notice(teacher)
    assert not [k for k in button_keys(teacher) if k.startswith(("class.close", "class.reveal"))]


def test_a_student_without_a_voter_id_yet_waits_for_it():
    teacher, code, _ = instructor()
    ask(teacher, "q1")
    at = student(None, join=code)
    assert translate("en", "class.connecting") in [c.value for c in at.caption]
    assert not [r for r in at.radio if (r.key or "").startswith("class.vote.")]


def test_on_the_projector_the_instructor_shows_the_code_big_and_its_qr():
    at, code, _ = instructor()
    big = f"{code[:4]}-{code[4:]}"
    assert big not in [t.value for t in at.title]
    images = len(at.get("image"))
    at.toggle(key="present").set_value(True)
    run(at)
    assert big in [t.value for t in at.title]
    assert len(at.get("image")) == images + 1  # the join link's QR code


def test_a_vote_sent_from_a_page_that_still_shows_the_box_after_close_is_not_counted(store):
    """The browser shows the answer box until its next poll: a click in that moment is refused."""
    teacher, code, _ = instructor()
    ask(teacher, "q1")
    poll = store.current(code)
    at = student("k" * 32, join=code)
    vote(at, poll.id, "same")
    teacher.button(key=f"class.close.{poll.id}").click()
    run(teacher)
    vote(at, poll.id, "changes")  # the box still on this page's screen
    assert store.tally(code, poll.id) == {"same": 1, "changes": 0}
    told = translate("en", "class.closed", answer=translate("en", "quiz.losses.q1.choice.same"))
    assert told in [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_store_away_for_a_moment_is_said_and_the_question_comes_back(store, monkeypatch, lang):
    # The poll reruns only when the browser sees the class change, so a database error must not
    # end the watch: the student is told, and the next rerun shows the question again.
    from sqlalchemy.exc import OperationalError

    teacher, code, _ = instructor()
    ask(teacher, "q1")
    at = student("k" * 32, join=code, lang=lang)
    real = store.current

    def away(_code):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(store, "current", away)
    run(at)
    assert translate(lang, "class.store_down") in [w.value for w in at.warning]
    assert not [r for r in at.radio if (r.key or "").startswith("class.vote.")]
    assert role(at) == "student"  # still in the class
    monkeypatch.setattr(store, "current", real)
    run(at)
    assert [r for r in at.radio if (r.key or "").startswith("class.vote.")]


def test_a_store_away_between_two_reads_is_asked_again_until_it_answers(store, monkeypatch):
    # The question was read (so the browser was told the page shows it) and then the student's
    # own answer could not be: the box must ask again by itself, or it would wait for the next
    # question.
    from sqlalchemy.exc import OperationalError

    teacher, code, _ = instructor()
    ask(teacher, "q1")
    monkeypatch.setattr(class_mode, "STORE_RETRY_SECONDS", 0.01)
    real, asked = store.my_vote, []

    def away_once(*args):
        asked.append(args)
        if len(asked) == 1:
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return real(*args)

    monkeypatch.setattr(store, "my_vote", away_once)
    at = student("k" * 32, join=code)
    assert len(asked) == 2  # refused, then asked again
    assert [r for r in at.radio if (r.key or "").startswith("class.vote.")]
    assert role(at) == "student"
