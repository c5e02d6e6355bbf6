"""The Author page in AppTest: filling the form by widget keys, live issues, fixes, models.

Each test drives the page as a person would (type into a field, click a button) and
checks what that person would see: widget values, issue lines under fields, the
summary, the YAML preview; and that the page raised nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.catalogs import with_models
from ui import state
from ui.preview import EMPTY_YAML
from ui.sections import PAGE_SIZE

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
XSS = "<img src=x onerror=alert(1)>"


def start() -> AppTest:
    """The app after its first run, on the Author page."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def document(at: AppTest) -> dict[str, Any]:
    doc: dict[str, Any] = at.session_state[state.SESSION_KEY].document
    return doc


def put(at: AppTest, doc: dict[str, Any]) -> None:
    """Put ``doc`` in the editor as if it came from elsewhere (no widget, no history)."""
    editing = at.session_state[state.SESSION_KEY]
    editing.document = doc
    editing.version += 1


def load_example(at: AppTest, stem: str = "developer-model-service") -> AppTest:
    """Click the example in the "Load example" menu."""
    at.button(key=f"_example:{stem}").click()
    return run(at)


def show(at: AppTest, section: str) -> AppTest:
    """Click the section switcher: ``modelServer`` or ``models``."""
    at.button(key=f"_author.show:{section}").click()
    return run(at)


def open_model(at: AppTest, index: int) -> AppTest:
    """Open model ``index``'s expander (AppTest cannot click an expander's title)."""
    at.session_state[state.form_key("open", f"models.{index}")] = True
    return run(at)


def open_table(at: AppTest, path: str) -> AppTest:
    """Open the expander of the key-value table at ``path`` (drawn only while open)."""
    at.session_state[state.form_key("open", path)] = True
    return run(at)


def preview(at: AppTest) -> list[dict[str, Any]]:
    """The entities in the YAML preview (the page's one code block)."""
    assert len(at.code) == 1, "the preview shows no YAML"
    return [e for e in yaml.safe_load_all(at.code[0].value) if e]


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def issue_lines(at: AppTest, color: str = "red") -> list[str]:
    """Markdown lines styled as issues of one colour (red errors, orange warnings)."""
    return [t for t in texts(at) if t.startswith(f":{color}[:material/")]


def test_first_visit_greets_with_examples_and_no_errors() -> None:
    at = start()
    welcome = [b.key for b in at.button if b.key and b.key.startswith("_welcome:")]
    assert welcome == [
        "_welcome:developer-model-service",
        "_welcome:standalone-models",
        "_welcome:triton-grpc-server",
    ]
    assert issue_lines(at) == []
    # The preview holds no YAML yet, and says when it will.
    assert [c.value for c in at.code] == [EMPTY_YAML]
    assert any("appears here" in c.value for c in at.caption)


def test_loading_an_example_fills_the_form_and_the_preview() -> None:
    at = load_example(start())
    assert at.text_input(key="modelServer.name").value == "developer-model-service"
    assert at.selectbox(key="modelServer.lifecycle").value == "production"
    assert at.toggle(key="modelServer.authentication").value is True
    assert at.multiselect(key="modelServer.tags").value == ["vllm", "llm", "code-assistant"]
    # The server's API is an entity of its own, with a tab of its own.
    assert "modelServer.API.type" not in [s.key for s in at.selectbox]
    at = show(at, "modelServer.API")
    assert at.selectbox(key="modelServer.API.type").value == "openapi"
    kinds = [(e["kind"], e["metadata"]["name"]) for e in preview(at)]
    assert kinds == [
        ("Component", "developer-model-service"),
        ("API", "developer-model-service"),
        ("Resource", "granite-3.1-8b-instruct"),
        ("Resource", "mistral-7b-instruct-v0.3"),
    ]
    assert any("Ready for Backstage" in t for t in texts(at))


def test_fill_a_catalog_from_scratch_through_the_widget_keys() -> None:
    at = start()
    at.toggle(key="modelServer").set_value(True)
    run(at)
    at.text_input(key="modelServer.name").input("my-server")
    at.text_input(key="modelServer.owner").input("group:ml")
    at.selectbox(key="modelServer.lifecycle").set_value("experimental")
    at.text_area(key="modelServer.description").input("Serves one model.")
    run(at)
    show(at, "models")
    at.button(key="_form.add:models").click()
    run(at)
    # The new model opens, named and owned like its server, so only the blanks are left.
    assert at.text_input(key="models.0.name").value == "new-model"
    assert at.text_input(key="models.0.owner").value == "group:ml"
    at.text_input(key="models.0.name").input("tiny-llm")
    at.text_area(key="models.0.description").input("A tiny model.")
    at.multiselect(key="models.0.tags").set_value(["llm", "Tiny"])
    run(at)
    assert document(at) == {
        "models": [
            {
                "name": "tiny-llm",
                "owner": "group:ml",
                "lifecycle": "experimental",
                "description": "A tiny model.",
                "tags": ["llm", "Tiny"],
            }
        ],
        "modelServer": {
            "name": "my-server",
            "owner": "group:ml",
            "lifecycle": "experimental",
            "description": "Serves one model.",
        },
    }
    component, resource = preview(at)
    assert component["spec"]["dependsOn"] == ["resource:tiny-llm"]
    assert resource["metadata"]["tags"] == ["llm", "tiny"]


def test_an_error_appears_under_its_field_and_its_fix_clears_it() -> None:
    at = open_model(show(load_example(start()), "models"), 0)
    at.text_input(key="models.0.name").input("ibm-granite/granite 3.1")
    run(at)
    expander = at.expander(key=state.form_key("open", "models.0"))
    under_field = [m.value for m in expander.markdown if m.value.startswith(":red[")]
    assert len(under_field) == 1 and "not a valid" in under_field[0]
    assert "Name" in under_field[0]
    assert any("1 error" in t for t in texts(at))  # the summary counts it
    assert "1 error" in expander.label  # and so does the model's title
    assert not at.code  # the preview is blocked, with the reason shown instead
    assert any("Export blocked" in t for t in texts(at))
    assert at.download_button(key="_preview.download").disabled
    fix = [b for b in expander.button if b.key and b.key.startswith("_fix.field:models.0.name")]
    assert len(fix) == 1
    fix[0].click()
    run(at)
    assert at.text_input(key="models.0.name").value == "ibm-granite-granite-3.1"
    assert issue_lines(at) == []
    assert preview(at)[2]["metadata"]["name"] == "ibm-granite-granite-3.1"
    assert not at.download_button(key="_preview.download").disabled


def test_a_warning_looks_different_from_an_error() -> None:
    at = open_model(show(load_example(start()), "models"), 1)
    at.text_input(key="models.1.license").input("my own licence")
    run(at)
    assert issue_lines(at, "red") == []
    warnings = issue_lines(at, "orange")
    assert warnings and all(":material/warning:" in w for w in warnings)
    assert at.code  # warnings do not block the preview


def test_summary_fix_repairs_a_model_whose_expander_is_closed() -> None:
    at = show(load_example(start()), "models")
    doc = json.loads(json.dumps(document(at)))
    doc["models"][1]["name"] = "mistral 7b/instruct"
    put(at, doc)
    run(at)
    fixes = [b for b in at.button if b.key and b.key.startswith("_fix.summary:models.1.name")]
    assert len(fixes) == 1
    fixes[0].click()
    run(at)
    assert document(at)["models"][1]["name"] == "mistral-7b-instruct"
    assert issue_lines(at) == []


def test_blank_optional_field_leaves_the_document() -> None:
    at = load_example(start())
    at.text_input(key="modelServer.homepageURL").input("")
    run(at)
    assert "homepageURL" not in document(at)["modelServer"]
    assert issue_lines(at, "orange") == []  # no "empty optional" noise
    at.text_input(key="modelServer.name").input("")
    run(at)
    assert document(at)["modelServer"]["name"] == ""  # a required field stays, blank
    assert issue_lines(at, "red")


def test_models_can_be_added_duplicated_moved_and_removed() -> None:
    at = show(load_example(start()), "models")

    def names() -> list[str]:
        return [m["name"] for m in document(at)["models"]]

    at.button(key="_form.add:models").click()
    run(at)
    assert names() == ["granite-3.1-8b-instruct", "mistral-7b-instruct-v0.3", "new-model"]
    assert at.text_input(key="models.2.name").value == "new-model"  # opened, to fill in
    open_model(at, 0)
    at.button(key="_form.duplicate:models.0").click()
    run(at)
    # The copy gets a name of its own, so it is no blocking duplicate.
    assert names()[:2] == ["granite-3.1-8b-instruct", "granite-3.1-8b-instruct-copy"]
    assert at.text_input(key="models.1.name").value == "granite-3.1-8b-instruct-copy"
    assert not any("already" in t or "duplicate" in t.lower() for t in issue_lines(at))
    at.button(key="_form.down:models.1").click()  # the copy is open; move it down
    run(at)
    assert names()[2] == "granite-3.1-8b-instruct-copy"
    at.button(key="_form.remove:models.2").click()  # it stays open where it went
    run(at)
    assert names() == ["granite-3.1-8b-instruct", "mistral-7b-instruct-v0.3", "new-model"]
    open_model(at, 2)
    at.button(key="_form.up:models.2").click()
    run(at)
    assert names() == ["granite-3.1-8b-instruct", "new-model", "mistral-7b-instruct-v0.3"]
    # Widgets follow the document, not their old positions.
    assert at.text_input(key="models.1.name").value == "new-model"
    at.button(key="_form.remove:models.1").click()
    run(at)
    assert names() == ["granite-3.1-8b-instruct", "mistral-7b-instruct-v0.3"]
    assert at.button(key="_toolbar.undo").label == "Undo: remove model 2 (new-model)"
    at.button(key="_toolbar.undo").click()
    run(at)
    assert names() == ["granite-3.1-8b-instruct", "new-model", "mistral-7b-instruct-v0.3"]
    assert at.button(key="_toolbar.undo").label == "Undo: move model 3 up"


def test_server_section_switches_off_for_a_models_only_catalog_and_back() -> None:
    at = load_example(start())
    at.toggle(key="modelServer").set_value(False)
    run(at)
    assert "modelServer" not in document(at)
    assert [e["kind"] for e in preview(at)] == ["Resource", "Resource"]
    at.toggle(key="modelServer").set_value(True)
    run(at)
    # What was typed comes back with the switch.
    assert at.text_input(key="modelServer.name").value == "developer-model-service"
    assert [e["kind"] for e in preview(at)][:2] == ["Component", "API"]


def test_api_section_switches_off_and_keeps_what_was_typed() -> None:
    at = show(load_example(start()), "modelServer.API")
    at.toggle(key="modelServer.API").set_value(False)
    run(at)
    assert [e["kind"] for e in preview(at)] == ["Component", "Resource", "Resource"]
    at.toggle(key="modelServer.API").set_value(True)
    run(at)
    assert at.selectbox(key="modelServer.API.type").value == "openapi"
    assert [e["kind"] for e in preview(at)][1] == "API"


def test_annotations_are_a_closed_table_whose_title_counts_them() -> None:
    at = load_example(start())
    # The server's (one entry), closed: no table is drawn.
    assert [e.label for e in at.expander] == ["Annotations (1 entry)"]
    assert not at.get("dataframe")
    at = open_model(show(at, "models"), 1)
    document(at)["models"][1]["annotations"] = {"a.io/x": "1", "a.io/y": "2"}
    put(at, document(at))
    run(at)
    assert "Annotations (2 entries)" in [e.label for e in at.expander]
    at = open_table(at, "models.1.annotations")
    [table] = at.get("dataframe")
    assert list(table.value["key"]) == ["a.io/x", "a.io/y"]


def test_annotations_table_edits_reach_the_document() -> None:
    at = open_model(show(load_example(start()), "models"), 1)
    at = open_table(at, "models.1.annotations")
    at.session_state["models.1.annotations"] = {
        "edited_rows": {},
        "added_rows": [{"key": "example.com/team", "value": "platform"}],
        "deleted_rows": [],
    }
    run(at)
    assert document(at)["models"][1]["annotations"] == {"example.com/team": "platform"}
    annotations = preview(at)[3]["metadata"]["annotations"]
    assert annotations == {"example.com/team": "platform"}


def test_switching_pages_keeps_what_was_typed() -> None:
    at = load_example(start())
    at.text_input(key="modelServer.owner").input("group:typed-here")
    run(at)
    others = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name != "author.py")
    for name in others:
        run(at.switch_page(f"pages/{name}"))
        assert document(at)["modelServer"]["owner"] == "group:typed-here"
    run(at.switch_page("pages/author.py"))
    assert at.text_input(key="modelServer.owner").value == "group:typed-here"


def test_the_preview_uses_the_export_layout_and_its_issues_show_while_authoring() -> None:
    at = open_table(load_example(start()), "modelServer.annotations")
    at.session_state["modelServer.annotations"] = {
        "edited_rows": {},
        "added_rows": [{"key": "rhdh.io/system", "value": "Vision Line"}],
        "deleted_rows": [],
    }
    run(at)
    assert document(at)["modelServer"]["annotations"]["rhdh.io/system"] == "Vision Line"
    # Classic: the annotation is kept as it is, nothing to report.
    assert [e["kind"] for e in preview(at)][:2] == ["Component", "API"]
    assert not [t for t in issue_lines(at) if "rhdh.io/system" in t]
    assert not at.get("radio")  # the options are drawn only once their menu is open
    at.session_state["_preview.options"] = True
    run(at)
    at.radio(key="export.layout").set_value("ai-model-server")
    run(at)
    labels = [p.proto.popover.label for p in at.get("popover")]
    assert "ai-model-server layout" in labels
    errors = [t for t in issue_lines(at) if "Annotations" in t and "system reference" in t]
    assert errors, issue_lines(at)
    assert not at.code or "ai-model-server" in at.code[0].value
    # One click fixes it; the preview is then the single ai-model-server entity.
    fix = [b for b in at.button if b.key and "invalid-system" in b.key]
    fix[0].click()
    run(at)
    (entity,) = preview(at)
    assert entity["spec"]["type"] == "ai-model-server"
    assert entity["spec"]["system"] == "Vision-Line"
    # The Export page writes what the preview showed, with the same choice.
    run(at.switch_page("pages/export.py"))
    assert at.radio(key="export.layout").value == "ai-model-server"
    run(at.switch_page("pages/author.py"))
    labels = [p.proto.popover.label for p in at.get("popover")]
    assert "ai-model-server layout" in labels


def test_loading_another_example_updates_every_widget_and_undo_brings_it_back() -> None:
    at = load_example(start())
    at.text_input(key="modelServer.name").input("changed-by-me")
    run(at)
    load_example(at, "triton-grpc-server")
    # A catalog with changes is open: the app asks before anything changes.
    assert at.text_input(key="modelServer.name").value == "changed-by-me"
    at.button(key="_toolbar.choice.new").click()
    run(at)
    assert at.text_input(key="modelServer.name").value == "vision-inference"
    assert show(at, "modelServer.API").selectbox(key="modelServer.API.type").value == "grpc"
    at.button(key="_toolbar.undo").click()
    run(at)
    assert at.text_input(key="modelServer.name").value == "changed-by-me"


def test_markup_in_user_text_is_shown_as_text() -> None:
    at = open_model(show(load_example(start()), "models"), 0)
    at.text_input(key="models.0.name").input(XSS)
    at.text_area(key="models.0.description").input(XSS)
    run(at)
    labels = [e.label for e in at.expander]
    shown = texts(at) + labels
    # Wherever the name shows up in markdown it is escaped, never live markup.
    assert any("img" in t for t in shown)
    assert not [t for t in shown if re.search(r"(?<!\\)<img", t)]
    at.button(key=next(b.key for b in at.button if b.key.startswith("_fix.field:"))).click()
    run(at)
    assert XSS in at.code[0].value  # the YAML shows the description as it is


def test_one_hundred_models_draw_one_page_of_titles_and_one_open_form() -> None:
    at = show(load_example(start()), "models")
    put(at, with_models(100))
    at.session_state[state.form_key("open", "models.3")] = True
    run(at)
    titles = [e.label for e in at.expander if not e.label.startswith("Annotations")]
    assert len(titles) == PAGE_SIZE
    assert {t.key for t in at.text_input if t.key.startswith("models.")} == {
        f"models.3.{name}" for name in ("name", "owner", "artifactLocationURL", "license",
                                        "howToUseURL")
    }  # fmt: skip
    at.text_input(key=state.form_key("filter", "models")).input("model-09")
    run(at)
    titles = [e.label for e in at.expander if not e.label.startswith("Annotations")]
    assert titles == [f"model\\-09{n}" for n in range(10)]


@pytest.mark.parametrize(
    "broken",
    [
        {"models": "not a list"},
        {"modelServer": "not an object", "models": [1, "two", None]},
        {
            "modelServer": {"name": 5, "API": {"type": "openai", "spec": 3}, "tags": "x"},
            "models": [{"name": ["a"], "tags": [1, None], "annotations": ["k", "v"]}],
            "unknown": True,
        },
    ],
)
def test_a_broken_document_is_shown_and_reported_never_crashes(broken: dict[str, Any]) -> None:
    at = start()
    put(at, broken)
    for section in ("modelServer", "models"):
        show(at, section)
        if isinstance(broken.get("models"), list) and broken["models"]:
            open_model(at, 0)
        assert issue_lines(at), "the problems are shown"


def test_the_servers_api_has_a_tab_of_its_own_with_its_own_issue_count() -> None:
    at = start()
    api_tab = at.button(key="_author.show:modelServer.API")
    assert api_tab.disabled  # no server yet: nothing for an API to belong to
    at = show(load_example(at), "modelServer.API")
    assert not at.button(key="_author.show:modelServer.API").disabled
    at.text_area(key="modelServer.API.spec").input("")
    run(at)
    labels = {b.key: b.label for b in at.button if b.key.startswith("_author.show:")}
    assert "1 error" in labels["_author.show:modelServer.API"]
    assert "error" not in labels["_author.show:modelServer"]  # counted on the API's tab
    # The server's own form no longer holds the API's fields.
    at = show(at, "modelServer")
    assert "modelServer.API.spec" not in [t.key for t in at.text_area]
