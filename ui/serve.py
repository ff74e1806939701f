"""Start LossLab's server: ``python -m ui.serve run app.py [streamlit options]``.

The same as ``streamlit run``, except that Streamlit's old folder-based multipage mode is off
from the very first request. Streamlit switches it on whenever a ``pages/`` folder sits beside
the main script, until the first run that calls ``st.navigation`` (app.py does) turns it off;
until then a deep link such as ``/losses`` would run the page without the router. Plain
``streamlit run app.py`` still works: ``ui.router.require_router`` sends such a run back
through the router, at the cost of one extra rerun for the server's first sessions.
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.exit(cli.main())
