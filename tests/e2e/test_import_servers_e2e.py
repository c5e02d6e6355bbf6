"""A catalog-info file with two model servers, in a real browser: choose, then import."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, wait_for_run

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "import" / "reverse"
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'


def test_the_user_picks_the_second_server_and_gets_its_models(page: Page) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    wait_for_run(page)
    page.locator(UPLOAD).set_input_files(str(DATA / "two-servers.yaml"))
    expect(page.get_by_text("two-servers.yaml", exact=True).first).to_be_visible()
    wait_for_run(page)
    expect(page.get_by_text("This file holds 2 model servers")).to_be_visible()
    page.get_by_text("server-b (2 models)").click()
    wait_for_run(page)
    expect(page.get_by_text("this one is server-b's")).to_be_visible()
    page.set_viewport_size({"width": 1440, "height": 2000})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-two-servers.png"), full_page=True)
    page.get_by_role("button", name="Replace the current catalog").click()
    wait_for_run(page)
    expect(
        page.get_by_text("Replaced the catalog with the model server 'server-b'")
    ).to_be_visible()
