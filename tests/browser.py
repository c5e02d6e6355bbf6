"""What the browser tests share: the app under ``streamlit run``, and Playwright helpers.

Import from here (``from tests.browser import wait_for_run``), not from ``conftest``: with
several test folders in one run, ``conftest`` names whichever folder's came last.

``start_app(data_dir, log_path)`` runs the app; ``new_context(browser)`` opens a browser
context whose pages ``wait_for_run`` can follow; ``wait_for_run(page)`` waits after any
action that reruns it (``with rerun(page): ...`` around an action waits for exactly that
action's runs); ``key_selector("models.0.name")`` is the element of a widget key;
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

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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


# Every message the app's websocket receives, counted with the time of the last one. The
# script-state attribute alone is not enough: a click's run may not have started when it is
# read, and a fragment run that asks for a whole-page run goes "notRunning" in between.
_TRACK_MESSAGES = """(() => {
  const seen = { count: 0, last: 0 };
  window.__catalogMessages = seen;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => {
        seen.count += 1;
        seen.last = performance.now();
      });
    }
  };
})()"""

_SETTLED = """([since, quiet]) => {
  const seen = window.__catalogMessages;
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testConnectionState === "CONNECTED"
    && app.dataset.testScriptState === "notRunning"
    && performance.now() - Math.max(seen.last, since) > quiet
    && !document.querySelector('[data-testid="stSkeleton"]');
}"""
QUIET_MS = 200
"""How long the websocket stays silent before a run (and any run it asked for) is over."""


def new_context(browser: Browser, **options: object) -> BrowserContext:
    """A browser context (``browser.new_context(**options)``) that ``wait_for_run`` follows."""
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.add_init_script(_TRACK_MESSAGES)
    return context


def messages(page: Page) -> int:
    """How many websocket messages the page has received so far."""
    count = page.evaluate("() => window.__catalogMessages && window.__catalogMessages.count")
    if count is None:
        raise AssertionError("open the page's context with tests.browser.new_context")
    return int(count)


def wait_for_run(page: Page, *, since: int | None = None) -> None:
    """Wait until the app has answered and gone quiet: script done, widgets drawn.

    With ``since`` (``messages(page)`` before the action), first wait for a message after
    it, so a run that has not started yet is not taken for finished; an action that starts
    no run gives up on that after 3 s. Without it, the page must stay quiet for
    ``QUIET_MS`` from now, long enough for a run a click has just asked for to begin.
    """
    started = page.evaluate("() => performance.now()")
    if since is not None:
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                "n => window.__catalogMessages.count > n", arg=since, timeout=3_000
            )
        started = 0
    else:
        messages(page)  # fails early on a page opened without the tracker
    page.wait_for_function(_SETTLED, arg=[started, QUIET_MS], timeout=30_000, polling=50)


@contextlib.contextmanager
def rerun(page: Page) -> Iterator[None]:
    """Wait, after the block, for the runs the action inside it caused."""
    since = messages(page)
    yield
    wait_for_run(page, since=since)


def click(page: Page, key: str) -> None:
    """Click the button with widget key ``key`` and wait for the app to rerun."""
    with rerun(page):
        page.locator(f"{key_selector(key)} button").first.click()


def type_into(page: Page, key: str, text: str) -> None:
    """Replace the text of the input or text area with widget key ``key``; commit it."""
    field = page.locator(f"{key_selector(key)} input, {key_selector(key)} textarea").first
    field.fill(text)
    # Enter commits a one-line input; a text area commits when it loses focus.
    with rerun(page):
        field.press("Enter" if field.evaluate("e => e.tagName") == "INPUT" else "Tab")


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
