"""ui.state on a plain dict standing in for st.session_state; and the text helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog.issues import Fix
from catalog.validate import validate
from ui import examples, state
from ui.report import IssueIndex, entities_yaml
from ui.text import escape_markdown, humanize
from ui.widgets import rows_to_mapping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    fake: dict[str, Any] = {}
    monkeypatch.setattr(state, "_state", lambda: fake)
    state.init()
    return fake


def example(stem: str = "developer-model-service") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / f"{stem}.json").read_text("utf-8"))
    return data


def names() -> list[str]:
    return [m["name"] for m in state.document()["models"]]


def test_starts_empty_and_counts_revisions(session: dict[str, Any]) -> None:
    assert state.document() == {"models": []}
    before = state.revision()
    state.set("modelServer.name", "srv")
    assert state.document() == {"models": [], "modelServer": {"name": "srv"}}
    assert state.get("modelServer.name") == "srv"
    assert state.revision() == before + 1


def test_set_none_removes_the_field(session: dict[str, Any]) -> None:
    state.replace(example())
    state.set("modelServer.homepageURL", None)
    assert "homepageURL" not in state.document()["modelServer"]
    state.set("modelServer.nothing.deeper", None)  # removing what is absent is a no-op
    assert "nothing" not in state.document()["modelServer"]


def test_writers_drop_stale_widget_values_but_a_widget_keeps_its_own(
    session: dict[str, Any],
) -> None:
    state.replace(example())
    session["modelServer.name"] = "typed"
    session["models.0.name"] = "kept"
    state.set("modelServer.name", "from-elsewhere")
    assert "modelServer.name" not in session  # the form will read the new value
    assert session["models.0.name"] == "kept"
    session["modelServer.owner"] = "typing..."
    state.set("modelServer.owner", "typing...", from_widget=True)
    assert session["modelServer.owner"] == "typing..."


def test_replace_forgets_widgets_and_form_memory_and_undo_restores(
    session: dict[str, Any],
) -> None:
    state.replace(example())
    session["models.1.name"] = "old widget value"
    session[state.form_key("open", "models.1")] = True
    session["unrelated"] = 1
    state.replace(example("standalone-models"))
    assert "models.1.name" not in session
    assert state.form_key("open", "models.1") not in session
    assert session["unrelated"] == 1
    assert state.undo_label() == "replace the catalog"
    state.undo()
    assert state.document() == example()
    state.undo()
    assert state.document() == {"models": []}
    assert not state.can_undo()
    state.redo()
    assert state.document() == example()


def test_model_list_operations(session: dict[str, Any]) -> None:
    state.replace(example())
    assert state.add_model() == 2
    assert state.document()["models"][2] == {
        "name": "new-model",
        "owner": "group:ai-platform",
        "lifecycle": "production",
        "description": "",
    }
    assert state.new_model()["name"] == "new-model-2"
    assert state.duplicate_model(0) == 1
    assert names()[:2] == ["granite-3.1-8b-instruct", "granite-3.1-8b-instruct-copy"]
    assert state.move_model(0, 1) == 1
    assert state.move_model(3, 5) == 3  # clamped at the end
    state.remove_model(1)
    assert names() == ["granite-3.1-8b-instruct-copy", "mistral-7b-instruct-v0.3", "new-model"]
    assert state.undo_label() == "remove model 2 (granite-3.1-8b-instruct)"
    state.undo()
    assert len(names()) == 4
    assert state.undo_label() == "move model 1 down"  # the clamped move was no step


def test_fixes_apply_one_by_one_or_all_at_once(session: dict[str, Any]) -> None:
    doc = example()
    doc["models"][0]["name"] = "ibm-granite/granite 3.1"
    doc["models"][1]["name"] = "ibm-granite/granite 3.1"
    state.replace(doc)
    state.apply_fix(Fix("set", "models.0.name", "Rename", "granite-a"))
    assert names()[0] == "granite-a"
    state.apply_fixes(validate(state.document()).issues)
    assert validate(state.document()).ok


def test_every_writer_bumps_the_revision_once(session: dict[str, Any]) -> None:
    seen = [state.revision()]
    state.set("modelServer.name", "a")
    seen.append(state.revision())
    state.add_model()
    seen.append(state.revision())
    state.undo()
    seen.append(state.revision())
    assert seen == [seen[0], seen[0] + 1, seen[0] + 2, seen[0] + 3]


def test_issue_index_counts_under_every_prefix() -> None:
    doc = example()
    doc["models"][1]["name"] = "bad name/!"
    doc["models"][1]["tags"] = ["ok", "Not OK!"]
    index = IssueIndex.build(validate(doc).issues)
    errors, warnings = index.count("models.1")
    assert errors >= 1 and warnings >= 1
    assert index.count("models.0") == (0, 0)
    assert index.at("models.1.name")
    assert all(i.path.startswith("models.1.tags") for i in index.at("models.1.tags"))


def test_entity_yaml_memo_writes_what_the_emitter_writes() -> None:
    from catalog.emit import to_yaml

    for ex in examples.examples():
        entities = validate(ex.document).entities
        assert entities is not None
        assert entities_yaml(entities) == to_yaml(entities)


def test_shipped_examples_are_valid_without_a_single_warning() -> None:
    shipped = examples.examples()
    assert len(shipped) >= 2
    for ex in shipped:
        report = validate(ex.document)
        assert report.issues == [], (ex.stem, [str(i) for i in report.issues])
    titles = {ex.stem: (ex.title, ex.summary) for ex in shipped}
    assert titles["developer-model-service"] == (
        "developer-model-service",
        "openapi server with 2 models",
    )
    assert titles["standalone-models"] == ("Standalone models", "2 models, no server")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        (":red[boom] **bold**", r"\:red\[boom\] \*\*bold\*\*"),
        ("line one\nline two", "line one  \nline two"),
        ("plain words", "plain words"),
    ],
)
def test_escape_markdown(text: str, shown: str) -> None:
    assert escape_markdown(text) == shown


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("artifactLocationURL", "Artifact location URL"),
        ("howToUseURL", "How to use URL"),
        ("homepageURL", "Homepage URL"),
        ("API", "API"),
        ("modelServer", "Model server"),
        ("name", "Name"),
    ],
)
def test_humanize(name: str, label: str) -> None:
    assert humanize(name) == label


def test_annotation_rows_keep_the_last_duplicate_and_say_so() -> None:
    mapping, notes = rows_to_mapping([("a", "1"), ("", ""), ("a", "2"), ("", "orphan")])
    assert mapping == {"a": "2"}
    assert notes == [
        "Key 'a' appears twice: only the last value is kept.",
        "A row without a key is not saved: give it a key.",
    ]


def test_a_fragment_around_the_editor_is_stale_once_what_it_shows_changes(
    session: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule the Author page's fragments follow (Undo's label, the summary, the
    sidebar's status): redrawn with an edit only when what they show changed; one asked
    for is not counted again until it draws, and counted again if it never does (its
    rerun cut short by the next interaction)."""
    monkeypatch.setattr(state, "_SHOWS", {})
    state.redraws_when("undo-label", state.undo_label)
    assert state.stale_views() == []  # never drawn: nothing to redraw
    state.drew("undo-label")
    state.replace(example(), "load example")
    assert state.stale_views() == ["undo-label"]
    # An editor callback asks for it: the end of the editor's run does not count it...
    session[state._PENDING_KEY] = ("undo-label",)
    assert state.stale_views(counting_pending=False) == []
    # ...and the next change does, if the rerun never drew it.
    state.set("modelServer.description", "Changed.")
    assert state.stale_views() == ["undo-label"]
    state.drew("undo-label")
    assert state.stale_views() == []
    assert state.stale_views(counting_pending=False) == []
    state.set("modelServer.description", "Changed again.")  # the same label: not stale
    assert state.stale_views() == []
