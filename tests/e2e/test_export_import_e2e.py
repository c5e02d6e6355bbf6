"""Import then Export in a real browser: a catalog-info.yaml in, the YAML and the zip out."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, wait_for_run

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "import"
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
TALL = {"width": 1440, "height": 2000}


def shot(page: Page, name: str) -> None:
    """A screenshot for people to look at: settled, animations stopped, tall viewport."""
    wait_for_run(page)
    page.set_viewport_size(TALL)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, animations="disabled")


def open_import(page: Page) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Import a catalog")).to_be_visible()


def upload(page: Page, name: str) -> None:
    page.locator(UPLOAD).set_input_files(str(DATA / name))
    # The upload itself is not a script run: wait for what the run shows.
    expect(page.get_by_text(name, exact=True).first).to_be_visible()
    wait_for_run(page)


def download(page: Page, label: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    return info.value.suggested_filename, Path(path).read_bytes()


def test_catalog_info_in_yaml_and_bundle_out(page: Page) -> None:
    open_import(page)
    upload(page, "catalog-info.yaml")
    expect(page.get_by_text("What will be imported")).to_be_visible()
    expect(page.get_by_text("Left out (3)")).to_be_visible()
    shot(page, "import-catalog-info-preview")

    page.get_by_role("button", name="Replace the current catalog").click()
    wait_for_run(page)
    expect(page.get_by_text("Replaced the catalog with the model server")).to_be_visible()
    expect(page.get_by_role("button", name="Undo the import")).to_be_visible()
    shot(page, "import-done")

    page.get_by_role("link", name="Export it").click()
    wait_for_run(page)
    expect(page.get_by_text("The catalog is valid")).to_be_visible()
    expect(page.get_by_text("kind: Component").first).to_be_visible()
    shot(page, "export-catalog-info")

    name, data = download(page, "Download catalog-info.yaml")
    assert name == "catalog-info.yaml"
    entities = list(yaml.safe_load_all(data))
    assert [(e["kind"], e["metadata"]["name"]) for e in entities] == [
        ("Component", "team-model-service"),
        ("API", "team-model-service"),
        ("Resource", "llama-3-8b-instruct"),
    ]
    assert entities[1]["spec"]["definition"] == {
        "$text": "https://team-models.example.com/openapi.json"
    }
    # Downloading does not rerun the page: nothing on it moved.
    expect(page.get_by_text("The catalog is valid")).to_be_visible()

    page.get_by_role("tab", name="TechDocs bundle").click()
    expect(page.get_by_role("button", name="Download techdocs-bundle.zip")).to_be_visible()
    expect(page.get_by_text("# team-model-service").first).to_be_visible()
    shot(page, "export-techdocs-bundle")
    name, data = download(page, "Download techdocs-bundle.zip")
    assert name == "techdocs-bundle.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert {
            "catalog-info.yaml",
            "mkdocs.yml",
            "docs/index.md",
            "llama-3-8b-instruct/mkdocs.yml",
            "llama-3-8b-instruct/docs/index.md",
            "llama-3-8b-instruct/docs/license.md",
        } <= names
        index = archive.read("docs/index.md").decode()
        assert index.startswith("# team-model-service")
        bundled = list(yaml.safe_load_all(archive.read("catalog-info.yaml")))
        assert bundled[0]["metadata"]["annotations"]["backstage.io/techdocs-ref"] == "dir:."


def test_model_card_added_and_a_yaml_bomb_refused(page: Page) -> None:
    page.locator(".st-key-_welcome-developer-model-service button").first.click()
    wait_for_run(page)
    open_import(page)

    upload(page, "yaml-bomb.yaml")
    expect(page.get_by_text("anchors and aliases")).to_be_visible()
    expect(page.get_by_role("button", name="Replace the current catalog")).to_have_count(0)
    shot(page, "import-yaml-bomb")
    page.get_by_role("button", name="Remove yaml-bomb.yaml").click()
    wait_for_run(page)

    upload(page, "README.md")
    expect(page.get_by_text("a Hugging Face model card (detected automatically)")).to_be_visible()
    page.get_by_role("textbox", name="Owner").fill("group:ml-platform")
    page.get_by_role("textbox", name="Owner").press("Enter")
    expect(page.get_by_text("owner: 'group:ml-platform', given on import")).to_be_visible()
    shot(page, "import-model-card-preview")
    page.get_by_role("button", name="Add these models to it").click()
    wait_for_run(page)
    expect(page.get_by_text("Added 1 model from README.md")).to_be_visible()

    page.get_by_role("link", name="Open it on the Author page").click()
    wait_for_run(page)
    expect(page.get_by_text("Tiny-Coder-1B").first).to_be_visible()
