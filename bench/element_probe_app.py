"""A page for ``bench.element_cost``: an Update button, a counter, and ``$PROBE_COPIES`` copies of
one kind of element (``$PROBE_KIND``), or one plotly chart whose figure changes with every update."""

import os

import numpy as np
import plotly.graph_objects as go
import streamlit as st

KIND = os.environ.get("PROBE_KIND", "none")
COPIES = int(os.environ.get("PROBE_COPIES", "20"))

runs = st.session_state.get("runs", 0) + int(st.button("Update"))
st.session_state["runs"] = runs
st.metric("updates", str(runs))
for k in range(COPIES if KIND in ("slider", "button", "selectbox", "markdown", "caption", "latex") else 0):
    if KIND == "slider":
        st.slider(f"slider {k}", 0.0, 1.0, key=f"slider.{k}")
    elif KIND == "button":
        st.button(f"button {k}", key=f"button.{k}")
    elif KIND == "selectbox":
        st.selectbox(f"box {k}", ["a", "b"], key=f"box.{k}")
    elif KIND == "markdown":
        st.markdown(f"Some **text** with math $L = \\frac{{1}}{{N}} \\sum_i L_i$, number {k}")
    elif KIND == "caption":
        st.caption(f"A caption, number {k}")
    else:
        st.latex(rf"L_i = \sum_{{j \ne y_i}} \max(0, s_j - s_{{y_i}} + 1) = {k}")
if KIND == "line_chart":  # three points, one of which moves
    st.plotly_chart(go.Figure(go.Scatter(x=[0, 1, 2], y=[runs % 5, 1, 2])), key="chart")
elif KIND == "decision_regions":  # the optimization page's picture, with W growing
    from core.linear import decision_grid
    from ui.plots.optimization import decision_regions

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(9, 2)), np.arange(9) % 3
    W, b = np.array([[1.0, 0.2], [-0.5, 1.0], [0.3, -1.0]]) * (1 + 0.05 * runs), np.zeros(3)
    axis, regions = decision_grid(W, b, extent=3.0, n=100)
    st.plotly_chart(decision_regions(axis, regions, X, y, (X @ W.T + b).argmax(1), W, b, title="regions",
                                     class_names=["a", "b", "c"], misclassified_label="wrong"), key="chart")
