"""A throwaway HTTP server for files a real Backstage reads in the tests.

``with static_site() as site:`` serves a temporary folder on a free ``127.0.0.1`` port
(an address the test backend may read); ``site.put("a/catalog-info.yaml", text)``
returns the file's URL, and ``site.url_on("localhost", path)`` the same file under a host
the test backend is *not* allowed to read.  The server and the folder go when the block
ends.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class StaticSite:
    """A folder served over HTTP."""

    root: Path
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def put(self, path: str, text: str) -> str:
        """Write ``text`` at ``path`` under the site; its URL."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return f"{self.base}/{path}"

    def url_on(self, host: str, path: str) -> str:
        """The URL of ``path`` under another name of this machine (e.g. ``localhost``)."""
        return f"http://{host}:{self.port}/{path}"


@contextlib.contextmanager
def static_site() -> Iterator[StaticSite]:
    root = Path(tempfile.mkdtemp(prefix="mct-site-"))
    handler = functools.partial(_QuietHandler, directory=str(root))
    # The loopback only. Backstage refuses a host it may not read before connecting, so
    # "localhost" URLs fail for that reason whether or not anything answers there.
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StaticSite(root, int(server.server_address[1]))
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(root, ignore_errors=True)
