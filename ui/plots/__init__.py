"""LossLab's figures, one module per chapter, all in one theme (ui/plots/theme.py).

Every builder is a pure function: arrays and a ``Style`` in, a ``go.Figure`` out. Pages call a
builder through ``ui.widgets.figure(builder, ...)``, which adds the session's style and reuses
the figure while the inputs stay the same.
"""
