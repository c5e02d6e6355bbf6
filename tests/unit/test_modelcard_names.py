"""Model cards as they are today: wrong model-index names, family headings, license links,
callouts at the top of the description (issue 13).  Each fact is kept or reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalog.modelcard import ImportResult, import_model_card
from catalog.validate import validate

CARDS = Path(__file__).resolve().parents[1] / "data" / "model-cards"


def card(name: str, **kwargs: Any) -> ImportResult:
    return import_model_card((CARDS / name).read_bytes(), filename="README.md", **kwargs)


def model(result: ImportResult) -> dict[str, Any]:
    [only] = result.document["models"]
    assert isinstance(only, dict)
    return only


def test_the_repo_id_beats_a_wrong_model_index_name_and_the_disagreement_is_said() -> None:
    result = card("granite-wrong-index.md", repo_id="ibm-granite/granite-3.0-8b-instruct")
    assert model(result)["name"] == "ibm-granite-granite-3.0-8b-instruct"
    assert ("name", "repo id 'ibm-granite/granite-3.0-8b-instruct', made a valid name "
            "('ibm-granite-granite-3.0-8b-instruct')") in result.imported  # fmt: skip
    [warning] = [w for w in result.warnings if w.startswith("name:")]
    assert "model-index name 'granite-3.0-2b-instruct'" in warning
    assert "title heading 'Granite-3.0-8B-Instruct'" in warning


def test_without_a_repo_id_a_lone_front_matter_name_comes_next_with_a_warning() -> None:
    result = card("granite-wrong-index.md")
    assert model(result)["name"] == "granite-3.0-2b-instruct"
    assert any("title heading 'Granite-3.0-8B-Instruct'" in w for w in result.warnings)


def test_front_matter_names_that_disagree_give_way_to_the_heading() -> None:
    text = (CARDS / "granite-wrong-index.md").read_text("utf-8")
    text = text.replace("license: apache-2.0\n", "license: apache-2.0\nmodel_name: granite-8b\n")
    result = import_model_card(text)
    assert model(result)["name"] == "Granite-3.0-8B-Instruct"
    [warning] = [w for w in result.warnings if w.startswith("name:")]
    assert "the front matter's names disagree" in warning


def test_a_family_heading_does_not_beat_the_repo_id() -> None:
    xlam = card("xlam-family.md", repo_id="Salesforce/Llama-xLAM-2-8b-fc-r")
    assert model(xlam)["name"] == "Salesforce-Llama-xLAM-2-8b-fc-r"
    assert any("Welcome to the xLAM-2 Model Family" in w for w in xlam.warnings)
    gemma = card("gemma-note.md", repo_id="google/gemma-3-4b-it")
    assert model(gemma)["name"] == "google-gemma-3-4b-it"


def test_license_link_becomes_the_license_link_and_the_license_id_is_kept() -> None:
    result = card("gemma-note.md")
    found = model(result)
    assert found["license"] == "https://ai.google.dev/gemma/terms"
    assert found["annotations"]["huggingface.co/license"] == "gemma"
    entities = validate(result.document).entities or []
    assert {"title": "License", "url": "https://ai.google.dev/gemma/terms"} in entities[0][
        "metadata"
    ]["links"]


def test_a_license_link_to_a_repo_file_is_linked_with_the_repo_id() -> None:
    result = card("xlam-family.md", repo_id="Salesforce/Llama-xLAM-2-8b-fc-r")
    assert model(result)["license"] == (
        "https://huggingface.co/Salesforce/Llama-xLAM-2-8b-fc-r/blob/main/LICENSE"
    )
    assert model(result)["annotations"]["huggingface.co/license"] == "cc-by-nc-4.0"
    without = card("xlam-family.md")
    assert model(without)["license"] == "CC-BY-NC-4.0"
    assert any(item.startswith("front matter license_link 'LICENSE'") for item in without.left_out)


def test_a_note_callout_is_not_the_description_but_follows_it_as_text() -> None:
    result = card("gemma-note.md")
    description = model(result)["description"]
    assert description.startswith("Gemma is a family of lightweight")
    assert "[!NOTE]" not in description and not description.lstrip().startswith(">")
    assert description.endswith(
        "Note: This repository corresponds to the 4B instruction-tuned version of Gemma 3. "
        "To access it, review and agree to Google's usage license."
    )


def test_a_callout_at_the_top_of_the_summary_section_moves_after_it() -> None:
    description = model(card("summary-note.md"))["description"]
    assert description == (
        "Tiny Summary writes one-line summaries of support tickets.\n\n"
        "Important: This model is superseded by tiny-summary-2."
    )


def test_card_tags_are_slugged_by_the_core_function() -> None:
    result = card("xlam-family.md")
    assert model(result)["tags"] == ["function-calling", "llm-agent", "tool-use"]
    assert "tag 'LLM Agent' became 'llm-agent' (a valid tag)" in result.warnings


def test_every_new_card_imports_into_a_valid_catalog() -> None:
    for name in ("granite-wrong-index.md", "xlam-family.md", "gemma-note.md", "summary-note.md"):
        report = validate(card(name, repo_id="org/model").document)
        assert report.ok, (name, [str(i) for i in report.errors])
