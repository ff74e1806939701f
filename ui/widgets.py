"""Small composite widgets shared by the pages."""

from __future__ import annotations

import inspect
import re

import streamlit as st

from ui.i18n import t
from ui.state import Problem, dismiss_problems, page_problems

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def md_escape(text: str) -> str:
    """User text made literal for st.markdown: no links, images, HTML, LaTeX or emphasis."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def fmt(value: float, digits: int = 2) -> str:
    """A number as the slides print it: fixed decimals, -0.00 shown as 0.00."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def problem_text(problem: Problem) -> str:
    reason = t(f"state.reason.{problem.reason}", **dict(problem.details))
    return t("state.refused", name=md_escape(problem.name), value=md_escape(problem.value), reason=reason)


def show_problems(page: str) -> None:
    """The query-string values this page refused, with a button to dismiss the notice."""
    problems = page_problems(page)
    if not problems:
        return
    with st.container(border=True):
        lines = "\n".join(f"- {problem_text(p)}" for p in problems)
        st.warning(f"{t('state.refused_intro')}\n\n{lines}", icon="⚠️")
        st.button(t("state.dismiss"), key=f"{page}.dismiss_problems", on_click=dismiss_problems,
                  args=(page,))


def show_code(*functions) -> None:
    """An expander with the source of the functions that computed what the page shows."""
    with st.expander(t("common.show_code")):
        st.caption(t("common.show_code_caption"))
        for fn in functions:
            st.code(inspect.getsource(fn), language="python")
