"""The new-user polish in a real browser: what a person sees and hears, on a desk or a phone."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser import new_context, wait_for_run

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
    # ... and no other limit beside it (the uploader's own lets a bigger file through).
    expect(page.get_by_text("20MB per file")).to_be_hidden()
    big = b'{"models": []}' + b" " * (6 * 1024 * 1024)
    page.locator(UPLOAD).set_input_files(
        {"name": "huge.json", "mimeType": "application/json", "buffer": big}
    )
    message = page.get_by_text("larger than the import limit of 5 MB")
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text("huge.json: it is 6.0 MB")
    screenshot(page, "polish-oversize-upload")


@pytest.fixture
def phone(browser: Browser, app_url: str) -> Iterator[Page]:
    """The app on a phone-sized touch screen (390 px wide, as an iPhone 14)."""
    context = new_context(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(app_url)
    wait_for_run(page)
    yield page
    context.close()


def test_the_pages_are_one_tap_away_on_a_phone(
    phone: Page, screenshot: Callable[..., Path]
) -> None:
    # Streamlit hides its top navigation in the collapsed sidebar on a narrow screen.
    links = phone.locator(".st-key-phone-navigation a")
    # Every page of the top navigation, in its order.
    pages = ["Author", "Graph", "Export", "Import", "Library", "Backstage"]
    expect(links).to_have_text([re.compile(f"{name}$") for name in pages])  # after the icon
    for link in links.all():
        expect(link).to_be_in_viewport()
    screenshot(phone, "polish-phone-author", full_page=False)
    phone.locator(".st-key-phone-navigation").get_by_role("link", name="Import").tap()
    wait_for_run(phone)
    expect(phone.get_by_role("heading", name="Import a catalog")).to_be_visible()
    screenshot(phone, "polish-phone-import", full_page=False)


def test_the_phone_links_stay_out_of_the_desktop_page(page: Page) -> None:
    top = page.locator('[data-testid="stTopNav"]')
    expect(top.get_by_role("link", name="Import")).to_be_visible()
    expect(page.locator(".st-key-phone-navigation")).to_be_hidden()


def load_example(page: Page, title: str = "developer-model-service") -> None:
    page.locator(".st-key-welcome button").filter(has_text=title).first.click()
    wait_for_run(page)


def test_a_required_field_is_announced_by_its_plain_name_and_shown_with_a_mark(
    page: Page, screenshot: Callable[..., Path]
) -> None:
    load_example(page)
    name = page.get_by_role("textbox", name="Name", exact=True).first
    expect(name).to_have_value("developer-model-service")
    label = ".st-key-modelServer-name label p"
    page.wait_for_function(
        f"""() => {{ const p = document.querySelector({label!r});
        return p && getComputedStyle(p, '::after').content.includes('*'); }}""",
        timeout=10_000,
    )
    plain = page.locator(".st-key-modelServer-homepageURL label p").evaluate(
        "p => getComputedStyle(p, '::after').content"
    )
    assert plain in ("none", "normal")
    screenshot(page, "polish-required-marks")


def _background(page: Page) -> str:
    return str(
        page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor")
    )


def test_light_or_dark_is_chosen_in_the_app_menu(
    page: Page, screenshot: Callable[..., Path]
) -> None:
    light = _background(page)
    page.locator('[data-testid="stMainMenu"]').click()
    theme = page.get_by_role("group", name="Theme")
    expect(theme.get_by_role("menuitemradio")).to_have_count(3)  # System, Light, Dark
    theme.locator('[data-testid="stMainMenuItem-theme-Dark"]').click()
    expect(page.locator('[data-testid="stApp"]')).not_to_have_css("background-color", light)
    assert _background(page) == "rgb(17, 21, 28)"  # the dark theme of .streamlit/config.toml
    screenshot(page, "polish-dark-theme", full_page=False)


_FOCUSED_KEY = """() => { const e = document.activeElement;
    const box = e && e !== document.body && e.offsetParent !== null
        ? e.closest('[class*="st-key-"]') : null;
    return box ? [...box.classList].find(c => c.startsWith('st-key-')) : ''; }"""


def expect_focus_in(page: Page, key_class: str) -> None:
    """Wait until the keyboard focus is inside the widget with ``key_class``."""
    try:
        page.wait_for_function(f"() => ({_FOCUSED_KEY})() === {key_class!r}", timeout=10_000)
    except PlaywrightError:
        focused = page.evaluate(_FOCUSED_KEY)
        raise AssertionError(f"focus is in {focused or 'nothing'!r}, not {key_class!r}") from None


def test_enter_on_an_example_then_on_save_keeps_the_keyboard_focus(page: Page) -> None:
    # The keeper is the page's own script: it runs once the first page is drawn.
    page.wait_for_function("() => window.__catalogFocusKeeper === true")
    page.locator(".st-key-welcome button").first.focus()
    page.keyboard.press("Enter")
    wait_for_run(page)
    expect(page.locator(".st-key-modelServer-name input")).to_have_value("developer-model-service")
    # The welcome (and its button) is gone: the focus moves to the examples' menu.
    expect_focus_in(page, "st-key-_toolbar-examples")
    area = page.locator(".st-key-modelServer-description textarea")
    # The first edit brings the example into the library as revision 1; the second is
    # this browser's draft, which Save keeps.
    for text in ("Edited with the keyboard.", "Edited again."):
        area.fill(text)
        area.press("Tab")
        wait_for_run(page)
    save = page.locator(".st-key-_persist-save").get_by_role("button", name="Save")
    expect(save).to_be_enabled()
    save.focus()
    page.keyboard.press("Enter")
    wait_for_run(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("revision")
    # Save is switched off once saved: the note beside it keeps the focus.
    expect_focus_in(page, "st-key-_persist-note")


def test_the_output_options_open_from_the_preview(page: Page) -> None:
    load_example(page)
    options = page.locator(".st-key-_preview-options")
    expect(page.get_by_role("radiogroup", name="Layout")).to_have_count(0)  # drawn when open
    options.get_by_role("button").first.click()
    wait_for_run(page)
    layout = page.get_by_role("radiogroup", name="Layout")
    expect(layout).to_be_visible()
    layout.get_by_text("One ai-model-server entity", exact=False).click()
    wait_for_run(page)
    code = page.locator('[data-testid="stCode"]').first
    expect(code).to_contain_text("type: ai-model-server")


def test_the_techdocs_tree_is_the_downloaded_zip_with_todays_date(
    page: Page, screenshot: Callable[..., Path]
) -> None:
    load_example(page)
    page.get_by_role("link", name="Export", exact=True).first.click()
    wait_for_run(page)
    page.get_by_role("tab", name="TechDocs bundle").click()
    button = page.get_by_role("button", name="Download techdocs-bundle.zip")
    expect(button).to_be_visible()
    tree = page.locator('[data-testid="stCode"]').filter(has_text="techdocs-bundle.zip").first
    expect(tree).to_be_visible()
    screenshot(page, "polish-techdocs-tree")
    with page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    shown = tree.inner_text()
    for entry in entries:  # every file of the zip, under its own name, in the tree
        assert entry.filename.rsplit("/", 1)[-1] in shown, entry.filename
        assert datetime(*entry.date_time).date() >= date.today() - timedelta(days=1)
    # Its top level as it unpacks: catalog-info.yaml sits at the root, not in a folder.
    assert "├── catalog-info.yaml" in shown.splitlines()


def test_the_preview_wraps_long_lines_inside_its_column(page: Page) -> None:
    load_example(page)
    code = page.locator('[data-testid="stCode"]').first  # the preview's
    expect(code).to_contain_text("name: developer-model-service")
    # The server's description is longer than the column is wide: it wraps in the
    # column instead of running off to the right behind a scroll bar.
    size = code.locator("pre").evaluate(
        "(pre) => ({scroll: pre.scrollWidth, width: pre.clientWidth,"
        " space: getComputedStyle(pre.querySelector('code')).whiteSpace})"
    )
    assert size["space"] == "pre-wrap"
    assert size["scroll"] <= size["width"], size
