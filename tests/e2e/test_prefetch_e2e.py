"""The first page fetches the code an example needs at once, and the table's only later.

Streamlit's browser code for each kind of element is a chunk fetched the first time a
page shows one (:mod:`ui.prefetch`).  The welcome fetches what loading an example shows
right away, so that the click finds it ready; the table's chunk, the biggest, waits
until a catalog shows: compiled while the person clicks an example, it slowed the
click by about a third (``benchmarks/bench_browser.py``, "load example").
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Request, expect

from tests.browser import VIEWPORT, click, new_context, wait_for_run

pytestmark = pytest.mark.e2e

#: How long the welcome is read before an example is clicked, in this test.
READING_S = 3.0


def test_the_table_code_waits_until_a_catalog_shows(browser: Browser, app_url: str) -> None:
    context = new_context(browser, viewport=VIEWPORT)
    try:
        page = context.new_page()
        fetched: list[str] = []

        def chunk(request: Request) -> None:
            name = request.url.rsplit("/", 1)[-1]
            fetched.append(name.split(".")[0])

        page.on("request", chunk)
        page.goto(app_url)
        wait_for_run(page)
        # Waited inside Playwright, which hands over the page's events (its requests)
        # only while a call of it runs: after a time.sleep, some would still be unseen.
        page.wait_for_timeout(READING_S * 1000)
        assert {"Selectbox", "Multiselect", "TextArea", "StreamlitSyntaxHighlighter"} <= set(
            fetched
        )
        assert "DataFrame" not in fetched

        click(page, "_welcome:developer-model-service")
        expect(page.locator('[data-testid="stCode"]').first).to_contain_text(
            "name: developer-model-service"
        )
        deadline = time.monotonic() + 20
        while "DataFrame" not in fetched and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert "DataFrame" in fetched
    finally:
        context.close()
