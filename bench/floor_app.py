"""The framework's floor for a table page: one ``st.data_editor`` of a 3x4 table and one ``st.metric``
(the sum of its cells). /losses' and /'s first open and the score edit are held against it."""

import pandas as pd
import streamlit as st

FRAME = pd.DataFrame(
    {"a": [3.2, 5.1, -1.7], "b": [1.3, 4.9, 2.0], "c": [2.2, 2.5, -3.1], "d": [0.0, 0.0, 0.0]}
)

edited = st.data_editor(FRAME, key="floor.editor", num_rows="fixed", hide_index=True)
st.metric("sum", f"{float(edited.to_numpy(dtype=float).sum()):.2f}")
