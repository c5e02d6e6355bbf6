"""The Backstage page in a real browser, against a real Backstage reading the app itself.

The app runs with ``MODEL_CATALOG_BACKSTAGE_URL``/``_TOKEN`` pointing at the test
backend and ``MODEL_CATALOG_PUBLIC_URL`` at its own address, so Backstage reads the
library from the app's ``/published/...`` routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests import browser as e2e
from tests.streamlit_server import free_port

pytestmark = pytest.mark.e2e

EXAMPLE = "triton-grpc-server"
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture
def studio(
    backstage: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[e2e.AppServer]:
    """An app of its own, configured for the test Backstage (the env is read at start)."""
    port = free_port()
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", backstage.url)
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", backstage.token)
    monkeypatch.setenv("MODEL_CATALOG_PUBLIC_URL", f"http://127.0.0.1:{port}")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with e2e.start_app(data_dir, tmp_path / "streamlit.log", port=port) as server:
        yield server


def test_register_the_library_and_see_what_backstage_made_of_it(
    studio: e2e.AppServer, browser: Browser, screenshot: Callable[..., Path]
) -> None:
    context = e2e.new_context(browser, viewport=e2e.VIEWPORT)
    context.set_default_timeout(60_000)  # Backstage's processing and a busy machine
    try:
        page = context.new_page()
        page.goto(studio.url)
        e2e.wait_for_run(page)
        e2e.click(page, f"_welcome:{EXAMPLE}")
        page.locator(SIDEBAR).get_by_role("button", name="Save", exact=True).click()
        e2e.wait_for_run(page)
        page.get_by_role("link", name="Backstage").click()
        e2e.wait_for_run(page)
        code = page.get_by_test_id("stCode")
        expect(code.get_by_text(f"{studio.url}published/location.yaml")).to_be_visible()

        e2e.click(page, "backstage.dry_run")
        expect(page.get_by_text("Dry run: Backstage would create 6 entities")).to_be_visible()
        e2e.click(page, "backstage.register")
        expect(
            page.get_by_text(
                "Backstage shows the last saved revision, exactly as the Studio publishes it."
            )
        ).to_be_visible()
        expect(page.get_by_text("Relations Backstage computed")).to_be_visible()
        component = page.locator('[data-testid="stExpander"]').filter(
            has_text="Component vision-inference"
        )
        component.get_by_text("Component vision-inference", exact=True).click()
        expect(component.get_by_text("resource:default/defect-detector-yolov8")).to_be_visible()
        expect(component.get_by_text("api:default/vision-inference").first).to_be_visible()
        screenshot(page, "backstage-registered")
    finally:
        context.close()
