"""LossLab router: page config, language, navigation. Pages live in app_pages/, math in core/."""

from pathlib import Path

import streamlit as st

from ui import i18n
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from ui.state import Problem, shorten
from ui.widgets import page_styles

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"

# The tab icon stays an emoji: Streamlit would fetch a Material favicon from fonts.gstatic.com.
st.set_page_config(page_title="LossLab", page_icon="📉", layout="wide")

# Language and presenter mode come from ?lang= and ?present= on a session's first run, then from
# the sidebar; both are kept in the URL on every page.
if "lang" not in st.session_state:
    problems = []
    raw = st.query_params.get("lang", DEFAULT_LANGUAGE)
    st.session_state["lang"] = raw if raw in LANGUAGES else DEFAULT_LANGUAGE
    if raw not in LANGUAGES:
        problems.append(Problem("lang", shorten(raw), "not_choice", (("choices", ", ".join(LANGUAGES)),)))
    raw = st.query_params.get("present", "0")
    st.session_state["present"] = raw == "1"
    if raw not in ("0", "1"):
        problems.append(Problem("present", shorten(raw), "not_bool"))
    st.session_state["_problems.app"] = problems

# A projector shows the page, not the controls: presenter mode starts with the sidebar folded away
# (its ">" button brings it back). Streamlit applies the state when it changes, so turning the
# toggle on folds the sidebar once and a user who opens it again keeps it open.
st.set_page_config(initial_sidebar_state="collapsed" if st.session_state["present"] else "auto")
i18n.start_run(st.session_state["lang"])
st.sidebar.selectbox(":material/language: Language · 언어", list(LANGUAGES), key="lang",
                     format_func=LANGUAGES.get)
st.sidebar.toggle(t("app.present"), key="present", help=t("app.present_help"))
page_styles()

PAGES = [
    st.Page(PAGES_DIR / "home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page(PAGES_DIR / "losses.py", title=t("nav.losses"), icon=":material/trending_down:",
            url_path="losses"),
    st.Page(PAGES_DIR / "regularization.py", title=t("nav.regularization"), icon=":material/balance:",
            url_path="regularization"),
    st.Page(PAGES_DIR / "optimization.py", title=t("nav.optimization"), icon=":material/my_location:",
            url_path="optimization"),
    st.Page(PAGES_DIR / "gradients.py", title=t("nav.gradients"), icon=":material/landscape:",
            url_path="gradients"),
    st.Page(PAGES_DIR / "features.py", title=t("nav.features"), icon=":material/image:", url_path="features"),
]
try:
    st.navigation(PAGES).run()
finally:
    i18n.start_run(None)  # callbacks of the next run read the language from session state
