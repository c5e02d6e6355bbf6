"""Restore in a real browser: the open editor follows it, and Save blames nobody.

Trap 5 of issue 10: the toast said a revision was restored, the Author page still showed
the old draft, and Save then said "Someone saved this catalog as revision 4".
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import key_selector, wait_for_run

pytestmark = pytest.mark.e2e

SIDEBAR = '[data-testid="stSidebar"]'
DESCRIPTION = ".st-key-modelServer-description textarea"


def describe(page: Page, text: str) -> None:
    field = page.locator(DESCRIPTION)
    field.fill(text)
    field.press("Tab")
    wait_for_run(page)


def save(page: Page, revision: int) -> None:
    page.locator(SIDEBAR).get_by_role("button", name="Save", exact=True).click()
    wait_for_run(page)
    expect(page.locator(SIDEBAR).get_by_text(f"Saved · revision {revision}")).to_be_visible()


def test_restore_updates_the_open_editor(page: Page) -> None:
    page.locator(f"{key_selector('_welcome:developer-model-service')} button").first.click()
    wait_for_run(page)
    describe(page, "Version one.")
    describe(page, "Version two.")
    save(page, 2)
    describe(page, "Unsaved three.")

    page.get_by_role("link", name="Library").click()
    wait_for_run(page)
    page.get_by_role("tab", name="History").click()
    wait_for_run(page)
    page.get_by_role("button", name="Restore as new revision").click()
    wait_for_run(page)
    expect(page.get_by_text("restored as revision 3", exact=False)).to_be_visible()

    page.get_by_role("link", name="Author").click()
    wait_for_run(page)
    expect(page.locator(DESCRIPTION)).to_have_value("Version one.")
    expect(page.locator(SIDEBAR).get_by_text("Saved · revision 3")).to_be_visible()
    # Undo gives back what the editor had; saving it is no conflict with anyone.
    page.locator(f"{key_selector('_toolbar.undo')} button").first.click()
    wait_for_run(page)
    expect(page.locator(DESCRIPTION)).to_have_value("Unsaved three.")
    save(page, 4)
    expect(page.get_by_text("Someone saved", exact=False)).to_have_count(0)
