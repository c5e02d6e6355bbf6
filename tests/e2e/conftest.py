"""Browser test harness: the real app under ``streamlit run`` and Debian's Chromium.

Fixtures other pages' tests reuse:

``app_server``  (session) the running app: ``.url`` and ``.data_dir`` (the app's
                ``MODEL_CATALOG_DATA_DIR``, a fresh temporary folder)
``app_url``     (session) the app's base URL, e.g. ``http://127.0.0.1:8765/``
``browser``     (session) a Playwright Chromium browser
``open_page``   ``open_page(color_scheme="dark")`` opens the app in a new context
``page``        a new browser page with the app loaded and its first run finished
``screenshot``  ``screenshot(page, "name")`` saves ``test-artifacts/<name>.png``

Helpers (``wait_for_run``, ``click``, ...) live in :mod:`tests.browser`.

Without Chromium the tests skip, except in CI (``CI=true``) where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser import (
    _CONTENT_HEIGHT,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    AppServer,
    new_context,
    start_app,
    wait_for_run,
)


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


@pytest.fixture
def open_page(browser: Browser, app_url: str) -> Iterator[Callable[..., Page]]:
    """Open the app in a new browser context: ``open_page(color_scheme="dark")``."""
    contexts: list[BrowserContext] = []

    def open_(*, color_scheme: str = "light", **options: object) -> Page:
        context = new_context(
            browser,
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
