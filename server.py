"""What `make run` serves: the app (app.py) plus the one route of our own, class mode's watch
(ui.class_watch). `streamlit run server.py` finds ``app`` and serves it, with the same options
and .streamlit/config.toml as `streamlit run app.py`. Tests and tools that need no class mode
may still run app.py directly (AppTest does)."""

import streamlit as st

from ui.class_watch import ROUTES

app = st.App("app.py", routes=ROUTES)
