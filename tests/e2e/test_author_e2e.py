"""The Author page in a real browser: the first-time user's path, start to copied YAML.

Load an example, break a model's name, read why under the field, fix it with one click,
copy the YAML; on the way, markup typed into a field must stay text.  Screenshots of
each step (light and dark) go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import click, key_selector, type_into, wait_for_run

pytestmark = pytest.mark.e2e

XSS = "<img src=x onerror=alert(1)>"
BAD_NAME = "ibm-granite/granite 3.1"
FIXED_NAME = "ibm-granite-granite-3.1"


def preview_text(page: Page) -> str:
    return page.locator('[data-testid="stCode"] code').first.inner_text()


def model_expander(page: Page, title: str) -> object:
    return page.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text=title)
    )


def test_first_time_user_loads_breaks_fixes_and_copies(
    open_page: Callable[..., Page], screenshot: Callable[..., Path]
) -> None:
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    expect(page.get_by_text("Start from an example")).to_be_visible()
    screenshot(page, "author-1-first-visit")

    click(page, "_welcome:developer-model-service")
    expect(page.get_by_text("Ready for Backstage")).to_be_visible()
    expect(page.locator('[data-testid="stCode"]')).to_contain_text("developer-model-service")
    screenshot(page, "author-2-example-loaded")

    # Markup in a description is shown as text, in the form and in the preview.
    type_into(page, "modelServer.description", XSS)
    expect(page.locator('[data-testid="stCode"]')).to_contain_text(XSS)
    assert page.locator('img[src="x"]').count() == 0
    field = page.locator(f"{key_selector('modelServer.description')} textarea")
    expect(field).to_have_value(XSS)

    # The user opens a model and gives it a name Backstage refuses.
    click(page, "_author.show:models")
    model_expander(page, "granite-3.1-8b-instruct").locator("summary").click()
    wait_for_run(page)
    type_into(page, "models.0.name", BAD_NAME)
    model = model_expander(page, BAD_NAME)
    reason = model.get_by_text(re.compile("is not a valid Backstage name"))
    expect(reason).to_be_visible()
    expect(page.get_by_text("Export blocked")).to_be_visible()
    expect(page.locator(key_selector("_preview.download") + " button").first).to_be_disabled()
    screenshot(page, "author-3-invalid-name")

    # One click on the fix under the field, and the error is gone.
    model.locator(f"[class*='{key_selector('_fix.field:models.0.name')[1:]}'] button").first.click()
    wait_for_run(page)
    expect(reason).to_have_count(0)
    expect(page.locator(f"{key_selector('models.0.name')} input")).to_have_value(FIXED_NAME)
    expect(page.get_by_text("Ready for Backstage")).to_be_visible()
    assert f"name: {FIXED_NAME}" in preview_text(page)
    screenshot(page, "author-4-fixed")

    # The preview follows typing: a pause is enough, no Enter needed.
    owner = page.locator(f"{key_selector('models.0.owner')} input")
    owner.fill("group:typed-live")
    expect(page.locator('[data-testid="stCode"]')).to_contain_text("owner: group:typed-live")
    wait_for_run(page)

    # And copies the YAML with the code block's copy button.
    code = page.locator('[data-testid="stCode"]').first
    code.hover()
    code.get_by_role("button", name=re.compile("copy", re.IGNORECASE)).click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("apiVersion: backstage.io/v1alpha1")
    assert f"name: {FIXED_NAME}" in copied
    assert "owner: group:typed-live" in copied
    assert dialogs == []  # nothing the user typed ever ran


def test_dark_theme_reads_well(
    open_page: Callable[..., Page], screenshot: Callable[..., Path]
) -> None:
    page = open_page(color_scheme="dark")
    click(page, "_welcome:triton-grpc-server")
    expect(page.get_by_text("Ready for Backstage")).to_be_visible()
    screenshot(page, "author-dark-example")
    click(page, "_author.show:models")
    model_expander(page, "defect-detector-yolov8").locator("summary").click()
    wait_for_run(page)
    type_into(page, "models.0.license", "our own licence")
    expect(page.get_by_text(re.compile("warning")).first).to_be_visible()
    screenshot(page, "author-dark-warning")


def test_an_annotation_edited_in_its_table_reaches_the_preview(
    page: Page, screenshot: Callable[..., Path]
) -> None:
    click(page, "_welcome:developer-model-service")
    expect(page.locator('[data-testid="stCode"]')).to_contain_text("developer-model-service")
    annotations = page.locator(f"{key_selector('_form.open:modelServer.annotations')}")
    expect(annotations.locator("summary")).to_contain_text("Annotations (1 entry)")
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)  # drawn once opened
    annotations.locator("summary").click()
    wait_for_run(page)
    grid = annotations.locator('[data-testid="stDataFrame"] canvas').first
    expect(grid).to_be_visible()
    # The grid's accessible copy holds the example's annotation once it is drawn.
    expect(annotations.locator('[id^="glide-cell-1-"]').first).to_contain_text(
        "backstage.io/source-location"
    )
    wait_for_run(page)
    # Row 1, column Value (the key column is "medium", about a third of the width). The
    # grid is a canvas: its cell is reached by position, and a click the grid takes while
    # it still settles is not a selection, so the click is tried again until it is.
    editor = page.locator("textarea.gdg-input")
    for _ in range(8):
        wait_for_run(page)
        grid.scroll_into_view_if_needed()  # measured each time: the page may have moved
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + 35 + 17)
        page.keyboard.press("Enter")  # edit the selected cell
        try:
            expect(editor).to_be_focused(timeout=1_000)
            break
        except AssertionError:
            continue
    expect(editor).to_be_focused()
    editor.fill("url:https://example.com/edited-in-the-table")
    expect(editor).to_have_value("url:https://example.com/edited-in-the-table")
    page.keyboard.press("Enter")
    wait_for_run(page)
    expect(page.locator('[data-testid="stCode"]')).to_contain_text(
        "url:https://example.com/edited-in-the-table", timeout=15_000
    )
    screenshot(page, "author-annotations-table")
