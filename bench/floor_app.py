"""The framework's floor: the least a Streamlit page with an editable table and a number can do.

One ``st.data_editor`` of a 3x4 table and one ``st.metric`` (the sum of its cells). The loss page's
warm rerun and its browser edit-to-update time are measured against this page.
"""

import pandas as pd
import streamlit as st

FRAME = pd.DataFrame(
    {"a": [3.2, 5.1, -1.7], "b": [1.3, 4.9, 2.0], "c": [2.2, 2.5, -3.1], "d": [0.0, 0.0, 0.0]})

edited = st.data_editor(FRAME, key="floor.editor", num_rows="fixed", hide_index=True)
st.metric("sum", f"{float(edited.to_numpy(dtype=float).sum()):.2f}")
