"""One class question, as the instructor runs it and as a student answers it.

A class question is stored as its quiz id plus the facts its prompt quotes (``losses.q1?image=2``)
and a list of options: a choice question's keys, or for a number the answer and the values of
common slips, printed (``core.quiz.class_options``). Each student reads it in their own language.
The instructor's page computes the answer from its own inputs at Reveal and stores it, with the
facts the explanation quotes, so every student sees the answer to the table the instructor showed.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

import streamlit as st

from classroom.checks import shown
from core.quiz import QUESTIONS, Question, class_options
from ui import share
from ui.answers import facts_text, number_text, option_text, why_key
from ui.i18n import LANGUAGES, catalog, t
from ui.plots import classroom as plots
from ui.shortcuts import SHORTCUTS
from ui.widgets import chart, figure, md_escape, presenting

TALLY_SECONDS = 1.0  # the instructor's live count


def pack(question: Question, facts: Mapping) -> str:
    """The stored question: its id and the facts its prompt names (in any language)."""
    prompts = (catalog(lang).get(f"quiz.{question.id}.prompt", "") for lang in LANGUAGES)
    names = {field for text in prompts for _, field, _, _ in string.Formatter().parse(text)}
    quoted = {k: str(v) for k, v in facts.items() if k in names}
    return question.id + (f"?{urlencode(quoted)}" if quoted else "")


def unpack(stored: str) -> tuple[Question | None, dict]:
    """The question a stored text names (None if it names none of ours) and its prompt's facts."""
    qid, _, query = stored.partition("?")
    facts = {k: md_escape(v) for k, v in parse_qsl(query)}  # from the store: shown as text only
    return QUESTIONS.get(qid), facts


def prompt_text(question: Question, facts: Mapping) -> str:
    try:
        return t(f"quiz.{question.id}.prompt", **facts)
    except (KeyError, IndexError):  # facts missing from a stored question: the question without them
        return t("class.question_unreadable")


def votes_chart(question: Question, options, tally: Mapping[str, int], right: str | None, key: str) -> None:
    labels = [option_text(question, o) for o in options]
    counts = [tally.get(o, 0) for o in options]
    fig = figure(
        plots.votes,
        tuple(labels),
        tuple(counts),
        options.index(right) if right in options else None,
        title=t("class.votes_title", total=sum(counts)),
    )
    chart(st, fig, key=key, config={"staticPlot": True})


# ---- the student ----------------------------------------------------------------------------------


def student_view(store, code: str, poll, me: str | None) -> None:
    """The question box; ``me`` is the student's voter id (``ui.voter``, drawn by the caller)."""
    with st.container(border=True):
        if poll is None:
            st.caption(t("class.waiting", code=md_escape(shown(code))))
            return
        question, facts = unpack(poll.question)
        if question is None:
            st.error(t("class.question_unknown"), icon=":material/error:")
            return
        st.markdown(f"**{t('class.from_instructor')}** · {prompt_text(question, facts)}")
        mine = _my_vote(store, code, poll, me)
        if poll.state == "open":
            _answer_box(store, code, poll, question, me, mine)
        elif poll.state == "closed":
            st.info(t("class.closed", answer=_mine_text(question, mine)), icon=":material/lock:")
        else:
            _revealed(store, code, poll, question, mine)


def _answer_box(store, code, poll, question, me, mine) -> None:
    if me is None:
        st.caption(t("class.connecting"))
        return
    key = f"class.vote.{poll.id}"
    if key not in st.session_state and mine in poll.options:
        st.session_state[key] = mine
    st.radio(
        t("class.your_answer"),
        poll.options,
        index=None,
        key=key,
        format_func=lambda o: option_text(question, o),
        on_change=_vote,
        args=(store, code, poll.id, me, key),
    )
    if mine is not None:
        st.caption(t("class.counted", answer=_mine_text(question, mine)))
    problem = st.session_state.get(f"_class.vote_problem.{poll.id}")
    if problem:
        st.warning(t(problem), icon=":material/warning:")


def _my_vote(store, code, poll, me) -> str | None:
    """This student's answer: read from the store once per state of the question (open, closed,
    revealed), and kept in the session as this page votes. An answer given in another tab shows
    here when the question moves on (closed, revealed)."""
    if me is None:
        return None
    known = f"_class.mine.{poll.id}.{poll.state}"
    if known not in st.session_state:
        st.session_state[known] = store.my_vote(code, poll.id, me)
    return st.session_state[known]


def _vote(store, code, question_id, me, key) -> None:
    answer = st.session_state.get(key)
    if answer is None:
        return
    try:
        store.vote(code, question_id, me, answer)
        st.session_state[f"_class.mine.{question_id}.open"] = answer
        st.session_state.pop(f"_class.vote_problem.{question_id}", None)
    except ValueError:
        st.session_state[f"_class.vote_problem.{question_id}"] = "class.vote_closed"
    except LookupError:
        st.session_state[f"_class.vote_problem.{question_id}"] = "class.ended"


def _mine_text(question, mine) -> str:
    return md_escape(option_text(question, mine)) if mine is not None else t("class.no_answer")


def _revealed(store, code, poll, question, mine) -> None:
    right = poll.answer
    st.success(
        t("class.answer", answer=md_escape(option_text(question, right or ""))), icon=":material/check:"
    )
    if right not in poll.options:  # the instructor changed the table after asking
        st.caption(t("class.answer_moved"))
    if mine is not None:
        outcome = "class.you_right" if mine == right else "class.you_other"
        st.markdown(t(outcome, answer=_mine_text(question, mine)))
    votes_chart(question, list(poll.options), store.tally(code, poll.id), right, f"class.chart.{poll.id}")
    facts = {k: md_escape(str(v)) for k, v in (poll.facts or {}).items() if k != "why"}
    why = str((poll.facts or {}).get("why", ""))
    if why.startswith(("quiz.", "whatif.")):
        try:
            st.success(t(why, **facts), icon=":material/lightbulb:")
        except (KeyError, IndexError):  # a stored explanation without its numbers: say so, keep the answer
            st.caption(t("class.why_missing"))


# ---- the instructor ---------------------------------------------------------------------------------


def share_join(link: str, code: str, *, big: bool) -> None:
    """The join code, its link to copy and (on the projector, where the bar shows the code as a
    title) its QR code."""
    if not big:
        st.markdown(t("class.join_with", code=md_escape(code)))
    share.copy_button(link, key=f"class.copy_join.{'big' if big else 'side'}", label=t("class.copy_join"))
    if big:
        st.image(share.qr_image(link, big=True), width=260)


def teacher_bar(store, code: str, link: str) -> None:
    with st.container(border=True):
        left, right = st.columns([3, 1]) if presenting() else (st.container(), None)
        with left:
            st.markdown(t("class.bar", code=md_escape(code)))
            if right is not None:  # on the projector: the code big enough to read from the back row
                st.title(code, anchor=False)
            st.caption(t("class.bar_help"))
        if right is not None:
            with right:
                share_join(link, code, big=True)


def controls(store, secret: str, question: Question, inputs: Mapping, facts: Mapping, revealed=None) -> None:
    """Under a question card, for the instructor: ask the class, then the live count, close, reveal.
    ``revealed()`` is called once the class has seen the answer; if it changed the card (it shows
    the card's own reveal), the page reruns."""
    st.divider()
    live_controls(store, secret, question, inputs, facts, revealed)


@st.fragment(run_every=TALLY_SECONDS)
def live_controls(
    store, secret: str, question: Question, inputs: Mapping, facts: Mapping, revealed=None
) -> None:
    """A fragment, so the count stays live and Ask, Close and Reveal rerun only it: the page around
    it (and every student's poll, which shares the server) is not held up by a whole rerun."""
    try:
        class_code = store.class_of(secret)
        poll = store.current(class_code)
        tally = store.tally(class_code, poll.id) if poll is not None else {}
    except (PermissionError, LookupError):
        return
    if poll is None or unpack(poll.question)[0] is not question:
        st.button(
            t("class.ask"),
            key=f"class.ask.{question.id}",
            on_click=_ask,
            args=(store, secret, question, inputs, facts),
            icon=":material/campaign:",
        )
        return
    st.markdown(t(f"class.state.{poll.state}", count=sum(tally.values())))
    votes_chart(question, list(poll.options), tally, poll.answer, f"class.live.{poll.id}")
    left, right, _ = st.columns([2, 2, 3])
    if poll.state == "revealed" and revealed is not None and revealed():
        st.rerun(scope="app")  # the card above shows the answer too
    if poll.state == "revealed":
        left.button(
            t("class.ask_again"),
            key=f"class.again.{poll.id}",
            on_click=_ask,
            args=(store, secret, question, inputs, facts),
            icon=":material/campaign:",
        )
        return
    if poll.state == "open":
        left.button(
            t("class.close"), key=f"class.close.{poll.id}", on_click=store.close, args=(secret, poll.id)
        )
    right.button(
        t("class.reveal"),
        key=f"class.reveal.{poll.id}",
        type="primary",
        on_click=_reveal,
        args=(store, secret, poll.id, question, inputs, facts),
        shortcut=SHORTCUTS["reveal"],  # the presenter's A (the card's own "Just show me" has none then)
    )


def _ask(store, secret: str, question: Question, inputs: Mapping, facts: Mapping) -> None:
    options = class_options(question, question.solve(inputs), number_text)
    store.ask(secret, pack(question, facts), options)


def _reveal(store, secret, poll_id, question: Question, inputs: Mapping, facts: Mapping) -> None:
    answer = question.solve(inputs)
    shown = answer.value if question.kind == "choice" else number_text(answer.value)
    printed = {**facts_text(answer.facts), **{k: str(v) for k, v in facts.items()}}
    store.reveal(secret, poll_id, shown, {**printed, "why": why_key(question, answer)})
