"""The Export page in AppTest: refusal with reasons, options, previews and downloads."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from editor_helpers import editor_document, put_document
from streamlit.testing.v1 import AppTest

from catalog.convert import ConvertOptions
from ui.export_view import build_export, bundle_tree, file_stem

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

SERVER_CATALOG: dict[str, Any] = {
    "modelServer": {
        "name": "demo-server",
        "owner": "group:ai-platform",
        "lifecycle": "production",
        "description": "A vLLM server for the demo.",
        "authentication": True,
        "usage": "Call it with an API key.",
        "API": {
            "url": "https://demo.example.com/v1",
            "type": "openapi",
            "spec": "https://demo.example.com/openapi.json",
        },
    },
    "models": [
        {
            "name": "granite-8b",
            "owner": "group:ai-platform",
            "lifecycle": "production",
            "description": "Granite 8B for code.",
            "license": "Apache-2.0",
            "usage": "Use it for code completion.",
        },
        {
            "name": "mistral-7b",
            "owner": "group:ai-platform",
            "lifecycle": "experimental",
            "description": "Mistral 7B for chat.",
        },
    ],
}
MODELS_ONLY: dict[str, Any] = {"models": copy.deepcopy(SERVER_CATALOG["models"])}
BROKEN: dict[str, Any] = {
    "models": [
        {
            "name": "ibm-granite/granite-3.1-8b",
            "owner": "group:ai-platform",
            "lifecycle": "production",
            "description": "A name Backstage refuses.",
            "artifactLocationURL": "not a url",
        }
    ]
}


def export_page(document: dict[str, Any] | None) -> AppTest:
    """The app on its Export page, with ``document`` as the catalog being edited."""
    at = AppTest.from_file(APP, default_timeout=30)
    if document is not None:
        put_document(at, document)
    at.switch_page("pages/export.py").run()
    assert not at.exception
    return at


def texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_empty_catalog_says_there_is_nothing_to_export() -> None:
    at = export_page(None)
    assert "catalog is empty" in texts(at.info)
    assert not at.download_button
    # The frame's own links (the page menu for phones) are named by page title alone.
    assert [link.label for link in at.get("page_link") if " " in link.label] == [
        "Go to the Author page",
        "Go to the Import page",
    ]


def test_errors_block_export_and_each_one_is_listed_with_where_it_is() -> None:
    at = export_page(BROKEN)
    assert "Export is blocked" in texts(at.error)
    listed = texts(at.markdown)
    assert "Model 'ibm-granite/granite-3.1-8b'" in listed.replace("\\", "")
    assert "Artifact location URL" in listed
    assert not at.download_button
    assert "Fix them on the Author page" in [link.label for link in at.get("page_link")]
    # A one-click fix on the spot: after applying it the name error is gone.
    fixes = [b for b in at.button if b.key and b.key.startswith("export.fix:models.0.name")]
    assert fixes
    fixes[0].click().run()
    assert editor_document(at)["models"][0]["name"] == ("ibm-granite-granite-3.1-8b")


def test_valid_catalog_offers_every_download_without_rerun() -> None:
    at = export_page(SERVER_CATALOG)
    assert "catalog is valid" in texts(at.success)
    buttons = {b.label: b for b in at.download_button}
    assert set(buttons) == {
        "Download catalog-info.yaml",
        "Download demo-server-catalog.json",
        "Download demo-server-catalog.yaml",
        "Download techdocs-bundle.zip",
    }
    assert all(b.proto.ignore_rerun for b in buttons.values())
    assert [t.label for t in at.tabs] == [
        "catalog-info.yaml",
        "Model catalog (JSON / YAML)",
        "TechDocs bundle",
    ]
    yaml_text = at.code[0].value
    kinds = [d["kind"] for d in yaml.safe_load_all(yaml_text)]
    assert kinds == ["Component", "API", "Resource", "Resource"]
    assert "4 entities (1 Component, 1 API, 2 Resources)" in texts(at.markdown)


def test_per_entity_view_shows_one_entity() -> None:
    at = export_page(SERVER_CATALOG)
    picker = at.selectbox(key="export.entity")
    labels = picker.options
    assert labels[0] == "All entities"
    assert "Resource mistral-7b" in labels
    picker.select_index(labels.index("Resource mistral-7b")).run()
    shown = list(yaml.safe_load_all(at.code[0].value))
    assert len(shown) == 1
    assert shown[0]["metadata"]["name"] == "mistral-7b"


def test_ai_model_server_layout_with_the_chosen_kind() -> None:
    at = export_page(SERVER_CATALOG)
    assert not [s for s in at.selectbox if s.key == "export.kind"]
    at.radio(key="export.layout").set_value("ai-model-server").run()
    # The API definition mode means nothing without an API entity: the kind takes its place.
    assert not [r for r in at.radio if r.key == "export.api_definition"]
    at.selectbox(key="export.kind").set_value("API").run()
    assert not at.exception
    (entity,) = yaml.safe_load_all(at.code[0].value)
    assert entity["kind"] == "API"
    assert entity["spec"]["type"] == "ai-model-server"
    assert entity["spec"]["models"]["available"] == ["granite-8b", "mistral-7b"]
    # The choices survive a visit to another page (Streamlit drops hidden widgets' values).
    at.switch_page("pages/author.py").run()
    at.switch_page("pages/export.py").run()
    assert at.radio(key="export.layout").value == "ai-model-server"
    assert at.selectbox(key="export.kind").value == "API"


def test_ai_model_server_layout_without_a_server_is_refused_with_the_reason() -> None:
    at = export_page(MODELS_ONLY)
    assert not at.error
    at.radio(key="export.layout").set_value("ai-model-server").run()
    assert "Export is blocked" in texts(at.error)
    assert "needs a model server" in texts(at.markdown)
    assert not at.download_button
    # One click back to the layout this catalog can use.
    at.button(key="export.use_classic").click().run()
    assert at.radio(key="export.layout").value == "classic"
    assert "catalog is valid" in texts(at.success)


def test_api_definition_mode_url_writes_the_url_string() -> None:
    at = export_page(SERVER_CATALOG)
    ref = list(yaml.safe_load_all(at.code[0].value))[1]
    assert ref["spec"]["definition"] == {"$text": "https://demo.example.com/openapi.json"}
    at.radio(key="export.api_definition").set_value("url").run()
    api = list(yaml.safe_load_all(at.code[0].value))[1]
    assert api["spec"]["definition"] == "https://demo.example.com/openapi.json"


def test_bundle_tab_lists_files_and_previews_the_chosen_one() -> None:
    at = export_page(SERVER_CATALOG)
    tree = next(c.value for c in at.code if c.value.startswith("techdocs-bundle.zip\n"))
    # The zip's own entries, at its top level as they unpack (no folder around them).
    zipped = build_export(SERVER_CATALOG, ConvertOptions()).bundle_bytes
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        assert tree == bundle_tree(archive.namelist())
    assert "├── catalog-info.yaml" in tree.splitlines()
    assert "├── granite-8b/" in tree.splitlines()
    picker = at.selectbox(key="export.bundle_file")
    assert picker.value == "docs/index.md"
    picker.set_value("granite-8b/docs/usage.md").run()
    assert any("Use it for code completion." in c.value for c in at.code)


def test_catalog_preview_switches_between_json_and_yaml() -> None:
    at = export_page(SERVER_CATALOG)
    shown = [c for c in at.code if c.language == "json"]
    assert json.loads(shown[0].value)["modelServer"]["name"] == "demo-server"
    at.segmented_control(key="export.catalog_format").set_value("YAML").run()
    assert not [c for c in at.code if c.language == "json"]
    docs = [c.value for c in at.code if "modelServer:" in c.value]
    assert yaml.safe_load(docs[0])["models"][1]["name"] == "mistral-7b"


# --- the files themselves (no page needed) -------------------------------------------


def test_build_export_files_round_trip() -> None:
    files = build_export(SERVER_CATALOG, ConvertOptions())
    assert files.ok
    assert json.loads(files.catalog_json) == SERVER_CATALOG
    assert yaml.safe_load(files.catalog_yaml) == SERVER_CATALOG
    with zipfile.ZipFile(io.BytesIO(files.bundle_bytes)) as archive:
        names = set(archive.namelist())
        assert {"catalog-info.yaml", "mkdocs.yml", "docs/index.md"} <= names
        assert "granite-8b/docs/license.md" in names
        assert archive.read("docs/usage.md").decode() == files.bundle["docs/usage.md"]


def test_build_export_refuses_a_broken_catalog() -> None:
    files = build_export(BROKEN, ConvertOptions())
    assert not files.ok
    assert files.catalog_info == ""
    assert files.bundle_bytes == b""
    assert {i.path for i in files.report.errors} >= {"models.0.name"}


@pytest.mark.parametrize(
    ("document", "stem"),
    [
        (SERVER_CATALOG, "demo-server"),
        (MODELS_ONLY, "granite-8b"),
        ({"models": [{"name": "a b/../c"}]}, "ab-..-c"),
        ({"models": []}, "model"),
    ],
)
def test_file_stem(document: dict[str, Any], stem: str) -> None:
    assert file_stem(document) == stem


def test_bundle_tree_shows_the_zip_as_it_unpacks() -> None:
    # The names as the zip lists them: sorted paths, no folder around them.
    tree = bundle_tree(["catalog-info.yaml", "docs/index.md", "m/docs/index.md", "m/mkdocs.yml"])
    assert tree.splitlines() == [
        "techdocs-bundle.zip",
        "├── catalog-info.yaml",
        "├── docs/",
        "│   └── index.md",
        "└── m/",
        "    ├── docs/",
        "    │   └── index.md",
        "    └── mkdocs.yml",
    ]
