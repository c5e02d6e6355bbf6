"""The Author editor in a real browser: what a click redraws, and what it must not miss.

The form and what an edit changes around it (Undo, the summary, the YAML preview) are
two fragments.  A click that changes only the form (a tab, an opened model) redraws the
form alone: the preview beside it, thousands of YAML lines with a hundred models, is not
sent or drawn again.  An edit that changes nothing else the form shows (no issue comes
or goes) redraws only the preview side.  Every change to the catalog, made anywhere in
the form or with Undo, still reaches the preview, and the form when it shows it, at once.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser import click, key_selector, type_into, wait_for_run

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
    # (The first two edits of an example draw the whole page too: the first keeps the
    # example in the Library, the second starts a draft, and the sidebar says each.)
    for text in ("Edited once.", "Edited twice."):
        type_into(page, "models.0.description", text)
        expect(preview).to_contain_text(text)
    drawn.take()
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
