"""Browser test harness: the real app under ``streamlit run`` and Debian's Chromium.

Fixtures other pages' tests reuse:

``app_server``  (session) the running app: ``.url`` and ``.data_dir`` (the app's
                ``MODEL_CATALOG_DATA_DIR``, a fresh temporary folder)
``app_url``     (session) the app's base URL, e.g. ``http://127.0.0.1:8765/``
``browser``     (session) a Playwright Chromium browser
``open_page``   ``open_page(color_scheme="dark")`` opens the app in a new context
``page``        a new browser page with the app loaded and its first run finished
``screenshot``  ``screenshot(page, "name")`` saves ``test-artifacts/<name>.png``

Helpers to import: ``wait_for_run(page)`` after any action that reruns the app,
``key_selector("models.0.name")`` for the element of a widget key, ``click(page, key)``
and ``type_into(page, key, text)`` for a button and a text field by widget key.

Without Chromium the tests skip, except in CI (``CI=true``) where they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.streamlit_server import streamlit_app

ROOT = Path(__file__).resolve().parents[2]
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
def start_app(data_dir: Path, log_path: Path) -> Iterator[AppServer]:
    """Run ``streamlit run app.py`` on a free local port until the block ends."""
    env = {**os.environ, "MODEL_CATALOG_DATA_DIR": str(data_dir)}
    with streamlit_app(env, log_path) as (url, process):
        yield AppServer(url + "/", data_dir, process)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Start the app on a free local port with its own data folder; stop it afterwards."""
    data_dir = tmp_path_factory.mktemp("data")
    with start_app(data_dir, tmp_path_factory.getbasetemp() / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="session")
def app_url(app_server: AppServer) -> str:
    """The running app's base URL (ends with ``/``)."""
    return app_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian (Playwright cannot download its own here)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


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


@pytest.fixture
def open_page(browser: Browser, app_url: str) -> Iterator[Callable[..., Page]]:
    """Open the app in a new browser context: ``open_page(color_scheme="dark")``."""
    contexts: list[BrowserContext] = []

    def open_(*, color_scheme: str = "light", **options: object) -> Page:
        context = browser.new_context(
            viewport=VIEWPORT,
            color_scheme=color_scheme,
            **options,  # type: ignore[arg-type]
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        new_page = context.new_page()
        new_page.goto(app_url)
        wait_for_run(new_page)
        return new_page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A fresh page (own session, own cookies) showing the app after its first run."""
    return open_page()


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """Save a screenshot of the whole page under ``test-artifacts/`` and return its path.

    Streamlit scrolls inside its own container, so a browser "full page" shot shows
    only the window: the viewport is stretched to the content for the shot instead.
    """

    def take(page: Page, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        wait_for_run(page)  # no half-drawn widgets (skeletons) in the picture
        viewport = page.viewport_size or VIEWPORT
        if full_page:
            height = page.evaluate(_CONTENT_HEIGHT)
            page.set_viewport_size({"width": viewport["width"], "height": max(height, 600)})
        try:
            page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(viewport)
        return path

    return take


_CONTENT_HEIGHT = """() => Math.ceil(Math.max(
    document.documentElement.scrollHeight,
    ...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
        .map(e => e.scrollHeight + e.getBoundingClientRect().top)))"""
