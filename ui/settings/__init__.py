"""Every page's settings, declared once (one module per page) and importable without running a page.

``registry()`` maps each page to its ``PageSettings``; the hostile-URL tests drive every setting
from it.
"""

from __future__ import annotations

import importlib

PAGES = ("home", "losses", "regularization", "optimization", "gradients", "features")


def registry() -> dict:
    """``{page: PageSettings}`` for every page, plus ``"app"`` (language, presenter mode)."""
    from ui.settings.page import APP

    return {"app": APP, **{page: importlib.import_module(f"ui.settings.{page}").SETTINGS for page in PAGES}}
