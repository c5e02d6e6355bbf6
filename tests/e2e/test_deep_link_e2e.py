"""A bookmarked page link works even as the first visit to a freshly started server.

Streamlit runs a ``pages/`` file on its own (without ``app.py``) in that case; the page
must still show the whole app: the top menu, the sidebar, and the catalog in the link.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import VIEWPORT, new_context, start_app, wait_for_run
from tests.catalogs import example, save_catalog


@pytest.mark.e2e
def test_bookmarked_export_link_on_a_fresh_server_opens_the_catalog(
    browser: Browser, tmp_path: Path, screenshot: Callable[..., Path]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    catalog_id = save_catalog(data_dir, "Bookmarked demo", example())
    with start_app(data_dir, tmp_path / "streamlit.log") as server:
        context = new_context(browser, viewport=VIEWPORT)
        page = context.new_page()
        page.goto(f"{server.url}export?catalog={catalog_id}")
        wait_for_run(page)
        expect(page.get_by_role("heading", name="Export the catalog")).to_be_visible()
        # The frame is there: the top menu and the saved catalog's name in the sidebar.
        expect(page.get_by_role("link", name="Author")).to_be_visible()
        expect(page.get_by_text("Bookmarked demo")).to_be_visible()
        expect(page.get_by_text("name: developer-model-service").first).to_be_visible()
        screenshot(page, "deep-link-export", full_page=False)
        context.close()
