"""A page whose update takes 2.5 s, with LossLab's page stylesheet: how stale elements look in a
real browser while an update is slow (tests/browser/test_stale_browser.py)."""

import time

import streamlit as st

from ui.widgets import page_styles

page_styles()
runs = st.session_state.get("runs", 0)
if st.button("Slow update"):
    runs += 1
    time.sleep(2.5)
st.session_state["runs"] = runs
for k in range(12):
    st.markdown(f"Line {k} of a page that stays on screen while it is recomputed.")
st.metric("updates", str(runs))
