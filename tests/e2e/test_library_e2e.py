"""Saving in a real browser: a saved catalog survives a reload and opens from its link.

A second browser context is another browser (no cookie): a link shows it the saved
revision, never the sender's draft; the sender's own reload brings the draft back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import VIEWPORT, new_context, wait_for_run

pytestmark = pytest.mark.e2e

EXAMPLE = "developer-model-service"
SIDEBAR = '[data-testid="stSidebar"]'
SERVER_NAME = ".st-key-modelServer-name input"


def catalog_id(page: Page) -> str:
    ids = parse_qs(urlparse(page.url).query).get("catalog", [])
    assert len(ids) == 1, f"no ?catalog= in {page.url}"
    return ids[0]


def expect_status(page: Page, text: str) -> None:
    expect(page.locator(SIDEBAR).get_by_text(text, exact=True)).to_be_visible()


def test_saved_catalog_survives_reload_and_opens_from_its_link(
    page: Page, browser: Browser, screenshot: Callable[..., Path]
) -> None:
    # Author: load an example (not in the Library until edited or saved), save, edit.
    page.locator(f".st-key-_welcome-{EXAMPLE} button").first.click()
    wait_for_run(page)
    expect_status(page, "An example, not in the Library: your first change or Save keeps it.")
    assert "catalog=" not in page.url
    page.locator(SIDEBAR).get_by_role("button", name="Save", exact=True).click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"[?&]catalog="))
    expect_status(page, "Saved · revision 1")
    name = page.locator(SERVER_NAME)
    name.fill("e2e-model-service")
    name.press("Enter")
    wait_for_run(page)
    expect_status(page, "Unsaved changes on revision 1 (draft kept)")
    page.locator(".st-key-_persist-note input").fill("Renamed the server")
    page.locator(".st-key-_persist-note input").press("Enter")
    wait_for_run(page)
    page.locator(SIDEBAR).get_by_role("button", name="Save", exact=True).click()
    wait_for_run(page)
    expect_status(page, "Saved · revision 2")
    saved_id = catalog_id(page)
    screenshot(page, "library-saved", full_page=False)

    # A refresh starts a new session: the link brings the same catalog back.
    page.reload()
    wait_for_run(page)
    expect(page.locator(SERVER_NAME)).to_have_value("e2e-model-service")
    expect_status(page, "Saved · revision 2")
    assert catalog_id(page) == saved_id

    # An unsaved change: the address now names this browser's draft.
    name = page.locator(SERVER_NAME)
    name.fill("my-unsaved-name")
    name.press("Enter")
    wait_for_run(page)
    expect_status(page, "Unsaved changes on revision 2 (draft kept)")
    expect(page).to_have_url(re.compile(r"[?&]draft="))

    # A colleague (a new browser context: no cookies, no session) opens that address.
    context = new_context(browser, viewport=VIEWPORT)
    try:
        other = context.new_page()
        other.goto(page.url)
        wait_for_run(other)
        expect(other.locator(SERVER_NAME)).to_have_value("e2e-model-service")  # the saved one
        expect_status(other, "Saved · revision 2")
        assert draft_token(other) is None

        # ...and finds it in the Library, with its history.
        other.get_by_role("link", name="Library").click()
        wait_for_run(other)
        row = other.locator(f".st-key-library-row-{saved_id}")
        # Nobody named it: the Library name follows the server's name.
        expect(row.get_by_text("e2e-model-service", exact=True)).to_be_visible()
        expect(
            row.get_by_text("2 models · group:ai-platform · 2 revisions", exact=False)
        ).to_be_visible()
        assert catalog_id(other) == saved_id
        screenshot(other, "library-page")
        row.get_by_role("button", name="History").click()
        wait_for_run(other)
        picked = other.locator(f".st-key-library-history-{saved_id}-new")
        expect(picked.get_by_role("combobox")).to_have_value("Revision 2 · Renamed the server")
        diff = other.locator('[data-testid="stCode"]').first
        expect(diff).to_contain_text("-  name: developer-model-service")
        expect(diff).to_contain_text("+  name: e2e-model-service")
        screenshot(other, "library-history")
    finally:
        context.close()

    # The sender's own reload (this browser, its cookie) brings the draft straight back.
    page.reload()
    wait_for_run(page)
    expect(page.locator(SERVER_NAME)).to_have_value("my-unsaved-name")


def draft_token(page: Page) -> str | None:
    tokens = parse_qs(urlparse(page.url).query).get("draft", [])
    return tokens[0] if tokens else None


def rename(page: Page, value: str) -> None:
    name = page.locator(SERVER_NAME)
    name.fill(value)
    name.press("Enter")
    wait_for_run(page)
    expect_status(page, "Unsaved changes on revision 1 (draft kept)")


def test_two_people_on_one_catalog_each_get_their_unsaved_work_back_after_a_reload(
    page: Page, browser: Browser, screenshot: Callable[..., Path]
) -> None:
    page.locator(f".st-key-_welcome-{EXAMPLE} button").first.click()
    wait_for_run(page)
    page.locator(SIDEBAR).get_by_role("button", name="Save", exact=True).click()
    wait_for_run(page)
    expect_status(page, "Saved · revision 1")
    link = page.url  # the catalog's link, as passed to a colleague before anyone edits
    context = new_context(browser, viewport=VIEWPORT)
    try:
        colleague = context.new_page()
        colleague.goto(link)
        wait_for_run(colleague)
        rename(page, "mine-server")
        rename(colleague, "their-server")
        rename(page, "mine-server-2")  # after their autosave: still mine
        # The URL names each person's draft; page links drop it, the app puts it back.
        page.get_by_role("link", name="Export").click()
        expect(page).to_have_url(re.compile(r"/export\?catalog=[^&]+&draft="))
        wait_for_run(page)
        page.get_by_role("link", name="Author").click()
        expect(page).to_have_url(re.compile(r"/(author)?\?catalog=[^&]+&draft="))
        wait_for_run(page)
        assert draft_token(page) and draft_token(colleague)
        assert draft_token(page) != draft_token(colleague)

        page.reload()
        colleague.reload()
        wait_for_run(page)
        wait_for_run(colleague)
        expect(page.locator(SERVER_NAME)).to_have_value("mine-server-2")
        expect(colleague.locator(SERVER_NAME)).to_have_value("their-server")
        expect_status(page, "Unsaved changes on revision 1 (draft kept)")
        screenshot(page, "library-two-editors-reloaded", full_page=False)

        # The Library's history lists both drafts; the colleague's can be opened from it.
        page.get_by_role("link", name="Library").click()
        wait_for_run(page)
        page.locator(f".st-key-library-row-{catalog_id(page)}").get_by_role(
            "button", name="History"
        ).click()
        wait_for_run(page)
        expect(page.get_by_text("Unsaved drafts", exact=True)).to_be_visible()
        expect(page.get_by_text("yours, open in the editor", exact=False)).to_be_visible()
        screenshot(page, "library-unsaved-drafts")
    finally:
        context.close()


def test_a_change_of_the_output_options_alone_survives_a_reload(page: Page) -> None:
    """Switching the preview to the ai-model-server layout is an unsaved change like an
    edit: this browser's draft keeps it, and a reload brings it back."""
    page.locator(f".st-key-_welcome-{EXAMPLE} button").first.click()
    wait_for_run(page)
    page.locator(SIDEBAR).get_by_role("button", name="Save", exact=True).click()
    wait_for_run(page)
    expect_status(page, "Saved · revision 1")

    options = page.locator(".st-key-_preview-options").get_by_role("button").first
    options.click()
    wait_for_run(page)
    layout = page.get_by_role("radiogroup", name="Layout")
    layout.get_by_text("One ai-model-server entity", exact=False).click()
    wait_for_run(page)
    expect_status(page, "Unsaved changes on revision 1 (draft kept)")
    expect(page).to_have_url(re.compile(r"[?&]draft="))

    page.reload()
    wait_for_run(page)
    expect(options).to_contain_text("ai-model-server layout")
    expect(page.locator('[data-testid="stCode"]').first).to_contain_text("type: ai-model-server")
    expect_status(page, "Unsaved changes on revision 1 (draft kept)")
