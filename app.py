"""Model Catalog Studio: the entry point (``streamlit run app.py``).

The frame (page set-up, sidebar, saved-catalog bootstrap) and the list of pages live in
:mod:`ui.frame`; pages live in ``pages/`` and change the catalog only through
:mod:`ui.state`.
"""

from ui import frame

frame.run()
