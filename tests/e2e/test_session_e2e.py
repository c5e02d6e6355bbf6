"""The editing session in a real browser: undo/redo step by step, new-or-replace, duplicate.

Trap 1 of issue 10 was: load an example, edit, apply a fix, Undo, and the form went back
to the empty welcome screen.  Here every Undo takes back one labelled step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser import click, key_selector, type_into, wait_for_run

pytestmark = pytest.mark.e2e

BAD_NAME = "ibm-granite/granite 3.1"
FIXED_NAME = "ibm-granite-granite-3.1"
SIDEBAR = '[data-testid="stSidebar"]'


def undo_button(page: Page) -> object:
    return page.locator(f"{key_selector('_toolbar.undo')} button").first


def test_undo_and_redo_walk_the_history_one_labelled_step_at_a_time(
    open_page: Callable[..., Page], screenshot: Callable[..., Path]
) -> None:
    page = open_page()
    click(page, "_welcome:developer-model-service")
    type_into(page, "modelServer.description", "Typed by me.")
    click(page, "_author.show:models")
    page.locator('[data-testid="stExpander"] summary').first.click()
    wait_for_run(page)
    type_into(page, "models.0.name", BAD_NAME)
    fix = f"[class*='{key_selector('_fix.field:models.0.name')[1:]}'] button"
    page.locator(fix).first.click()
    wait_for_run(page)
    name = page.locator(f"{key_selector('models.0.name')} input")
    expect(name).to_have_value(FIXED_NAME)
    expect(undo_button(page)).to_contain_text("Undo: fix:")
    screenshot(page, "session-undo-labelled", full_page=False)

    # Undo from the keyboard (outside a text field), as the button's hint says.
    page.get_by_role("heading", name="Author a model catalog").click()
    page.keyboard.press("Control+z")
    wait_for_run(page)
    expect(name).to_have_value(BAD_NAME)  # the fix is undone
    click(page, "_toolbar.undo")  # the rename
    expect(name).to_have_value("granite-3.1-8b-instruct")
    expect(undo_button(page)).to_contain_text("Undo: edit the server's description")
    expect(page.get_by_text("Start from an example")).to_have_count(0)  # no welcome screen

    click(page, "_toolbar.redo")
    expect(name).to_have_value(BAD_NAME)
    click(page, "_toolbar.redo")
    expect(name).to_have_value(FIXED_NAME)
    expect(page.locator(f"{key_selector('_toolbar.redo')} button").first).to_be_disabled()
    click(page, "_author.show:modelServer")
    description = page.locator(f"{key_selector('modelServer.description')} textarea")
    expect(description).to_have_value("Typed by me.")


def test_an_example_while_a_catalog_with_changes_is_open_asks_first(
    open_page: Callable[..., Page], screenshot: Callable[..., Path]
) -> None:
    page = open_page()
    click(page, "_welcome:developer-model-service")
    type_into(page, "modelServer.description", "Mine, do not lose.")
    expect(undo_button(page)).to_contain_text("Undo: edit the server's description")
    expect(page).to_have_url(re.compile(r"[?&]catalog="))
    first = parse_qs(urlparse(page.url).query)["catalog"][0]
    page.get_by_role("button", name="Load example", exact=True).click()
    example = page.locator(f"{key_selector('_example:triton-grpc-server')} button").first
    expect(example).to_be_visible()
    example.click()
    wait_for_run(page)
    choice = page.locator(key_selector("toolbar-choice"))
    expect(choice).to_be_visible()
    screenshot(page, "session-new-or-replace", full_page=False)
    click(page, "_toolbar.choice.new")
    expect(choice).to_have_count(0, timeout=30_000)  # the rerun is done (a loaded machine)
    expect(page.locator(f"{key_selector('modelServer.name')} input")).to_have_value(
        "vision-inference", timeout=30_000
    )
    # The example is a new catalog, not in the Library until edited or saved...
    expect(page).not_to_have_url(re.compile(r"[?&]catalog="))
    # ...and the first one is in the Library as it was.
    page.get_by_role("link", name="Library").click()
    wait_for_run(page)
    expect(page.locator(f".st-key-library-row-{first}")).to_contain_text("developer-model-service")


def test_duplicate_model_gets_a_name_of_its_own(open_page: Callable[..., Page]) -> None:
    page = open_page()
    click(page, "_welcome:developer-model-service")
    click(page, "_author.show:models")
    page.locator('[data-testid="stExpander"] summary').first.click()
    wait_for_run(page)
    click(page, "_form.duplicate:models.0")
    expect(page.locator(f"{key_selector('models.1.name')} input")).to_have_value(
        "granite-3.1-8b-instruct-copy"
    )
    expect(page.get_by_text("Ready for Backstage")).to_be_visible()
