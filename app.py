"""LossLab router: page config, language, navigation. Pages live in app_pages/, math in core/."""

from pathlib import Path

import streamlit as st

from ui import class_mode, i18n, reconnect, share
from ui.i18n import t
from ui.settings.page import APP
from ui.widgets import page_styles

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"

# The tab icon stays an emoji: Streamlit would fetch a Material favicon from fonts.gstatic.com.
st.set_page_config(page_title="LossLab", page_icon="📉", layout="wide")

# Language and presenter mode are settings like a page's (ui.settings.page.APP): read from ?lang=
# and ?present= on a session's first run, then from the sidebar, and kept in the URL on every page.
APP.start()

# A projector shows the page, not the controls: presenter mode starts with the sidebar folded away
# (its ">" button brings it back). Streamlit applies the state when it changes, so turning the
# toggle on folds the sidebar once and a user who opens it again keeps it open.
st.set_page_config(initial_sidebar_state="collapsed" if APP["present"] else "auto")
i18n.start_run(APP["lang"])
APP.draw("lang", st.sidebar)
APP.draw("present", st.sidebar)
share.sidebar()  # copy link, QR code, keyboard shortcuts
reconnect.keep()  # a browser back from a lost connection reruns the page (a replica died)
page_styles()
class_mode.start()  # the instructor link or the join code this session was opened with
class_mode.sidebar()
class_mode.banner()  # above the page: a student's live question, the instructor's class bar

PAGES = [
    st.Page(PAGES_DIR / "home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page(
        PAGES_DIR / "losses.py", title=t("nav.losses"), icon=":material/trending_down:", url_path="losses"
    ),
    st.Page(
        PAGES_DIR / "regularization.py",
        title=t("nav.regularization"),
        icon=":material/balance:",
        url_path="regularization",
    ),
    st.Page(
        PAGES_DIR / "optimization.py",
        title=t("nav.optimization"),
        icon=":material/my_location:",
        url_path="optimization",
    ),
    st.Page(
        PAGES_DIR / "gradients.py",
        title=t("nav.gradients"),
        icon=":material/landscape:",
        url_path="gradients",
    ),
    st.Page(PAGES_DIR / "features.py", title=t("nav.features"), icon=":material/image:", url_path="features"),
]
try:
    st.navigation(PAGES).run()
finally:
    i18n.start_run(None)  # callbacks of the next run read the language from session state
