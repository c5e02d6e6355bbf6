"""The Import page in AppTest: preview first, then replace or add, undo; bad input refused."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from catalog.errors import InputError
from catalog.session import EditingSession
from ui import state
from ui.import_view import (
    CATALOG_INFO,
    MAX_UPLOAD_BYTES,
    MODEL_CARD,
    MODEL_CATALOG,
    detect_source,
    read_import,
)

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = ROOT / "tests" / "data" / "import"

CURRENT: dict[str, Any] = {
    "modelServer": {
        "name": "current-server",
        "owner": "group:ai-platform",
        "lifecycle": "production",
        "description": "The server being edited.",
    },
    "models": [
        {
            "name": "granite-8b",
            "owner": "group:ai-platform",
            "lifecycle": "production",
            "description": "Already in the catalog.",
        }
    ],
}


def import_page(document: dict[str, Any] | None = None) -> AppTest:
    """The app on its Import page, with ``document`` as the catalog being edited."""
    at = AppTest.from_file(APP, default_timeout=30)
    if document is not None:
        editing = EditingSession()
        editing.document = copy.deepcopy(document)  # typed in, not saved yet
        at.session_state[state.SESSION_KEY] = editing
    at.switch_page("pages/importer.py").run()
    assert not at.exception
    return at


def upload(at: AppTest, name: str, data: bytes | None = None) -> AppTest:
    content = (DATA / name).read_bytes() if data is None else data
    at.file_uploader[0].set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception
    return at


def texts(elements: Any) -> str:
    """What the elements show, with markdown escapes removed."""
    return "\n".join(str(e.value) for e in elements).replace("\\", "")


def button(at: AppTest, key: str) -> Any:
    return next(b for b in at.button if b.key == key)


def document(at: AppTest) -> dict[str, Any]:
    doc: dict[str, Any] = at.session_state[state.SESSION_KEY].document
    return doc


def test_empty_page_explains_what_to_do() -> None:
    at = import_page()
    assert [t.value for t in at.title] == ["Import a catalog"]
    assert "stays as it is until you accept" in texts(at.info)
    assert not [b for b in at.button if b.key in ("import.replace", "import.add")]
    assert len(at.file_uploader) == 1
    assert at.text_area(key="import.text").value == ""


def test_catalog_info_preview_then_replace_then_undo() -> None:
    at = upload(import_page(CURRENT), "catalog-info.yaml")
    page = texts(at.markdown)
    assert "a Backstage catalog-info.yaml (detected automatically)" in page
    assert "Nothing has changed yet" in page
    # What was left out is listed before anything changes, and the catalog is untouched.
    assert "Dashboard" in page and "spec.profile" in page
    assert [e.label for e in at.expander if e.label.startswith("Left out")] == ["Left out (3)"]
    assert document(at) == CURRENT
    assert "It is a valid model catalog" in texts(at.success)
    # A catalog is open: the least destructive choice, a new catalog, is the primary one.
    assert button(at, "import.new").proto.type == "primary"
    assert button(at, "import.replace").proto.type == "secondary"
    button(at, "import.replace").click().run()
    assert not at.exception
    doc = document(at)
    assert doc["modelServer"]["name"] == "team-model-service"
    assert doc["modelServer"]["API"]["url"] == "https://team-models.example.com/v1"
    assert [m["name"] for m in doc["models"]] == ["llama-3-8b-instruct"]
    assert "Replaced the catalog with the model server" in texts(at.success)
    assert "Open it on the Author page" in [link.label for link in at.get("page_link")]
    # The inputs are cleared, so the same file is not offered again by mistake.
    assert at.file_uploader[0].value is None
    button(at, "import.undo").click().run()
    assert document(at) == CURRENT
    assert "import was undone" in texts(at.info)


def test_import_as_a_new_catalog_leaves_the_open_one_and_undo_returns_to_it() -> None:
    at = upload(import_page(CURRENT), "catalog-info.yaml")
    before = at.session_state[state.SESSION_KEY].binding
    button(at, "import.new").click().run()
    assert not at.exception
    assert document(at)["modelServer"]["name"] == "team-model-service"
    assert at.session_state[state.SESSION_KEY].binding is not before
    assert "as a new catalog" in texts(at.success)
    button(at, "import.undo").click().run()
    assert document(at) == CURRENT
    assert at.session_state[state.SESSION_KEY].binding is before


def test_add_keeps_the_current_server_and_renames_a_taken_name() -> None:
    at = upload(import_page(CURRENT), "model-catalog.json")
    caption = texts(at.caption)
    assert "Your current model server 'current-server' is kept" in caption
    button(at, "import.add").click().run()
    assert not at.exception
    doc = document(at)
    assert doc["modelServer"]["name"] == "current-server"
    assert [m["name"] for m in doc["models"]] == ["granite-8b", "granite-8b-2"]
    done = texts(at.success)
    assert "Renamed 'granite-8b' to 'granite-8b-2'" in done
    assert "imported model server was not added" in done


def test_model_card_gets_the_owner_given_on_the_page() -> None:
    at = upload(import_page(), "README.md")
    assert "a Hugging Face model card" in texts(at.markdown)
    assert "owner: a model card names no Backstage owner" in texts(at.markdown)
    # The current catalog is empty: only Replace makes sense.
    assert button(at, "import.add").disabled
    at.text_input(key="import.card_owner").set_value("group:ml-platform").run()
    at.text_input(key="import.card_repo").set_value("example-org/tiny-coder-1b").run()
    button(at, "import.replace").click().run()
    (model,) = document(at)["models"]
    assert model["name"] == "example-org-tiny-coder-1b"  # the repo id given names it first
    assert model["owner"] == "group:ml-platform"
    assert model["artifactLocationURL"] == "https://huggingface.co/example-org/tiny-coder-1b"
    assert model["license"] == "Apache-2.0"
    assert "usage" in model and "training" in model and "ethics" in model


def test_pasted_yaml_model_catalog() -> None:
    at = import_page()
    at.text_area(key="import.text").set_value((DATA / "model-catalog.yaml").read_text()).run()
    assert "From **pasted text**, read as a model catalog" in texts(at.markdown)
    assert at.dataframe[0].value["Name"].tolist() == ["whisper-small", "granite-8b"]
    button(at, "import.replace").click().run()
    assert [m["name"] for m in document(at)["models"]] == ["whisper-small", "granite-8b"]
    assert at.text_area(key="import.text").value == ""


def test_a_catalog_with_errors_can_be_imported_and_says_what_to_fix() -> None:
    broken = '{"models": [{"name": "org/model", "owner": "me", "lifecycle": "production"}]}'
    at = import_page()
    at.text_area(key="import.text").set_value(broken).run()
    assert "must be fixed before export" in texts(at.warning)
    assert "Validation: " in " ".join(e.label for e in at.expander)
    button(at, "import.replace").click().run()
    assert document(at)["models"][0]["name"] == "org/model"
    assert "to fix on the Author page" in texts(at.success)


def test_choosing_the_wrong_source_says_what_the_file_looks_like() -> None:
    at = import_page(CURRENT)
    at.radio(key="import.source").set_value(CATALOG_INFO).run()
    upload(at, "model-catalog.json")
    (error,) = at.error
    assert "This looks like a model catalog" in error.value
    assert document(at) == CURRENT


BAD_INPUTS = [
    ("too-big.yaml", b"models: []\n" + b"#" * MAX_UPLOAD_BYTES, "larger than the import limit"),
    ("not-a-catalog.json", None, "this is not a model catalog"),
    ("broken.yaml", None, "line 4, column 15: invalid YAML"),
    ("yaml-bomb.yaml", None, "anchors and aliases"),
    ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary file"),
    ("latin1.yaml", "models: []\nname: caf\u00e9\n".encode("latin-1"), "not UTF-8 text"),
    ("empty.json", b"   \n", "empty"),
    (
        "duplicate-key.yaml",
        b"models:\n  - name: a\n    owner: me\n    name: b\n",
        'line 4, column 5: the key "name" appears twice in the same mapping (first on line 2)',
    ),
    (
        "duplicate-key.json",
        b'{"models": [{"name": "a",\n  "name": "b"}]}',
        'line 2, column 3: the key "name" appears twice in the same object (first on line 1)',
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_gets_one_clear_message_and_the_catalog_is_untouched(
    name: str, data: bytes | None, message: str
) -> None:
    at = upload(import_page(CURRENT), name, data)
    (error,) = at.error
    assert message in texts([error])
    assert not [b for b in at.button if b.key in ("import.replace", "import.add")]
    assert document(at) == CURRENT
    assert at.session_state[state.SESSION_KEY].version == 0  # nothing changed


# --- reading without the page ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("catalog-info.yaml", CATALOG_INFO),
        ("README.md", MODEL_CARD),
        ("model-catalog.json", MODEL_CATALOG),
        ("model-catalog.yaml", MODEL_CATALOG),
        ("not-a-catalog.json", None),
        ("broken.yaml", None),
    ],
)
def test_detect_source(name: str, source: str | None) -> None:
    assert detect_source((DATA / name).read_text(), name) == source


def test_a_pasted_model_card_is_detected_by_its_front_matter() -> None:
    text = (DATA / "README.md").read_text()
    assert detect_source(text) == MODEL_CARD
    candidate = read_import(text, "pasted text")
    assert candidate.source == MODEL_CARD
    assert candidate.models[0]["name"] == "Tiny-Coder-1B"


def test_a_model_catalog_without_models_or_server_is_refused() -> None:
    with pytest.raises(InputError, match="not a model catalog"):
        read_import('{"name": "x"}', "x.json", MODEL_CATALOG)


# --- a file with several model servers ---------------------------------------------------

TWO_SERVERS = DATA / "reverse" / "two-servers.yaml"


def test_two_servers_the_user_chooses_which_one_and_gets_only_its_models() -> None:
    at = upload(import_page(CURRENT), "two-servers.yaml", TWO_SERVERS.read_bytes())
    choice = at.radio(key="import.server")
    assert "holds 2 model servers" in choice.label
    assert choice.options == ["server-a (1 model)", "server-b (2 models)"]
    assert choice.value == "server-a"
    summary = at.dataframe[0].value
    assert list(summary["Name"]) == ["server-a", "model-a1"]
    assert document(at) == CURRENT  # nothing changes by choosing
    choice.set_value("server-b").run()
    assert not at.exception
    summary = at.dataframe[0].value
    assert list(summary["Name"]) == ["server-b", "model-b1", "model-b2"]
    button(at, "import.replace").click().run()
    assert not at.exception
    doc = document(at)
    assert doc["modelServer"]["name"] == "server-b"
    assert [m["name"] for m in doc["models"]] == ["model-b1", "model-b2"]


def test_read_import_takes_the_server_to_read() -> None:
    data = TWO_SERVERS.read_bytes()
    first = read_import(data, "two-servers.yaml")
    assert first.servers == {"server-a": 1, "server-b": 2}
    assert first.server is not None and first.server["name"] == "server-a"
    second = read_import(data, "two-servers.yaml", server="server-b")
    assert second.server is not None and second.server["name"] == "server-b"
    assert [m["name"] for m in second.models] == ["model-b1", "model-b2"]
    assert any("this file holds 2 catalogs" in w for w in second.warnings)


def test_a_file_with_one_server_offers_no_choice() -> None:
    at = upload(import_page(CURRENT), "catalog-info.yaml")
    assert not [r for r in at.radio if r.key == "import.server"]


@pytest.mark.parametrize("name", ["backstage-api.json", "json-documents.yaml"])
def test_backstage_api_output_and_json_document_streams_are_detected(name: str) -> None:
    data = (DATA / "reverse" / name).read_bytes()
    assert detect_source(data.decode("utf-8"), name) == CATALOG_INFO
    at = upload(import_page(), name, data)
    assert "a Backstage catalog-info.yaml (detected automatically)" in texts(at.markdown)
    assert not at.error
