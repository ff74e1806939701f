"""Start LossLab's server: ``python -m ui.serve run server.py [streamlit options]``.

The same as ``streamlit run`` (which works too), plus two things a classroom server needs:

* The libraries and LossLab's own modules are imported before the server starts, then frozen
  out of the garbage collector (``gc.freeze``). They live as long as the process, and with them
  frozen a full collection walks only what the sessions created: well under 1 ms instead of
  about 100 ms over the ~140 000 objects that plotly, pandas, SciPy and scikit-image bring. A full
  collection holds the GIL, so with 30 students it was the server's biggest single cost
  (``make loadtest`` prints the CPU split).
* The Korean web font (static/fonts) is served as ``font/woff2`` even where the system has no
  /etc/mime.types to tell Python 3.11 what .woff2 is (a slim container image).
"""

import gc
import importlib
import mimetypes
import sys

from streamlit.web import cli

# What the pages import; each page's own module is run by Streamlit, not imported. ui.classifier
# is left to the first run: its st.cache_data looks for the runtime when it is defined.
PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow",
    "PIL.Image",
    "plotly.graph_objects",
    "plotly.io",
    "scipy.cluster.vq",
    "skimage.color",
    "skimage.data",
    "skimage.feature",
    "core.data",
    "core.features",
    "core.gradients",
    "core.lecture",
    "core.linear",
    "core.losses",
    "core.optim",
    "core.regularization",
    "core.geometry",
    "core.overfitting",
    "core.checks",
    "core.scores",
    "core.classifier",
    "core.params",
    "core.search",
    "core.descent",
    "core.feature_pictures",
    "ui.derivation",
    "ui.i18n",
    "ui.images",
    "ui.plots.features",
    "ui.plots.gradients",
    "ui.plots.losses",
    "ui.plots.regularization",
    "ui.score_table",
    "ui.settings.base",
    "ui.settings.page",
    "ui.widgets",
)


def preload_and_freeze(modules=PRELOAD) -> int:
    """Import ``modules``, collect once, and freeze every object alive; returns how many."""
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


if __name__ == "__main__":
    mimetypes.add_type("font/woff2", ".woff2")
    preload_and_freeze()
    sys.exit(cli.main())
