"""Loading what the first click will need while the person reads the first page.

A fresh server draws its first page without pandas (half a second to import; the
annotations table and Streamlit's own parsing need it) and without having validated
or converted anything.  The first example loaded would pay for all of that at once.
:func:`start` does it once per process, in a background thread, as the server starts
(or once a first page has been sent): Python's import lock makes a page that needs a
module meanwhile wait for the same import instead of doing it twice.
"""

from __future__ import annotations

import gc
import importlib
import threading
import time

#: Seconds to let the first page go out first: imports hold the interpreter, and the
#: server needs it to send that page.
DELAY = 1.5

_started = threading.Event()


def _warm(delay: float) -> None:
    # Nothing here may fail the app: it only makes later work faster.
    time.sleep(delay)
    try:
        importlib.import_module("pandas")
        from ui import examples
        from ui.report import build

        for example in examples.examples():
            build(example.document, 0)
        # What is loaded by now lives as long as the process: keep the collector's
        # full passes (a tenth of a second each with all of it) from walking it again.
        gc.freeze()
    except Exception:  # noqa: BLE001, S110 - a failed warm-up changes nothing visible
        pass


def start(delay: float = DELAY) -> None:
    """Start the warm-up once per process (later calls return at once).

    ``app.py`` calls it with no delay when the server starts, before anyone connects;
    the frame calls it after a first page in case the server was started another way.
    """
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_warm, args=(delay,), name="model-catalog-warmup", daemon=True).start()
