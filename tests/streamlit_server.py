"""``streamlit run app.py`` on a free loopback port, for the tests that need the real app.

``with streamlit_app(env, log_path) as (url, process):`` starts it with ``env`` as its
environment, waits until ``/_stcore/health`` answers (failing the test with the log's
tail if it does not in time) and stops it when the block ends.  ``url`` ends
without ``/``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
STARTUP_SECONDS = 60


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_app(
    env: Mapping[str, str],
    log_path: Path,
    *,
    port: int | None = None,
    startup_seconds: float = STARTUP_SECONDS,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run the app until the block ends; yield its base URL (no trailing ``/``) and process."""
    port = port or free_port()
    url = f"http://{HOST}:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", HOST,
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + startup_seconds
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = log_path.read_text("utf-8", "replace")[-3000:]
                    pytest.fail(f"streamlit did not start on {url}:\n{output}")
                time.sleep(0.2)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
