"""Home: the lecture's map, one card per chapter."""

import streamlit as st

from core.lecture import LECTURE_LABELS, LECTURE_SCORES
from core.losses import softmax_loss, svm_loss
from ui.i18n import t
from ui.settings.home import SETTINGS
from ui.widgets import fmt

# (number, chapter key, page file or None while the chapter is not built yet)
CHAPTERS = [
    ("1", "losses", "app_pages/losses.py"),
    ("2", "regularization", "app_pages/regularization.py"),
    ("3", "optimization", "app_pages/optimization.py"),
    ("3½", "gradients", "app_pages/gradients.py"),
    ("4", "features", "app_pages/features.py"),
]

st.title(t("home.title"))
st.markdown(t("home.tagline"))
SETTINGS.show_problems()  # the link's refused lang / present
data, reg = t("home.formula.data"), t("home.formula.reg")  # our catalog's words, never user text
st.latex(
    r"L(W) = \underbrace{\frac{1}{N}\sum_{i=1}^{N} L_i\big(f(x_i, W), y_i\big)}_{\text{" + data + "}}"
    r" + \underbrace{\lambda R(W)}_{\text{" + reg + "}}"
)
st.markdown(t("home.story"))

columns = st.columns(len(CHAPTERS))
for (number, key, page), col in zip(CHAPTERS, columns, strict=True):
    with col.container(border=True, height="stretch"):
        st.markdown(f"#### {number}. {t(f'home.{key}.title')}")  # h4: long words fit a fifth of the page
        st.markdown(t(f"home.{key}.body"))
        if page:
            st.page_link(page, label=t("home.open"), icon=":material/arrow_forward:")
        else:
            st.caption(t("home.later"))

svm = svm_loss(LECTURE_SCORES, LECTURE_LABELS).total
soft = softmax_loss(LECTURE_SCORES, LECTURE_LABELS).total
st.info(t("home.teaser", svm=fmt(svm), softmax=fmt(soft)), icon=":material/pets:")
st.caption(t("home.audience"))

SETTINGS.sync()  # the URL keeps only the language and presenter mode
