"""The framework's floor for a chart page: one Plotly figure, nothing else (a page that draws a chart
must at least load Plotly's JavaScript and draw one). The chart pages' first opens are held against it."""

import plotly.graph_objects as go
import streamlit as st

fig = go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[3.2, 1.3, 2.2, 0.5], mode="lines+markers"))
st.plotly_chart(fig)
