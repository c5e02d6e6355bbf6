"""The Author editor in a real browser: what a click redraws, and what it must not miss.

The form and what an edit changes around it (Undo, the summary, the YAML preview) are
two fragments.  A click that changes only the form (a tab, an opened model) redraws the
form alone, or the model alone (a fragment inside the form's): the preview beside it,
thousands of YAML lines with a hundred models, is not sent or drawn again.  An edit that
changes nothing else the form shows (no issue comes or goes) redraws only the preview
side.  Every change to the catalog, made anywhere in the form or with Undo, still
reaches the preview, and the form when it shows it, at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser import (
    VIEWPORT,
    click,
    key_selector,
    new_context,
    rerun,
    start_app,
    type_into,
    wait_for_run,
)
from tests.catalogs import save_catalog, with_models

pytestmark = pytest.mark.e2e

PREVIEW = '[data-testid="stCode"]'


class Drawn:
    """The kinds of elements the app sent the page since the last :meth:`take`."""

    def __init__(self, page: Page) -> None:
        self.frames: list[bytes] = []
        page.on("websocket", self._listen)

    def _listen(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.frames.append(payload)

    def take(self) -> set[str]:
        kinds = set()
        for payload in self.frames:
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "delta":
                delta = message.delta
                if delta.WhichOneof("type") == "new_element":
                    kinds.add(str(delta.new_element.WhichOneof("type")))
        self.frames.clear()
        return kinds

    def labels(self) -> set[str]:
        """The labels of the widgets sent since the last :meth:`take` (which it is)."""
        found = set()
        for payload in self.frames:
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "delta" and message.delta.HasField("new_element"):
                element = message.delta.new_element
                label = getattr(getattr(element, str(element.WhichOneof("type"))), "label", None)
                if isinstance(label, str) and label:
                    found.add(label)
        self.frames.clear()
        return found


@contextlib.contextmanager
def hundred_models(browser: Browser, tmp_path: Path) -> Iterator[tuple[Page, Drawn]]:
    """A fresh server with a saved catalog of a hundred models, opened by its link in a
    new browser context on the Models tab; ``Drawn`` counts from there."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    catalog_id = save_catalog(data_dir, "A hundred models", with_models(100))
    with start_app(data_dir, tmp_path / "streamlit.log") as server:
        context = new_context(browser, viewport=VIEWPORT)
        page = context.new_page()
        drawn = Drawn(page)  # before the page connects, to hear its websocket
        page.goto(f"{server.url}?catalog={catalog_id}")
        wait_for_run(page)
        click(page, "_author.show:models")
        drawn.take()
        try:
            yield page, drawn
        finally:
            context.close()


def test_form_only_clicks_leave_the_preview_and_every_change_reaches_it(
    open_page: Callable[..., Page],
) -> None:
    page = open_page()
    drawn = Drawn(page)
    page.reload()  # a websocket of its own, which `drawn` listens to
    wait_for_run(page)
    click(page, "_welcome:developer-model-service")
    preview = page.locator(PREVIEW).first
    expect(preview).to_contain_text("name: developer-model-service")
    assert "code" in drawn.take()

    # A tab and an opened model: the form is redrawn, the preview is not sent again.
    click(page, "_author.show:models")
    assert "code" not in drawn.take()
    page.locator('[data-testid="stExpander"] summary').first.click()
    wait_for_run(page)
    expect(page.locator(f"{key_selector('models.0.description')} textarea")).to_be_visible()
    kinds = drawn.take()
    assert "text_area" in kinds
    assert "code" not in kinds
    expect(preview).to_contain_text("name: developer-model-service")  # still there

    # A field of the opened model: the preview follows at once.  Nothing else the form
    # shows changed (no issue came or went), so the form is not drawn again.
    type_into(page, "models.0.description", "Edited in the opened model.")
    expect(preview).to_contain_text("Edited in the opened model.")
    kinds = drawn.take()
    assert "code" in kinds
    assert "text_area" not in kinds
    # A name that breaks the rules: its error shows under the field (the form is drawn
    # again); Undo puts the old name back in the field as in the preview.
    name = page.locator(f"{key_selector('models.0.name')} input")
    type_into(page, "models.0.name", "granite 3.1/bad")
    field_fix = page.locator(f"[class*='{key_selector('_fix.field:models.0.name')[1:]}'] button")
    expect(field_fix.first).to_contain_text("Rename to granite-3.1-bad")
    assert {"text_input", "button"} <= drawn.take()  # the form, with the fix button
    click(page, "_toolbar.undo")
    expect(name).to_have_value("granite-3.1-8b-instruct")
    expect(field_fix).to_have_count(0)
    expect(preview).to_contain_text("name: granite-3.1-8b-instruct")
    # The list's own buttons: the preview counts a new model (the summary warns that
    # its description is still empty), and counts it no more once it is removed.
    click(page, "_form.add:models")
    expect(page.locator(f"{key_selector('models.2.name')} input")).to_have_value("new-model")
    expect(page.get_by_text("5 entities: 1 Component, 1 API, 3 Resource")).to_be_visible()
    expect(page.get_by_text("1 warning").first).to_be_visible()
    click(page, "_form.remove:models.2")
    expect(page.get_by_text("4 entities: 1 Component, 1 API, 2 Resource")).to_be_visible()
    expect(page.get_by_text("no warnings")).to_be_visible()
    expect(preview).to_contain_text("Edited in the opened model.")

    # A switch on the server's tab, then Undo from the toolbar.
    click(page, "_author.show:modelServer")
    expect(preview).to_contain_text("auth-required")
    page.locator(f"{key_selector('modelServer.authentication')} label").first.click()
    wait_for_run(page)
    expect(preview).not_to_contain_text("auth-required")
    undo = page.locator(f"{key_selector('_toolbar.undo')} button").first
    expect(undo).to_contain_text("Undo: edit the server's authentication")
    click(page, "_toolbar.undo")
    expect(preview).to_contain_text("auth-required")
    expect(page.locator(f"{key_selector('modelServer.authentication')} input")).to_be_checked()


def test_an_example_its_first_edits_and_start_over_redraw_the_editor_not_the_page(
    open_page: Callable[..., Page],
) -> None:
    """Loading an example from the welcome, Start over, and the first edits of an
    example (the first keeps it in the Library, the second starts a draft) change what
    the sidebar's catalog box and the welcome show: those rerun with the editor, and the
    rest of the page (its navigation, title and menus) is not sent again.  Later edits
    send the preview alone."""
    page = open_page()
    drawn = Drawn(page)
    page.reload()  # a websocket of its own, which `drawn` listens to
    wait_for_run(page)
    drawn.take()
    sidebar = page.locator('[data-testid="stSidebar"]')
    welcome = page.locator(key_selector("welcome"))
    preview = page.locator(PREVIEW).first
    page_runs = {"page_link"}  # the page's navigation: only a run of the whole page draws it

    click(page, "_welcome:developer-model-service")
    expect(preview).to_contain_text("name: developer-model-service")
    expect(welcome).to_have_count(0)
    expect(sidebar).to_contain_text("An example, not in the Library")
    kinds = drawn.take()
    assert {"code", "text_area"} <= kinds
    assert not kinds & page_runs

    click(page, "_toolbar.new")  # Start over: an unedited example asks nothing
    expect(welcome).to_be_visible()
    expect(preview).to_contain_text("Nothing yet")
    expect(sidebar).to_contain_text("Nothing to save yet")
    assert not drawn.take() & page_runs

    click(page, "_welcome:developer-model-service")
    expect(preview).to_contain_text("name: developer-model-service")
    drawn.take()
    type_into(page, "modelServer.description", "First edit.")
    expect(preview).to_contain_text("First edit.")
    expect(sidebar).to_contain_text("Saved · revision 1")
    assert "catalog=" in page.url
    kinds = drawn.take()
    assert "text_area" not in kinds  # the form stays: no issue came or went
    assert not kinds & page_runs
    type_into(page, "modelServer.description", "Second edit.")
    expect(preview).to_contain_text("Second edit.")
    expect(sidebar).to_contain_text("Unsaved changes on revision 1 (draft kept)")
    assert "draft=" in page.url
    assert not drawn.take() & page_runs
    # From now on an edit of the same field changes the preview alone: Undo's label, the
    # summary, the sidebar's status, the form and the preview's Download stay as they
    # are, and are not resent; nor does the browser fetch a new file for Download.
    files: list[str] = []
    page.on("request", lambda request: files.append(request.url))
    type_into(page, "modelServer.description", "Third edit.")
    expect(preview).to_contain_text("Third edit.")
    kinds = drawn.take()
    assert "code" in kinds
    assert not kinds & {"button", "text_input", "text_area", "page_link", "download_button"}
    assert not [url for url in files if "/media/" in url]
    expect(page.locator(f"{key_selector('_toolbar.undo')} button").first).to_contain_text(
        "Undo: edit the server's description"
    )
    # Yet Download gives the YAML on screen, with the edit.
    with page.expect_download() as download:
        page.locator(key_selector("_preview.download")).get_by_role("button").first.click()
    assert download.value.suggested_filename == "catalog-info.yaml"
    (server, *_rest) = yaml.safe_load_all(Path(download.value.path()).read_text("utf-8"))
    assert server["metadata"]["name"] == "developer-model-service"
    assert server["metadata"]["description"] == "Third edit."

    # Save, in the sidebar's fragment, runs the whole page: the catalog is revision 2.
    sidebar.get_by_role("button", name="Save", exact=True).click()
    wait_for_run(page)
    expect(sidebar).to_contain_text("Saved · revision 2")
    assert "draft=" not in page.url
    assert "page_link" in drawn.take()


def test_undo_in_a_linked_hundred_model_catalog_on_a_fresh_server_puts_the_field_back(
    browser: Browser, tmp_path: Path
) -> None:
    """The first edit of a linked catalog also redraws the sidebar (it now says there is
    a draft), and so does the Undo that goes back to the saved revision.
    On a freshly started server, driven by hand, the field once kept the undone text
    (about one try in two) while the catalog and the preview went back; the form is now
    drawn first after an Undo.  That race depends on timing and this test has not
    reproduced it; it keeps the journey itself covered."""
    with hundred_models(browser, tmp_path) as (page, _):
        page.locator('[data-testid="stExpander"] summary').nth(3).click()
        wait_for_run(page)
        name = page.locator(f"{key_selector('models.3.name')} input")
        expect(name).to_have_value("model-003")
        type_into(page, "models.3.name", "Bad Name/x")
        expect(page.locator(f"{key_selector('_toolbar.undo')} button").first).to_contain_text(
            "Undo: rename model 4"
        )
        click(page, "_toolbar.undo")
        expect(page.locator(f"{key_selector('_toolbar.redo')} button").first).to_contain_text(
            "Redo: rename model 4"
        )
        expect(name).to_have_value("model-003")
        expect(page.locator(PREVIEW).first).not_to_contain_text("Bad Name/x")


def test_an_opened_model_is_drawn_alone_and_keeps_its_fields_through_tabs_and_filters(
    browser: Browser, tmp_path: Path
) -> None:
    """Opening a model of a hundred sends that model, not the form around it.  Each model
    is a fragment of its own inside the form's; their fields once came back empty, and
    wiped the model, when the form was drawn without them (another tab, a filter) and
    then with them again."""
    with hundred_models(browser, tmp_path) as (page, drawn):

        def open_model(index: int) -> None:
            with rerun(page):
                page.locator(f"{key_selector(f'_form.open:models.{index}')} summary").click()
            expect(page.locator(f"{key_selector(f'models.{index}.name')} input")).to_have_value(
                f"model-{index:03d}"
            )

        open_model(1)
        labels = drawn.labels()
        assert {"Name", "Description"} <= labels  # the model's fields
        assert "Find a model" not in labels  # not the list around it
        undo = page.locator(f"{key_selector('_toolbar.undo')} button").first

        # Another tab and back: the model comes back closed, and opened again it has
        # its fields, as has the next one.
        click(page, "_author.show:modelServer")
        click(page, "_author.show:models")
        expect(page.locator(key_selector("models.1.name"))).to_have_count(0)
        open_model(1)
        open_model(3)
        # A filter that hides both, then none: the same.
        search = page.locator(f"{key_selector('_form.filter:models')} input")
        with rerun(page):
            search.fill("model-05")
            search.press("Enter")
        expect(page.locator(f"{key_selector('_form.open:models.50')}")).to_be_visible()
        expect(page.locator(key_selector("models.1.name"))).to_have_count(0)
        with rerun(page):
            search.fill("")
            search.press("Enter")
        for index in (1, 3, 5):
            open_model(index)
        for index in (1, 3, 5):
            name = page.locator(f"{key_selector(f'models.{index}.name')} input")
            expect(name).to_have_count(1)  # drawn once, not once per run of the form
            expect(name).to_have_value(f"model-{index:03d}")
        expect(undo).to_be_disabled()  # nothing changed the catalog
        expect(page.locator(PREVIEW).first).to_contain_text("name: model-001")
        expect(page.get_by_text("error", exact=False)).to_have_count(0)
