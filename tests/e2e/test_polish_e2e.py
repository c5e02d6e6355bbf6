"""The new-user polish in a real browser: what a person sees and hears, on a desk or a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import wait_for_run
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'


def open_import(page: Page) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    wait_for_run(page)


def test_an_oversize_upload_says_why_in_the_page(
    page: Page, screenshot: Callable[..., Path]
) -> None:
    open_import(page)
    # The limit is on the page before anything is chosen, not only in a tooltip.
    expect(page.get_by_text("JSON, YAML or Markdown, up to 5 MB.")).to_be_visible()
    big = b'{"models": []}' + b" " * (6 * 1024 * 1024)
    page.locator(UPLOAD).set_input_files(
        {"name": "huge.json", "mimeType": "application/json", "buffer": big}
    )
    message = page.get_by_text("larger than the import limit of 5 MB")
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text("huge.json: it is 6.0 MB")
    screenshot(page, "polish-oversize-upload")
