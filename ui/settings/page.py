"""A page's settings in Streamlit: read from the URL once, drawn as widgets, written back.

``PageSettings`` is the only code that touches ``st.query_params`` and the session keys of
settings. A page calls ``start()`` at the top of each run, ``draw(name, where)`` for each widget
(its return value is the setting's value), ``set(...)`` from callbacks, and ``sync()`` at the end
of a run or fragment to put the values in the URL.

Every setting's value lives under its session key ``"{page}.{name}"``. Widgets keep it with
``persist_state="session"``, so a setting on a closed tab or on another page keeps its value.
Streamlit's ``bind="query-params"`` is not used for page settings: it drops a hidden widget's
parameter from the URL (a closed tab's settings would vanish from a copied link) and clamps or
drops a bad value without a word, where we report it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from ui.settings.base import Field, Problem, bool_field, choice_field, code_field, decode, encode, is_valid
from ui.widgets import md_escape


def problem_text(problem: Problem) -> str:
    reason = t(f"state.reason.{problem.reason}", **dict(problem.details))
    return t("state.refused", name=md_escape(problem.name), value=md_escape(problem.value), reason=reason)


def sent_by_browser() -> frozenset[str]:
    """The keys of the widgets whose values this run's request carries.

    A session's first run normally carries none. When its server has gone (a replica killed
    behind the balancer), a browser reconnects to a fresh session on another replica, and its
    next interaction sends every widget's value: newer than the URL (it holds the click that
    triggered the run), so ``start`` must not overwrite them from the URL. Streamlit has no public
    accessor for them; they are in the session state's widget values until the widgets are drawn.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    states = getattr(getattr(getattr(ctx, "session_state", None), "_state", None), "_new_widget_state", None)
    ids = getattr(states, "states", {})
    return frozenset(key for key in map(user_key_from_element_id, ids) if key)


class PageSettings:
    """The settings of one page, declared once as ``Field``s."""

    def __init__(self, page: str, fields: Sequence[Field], *, prefix: str | None = None):
        self.page = page
        self.fields = {f.name: f for f in fields}
        self.prefix = f"{page}." if prefix is None else prefix

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.fields)

    def key(self, name: str) -> str:
        return self.prefix + name

    @property
    def _good(self) -> str:  # the last values that were all valid, restored over a bad one
        return f"_good.{self.page}"

    @property
    def _problems(self) -> str:
        return f"_problems.{self.page}"

    def start(self) -> dict:
        """This run's values. On the session's first run of the page they are decoded from the
        URL (what was refused is kept for ``problems``), except those the browser sent as its
        widgets' values (``sent_by_browser``); a value a widget cannot hold (a select box whose
        labels changed under it) goes back to the last good one."""
        sent: frozenset[str] = frozenset()
        if self._good not in st.session_state:
            link = st.query_params.to_dict()
            st.session_state[f"_link.{self.page}"] = link
            values, problems = decode(tuple(self.fields.values()), link)
            st.session_state[self._problems] = problems
            st.session_state[self._good] = values
            sent = sent_by_browser()
            for name, value in values.items():
                if self.key(name) not in sent:
                    st.session_state[self.key(name)] = value
        good = st.session_state[self._good]
        for name, f in self.fields.items():
            key = self.key(name)
            if key in sent:
                continue  # its widget takes the browser's value when drawn; checked from the next run
            if key not in st.session_state or not is_valid(f, st.session_state[key]):
                st.session_state[key] = good[name]
        return self.values()

    def link(self) -> dict[str, str]:
        """The query string this page was first opened with in this session, for what a page keeps
        in its URL beside its settings (the loss page's score table) to decode once."""
        return dict(st.session_state.get(f"_link.{self.page}", {}))

    def values(self) -> dict:
        good = st.session_state.get(self._good, {})
        return {
            name: st.session_state.get(self.key(name), good.get(name, f.default))
            for name, f in self.fields.items()
        }

    def __getitem__(self, name: str):
        return self.values()[name]

    def set(self, **updates) -> None:
        """Change settings (from a callback, or before their widgets are drawn in this run)."""
        for name, value in updates.items():
            st.session_state[self.key(self.fields[name].name)] = value

    def defaults(self, names: Iterable[str] | None = None) -> dict:
        return {name: self.fields[name].default for name in (names or self.fields)}

    def encode(self, values: Mapping | None = None) -> dict[str, str]:
        return encode(tuple(self.fields.values()), self.values() if values is None else values)

    # ---- problems ---------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return list(st.session_state.get(self._problems, []))

    def report(self, problem: Problem) -> None:
        st.session_state[self._problems] = [*self.problems(), problem]

    def dismiss(self) -> None:
        st.session_state[self._problems] = []

    def show_problems(self) -> None:
        """One notice listing every query-string value refused: the app's own (``lang``,
        ``present``) and this page's, with a button that dismisses them all."""
        problems = APP.problems() + (self.problems() if self is not APP else [])
        if not problems:
            return
        with st.container(border=True):
            lines = "\n".join(f"- {problem_text(p)}" for p in problems)
            st.warning(f"{t('state.refused_intro')}\n\n{lines}", icon=":material/warning:")
            st.button(t("state.dismiss"), key=f"{self.page}.dismiss_problems", on_click=self._dismiss_all)

    def _dismiss_all(self) -> None:
        APP.dismiss()
        self.dismiss()

    # ---- widgets ----------------------------------------------------------------------------------

    def draw(self, name: str, where=None, **overrides):
        """The setting's widget in ``where`` (st, a column, the sidebar); returns its value.
        ``overrides`` go to the widget (``bounds=(lo, hi)`` narrows a slider for this run)."""
        f = self.fields[name]
        where = st if where is None else where
        kwargs = {
            "key": self.key(name),
            "help": t(f.help) if f.help else None,
            "persist_state": "session",
            **overrides,
        }
        label = kwargs.pop("label", None) or t(f.label)
        if f.widget == "slider":
            lo, hi = kwargs.pop("bounds", f.bounds)  # narrower bounds for this run (within the field's)
            return where.slider(label, lo, hi, step=f.step, format=f.format, **kwargs)
        if f.widget == "toggle":
            return where.toggle(label, **kwargs)
        if f.widget == "whole":
            return self._whole(f, where, label, kwargs)
        options = kwargs.pop("options", None) or f.options
        kwargs.setdefault("format_func", self._option_text(f))
        if f.widget == "radio":
            return where.radio(label, options, horizontal=f.horizontal, **kwargs)
        if f.widget == "select":
            return where.selectbox(label, options, **kwargs)
        raise ValueError(f"setting {name!r} of page {self.page!r} has no widget to draw")

    @staticmethod
    def _option_text(f: Field):
        if callable(f.option_label):
            return f.option_label
        if f.option_label:
            return lambda option: t(f.option_text(option))
        return str

    def _whole(self, f: Field, where, label: str, kwargs: dict) -> int:
        """A number box for a whole number, used exactly or refused.

        Streamlit's integer box reads what is typed with JavaScript's parseInt, so "2.5" becomes 2
        and "1e3" becomes 1 without a word. This box takes any number (the browser itself refuses
        one outside the bounds with a message); a fraction or an empty box is refused here by
        name, and the box goes back to the last good value.
        """
        lo, hi = f.bounds
        where.number_input(
            label,
            float(lo),
            float(hi),
            value=None,
            step=1.0,
            format="%g",
            on_change=self._check_whole,
            args=(f.name,),
            **kwargs,
        )
        refused = st.session_state.get(f"_refused.{self.key(f.name)}")
        if refused is not None:
            typed, empty, kept = refused
            reason = t("state.reason.empty_box") if empty else t("state.reason.not_integer")
            text = t(
                "state.typed_refused", name=md_escape(label), value=md_escape(typed), reason=reason, kept=kept
            )
            where.warning(text, icon=":material/warning:")
        return int(st.session_state[self.key(f.name)])

    def _check_whole(self, name: str) -> None:
        key = self.key(name)
        typed = st.session_state[key]
        good = st.session_state.get(self._good, {}).get(name, self.fields[name].default)
        if typed is not None and float(typed).is_integer():
            st.session_state[key] = int(typed)
            st.session_state.pop(f"_refused.{key}", None)
            return
        st.session_state[key] = good  # the last good value, which the page keeps using
        shown = "" if typed is None else repr(float(typed))
        st.session_state[f"_refused.{key}"] = (shown, typed is None, good)

    # ---- the URL ----------------------------------------------------------------------------------

    def sync(self, extra: Mapping[str, str] | None = None) -> None:
        """Remember the values as the last good ones and make the query string exactly this page's
        settings that differ from their defaults, plus ``extra`` and the app's own (language,
        presenter mode)."""
        values = self.values()
        st.session_state[self._good] = values
        target = {**self.encode(values), **(extra or {})}
        if self is not APP:
            target.update(APP.encode())
        if st.query_params.to_dict() != target:
            st.query_params.from_dict(target)


# Language, presenter mode and the class joined: on every page, in every URL; their session keys are
# "lang", "present" and "join".
APP = PageSettings(
    "app",
    (
        choice_field(
            "lang", DEFAULT_LANGUAGE, tuple(LANGUAGES), label="app.language", option_label=LANGUAGES.get
        ),
        bool_field("present", False, label="app.present", help="app.present_help"),
        code_field("join"),  # the class this browser joined (ui.class_mode), so a reload rejoins
    ),
    prefix="",
)
