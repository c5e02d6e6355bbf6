"""What the browser tests share: the app under ``streamlit run``, and Playwright helpers.

Import from here (``from tests.browser import wait_for_run``), not from ``conftest``: with
several test folders in one run, ``conftest`` names whichever folder's came last.

``start_app(data_dir, log_path)`` runs the app; ``wait_for_run(page)`` waits after any
action that reruns it; ``key_selector("models.0.name")`` is the element of a widget key;
``click(page, key)`` and ``type_into(page, key, text)`` drive a button and a text field.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.streamlit_server import streamlit_app

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 1000}


@dataclass(frozen=True)
class AppServer:
    """A running ``streamlit run app.py``."""

    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def start_app(data_dir: Path, log_path: Path, *, port: int | None = None) -> Iterator[AppServer]:
    """Run ``streamlit run app.py`` on a free local port (or ``port``) until the block ends."""
    env = {**os.environ, "MODEL_CATALOG_DATA_DIR": str(data_dir)}
    with streamlit_app(env, log_path, port=port) as (url, process):
        yield AppServer(url + "/", data_dir, process)


def wait_for_run(page: Page) -> None:
    """Wait until the app is connected, its script has finished and widgets are drawn."""
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=30_000)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)
    # Widgets load their code lazily and show a skeleton meanwhile.
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=30_000)


def click(page: Page, key: str) -> None:
    """Click the button with widget key ``key`` and wait for the app to rerun."""
    page.locator(f"{key_selector(key)} button").first.click()
    wait_for_run(page)


def type_into(page: Page, key: str, text: str) -> None:
    """Replace the text of the input or text area with widget key ``key``; commit it."""
    field = page.locator(f"{key_selector(key)} input, {key_selector(key)} textarea").first
    field.fill(text)
    # Enter commits a one-line input; a text area commits when it loses focus.
    field.press("Enter" if field.evaluate("e => e.tagName") == "INPUT" else "Tab")
    wait_for_run(page)


def key_selector(key: str) -> str:
    """The CSS selector of the element with Streamlit widget key ``key``.

    Streamlit adds the class ``st-key-<key>``, every character outside ``[A-Za-z0-9_-]``
    replaced by ``-``: ``models.0.name`` -> ``.st-key-models-0-name``.
    """
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


_CONTENT_HEIGHT = """() => Math.ceil(Math.max(
    document.documentElement.scrollHeight,
    ...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
        .map(e => e.scrollHeight + e.getBoundingClientRect().top)))"""
