"""Hugging Face model cards in, model catalogs out: mapping, what is left out, bad input."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from catalog.errors import InputError
from catalog.merge import merge, merge_catalogs
from catalog.modelcard import ImportResult, classify, import_model_card
from catalog.sections import parse
from catalog.techdocs import build_bundle
from catalog.validate import validate

CARDS = Path(__file__).resolve().parents[1] / "data" / "model-cards"


def card(name: str, **kwargs: Any) -> ImportResult:
    return import_model_card((CARDS / name).read_bytes(), filename="README.md", **kwargs)


def only_model(result: ImportResult) -> dict[str, Any]:
    [model] = result.document["models"]
    assert isinstance(model, dict)
    return model


# --- the three realistic cards ---------------------------------------------------


def test_a_code_llm_card_maps_its_metadata_and_bold_label_sections() -> None:
    result = card("code-llm.md", owner="group:ai-platform")
    model = only_model(result)
    assert model["name"] == "codewright-3.1-8b-instruct"
    assert model["owner"] == "group:ai-platform" and model["lifecycle"] == "experimental"
    assert model["license"] == "Apache-2.0"
    assert model["tags"] == [
        "language",
        "granite-3-1",
        "code",
        "code-generation",
        "task-text-generation",
    ]
    assert model["annotations"] == {
        "huggingface.co/base-model": "example-org/codewright-3.1-8b-base",
        "huggingface.co/datasets": "bigcode/commitpackft, TIGER-Lab/MathInstruct",
        "huggingface.co/language": "en, de, es, fr, ja",
        "huggingface.co/library-name": "transformers",
    }
    assert model["description"].startswith("Codewright-3.1-8B-Instruct is an 8B parameter")
    assert "- **Release Date:** December 18th, 2024" in model["description"]
    assert model["usage"].startswith("## Intended Use\n\nThe model is designed")
    assert "## Generation" in model["usage"]
    # A '# Training Data' comment inside the code block stays in the code block.
    assert "# Training Data\nchat = [" in model["usage"]
    assert model["usage"].rstrip().endswith("```")
    assert model["training"].startswith("Overall, our SFT data is largely comprised")
    assert model["ethics"].startswith("Codewright 3.1 instruct models are primarily")
    assert "support" not in model


def test_the_code_llm_card_says_what_it_left_out_and_what_it_changed() -> None:
    result = card("code-llm.md")
    assert result.left_out == [
        "front matter 'inference': False",
        "front matter 'new_version': example-org/codewright-3.2-8b-instruct",
        "front matter 'model-index': 2 evaluation result(s); benchmark scores have no place "
        "in a model catalog",
        "section 'Supported Languages' (line 66)",
        "section 'Capabilities' (line 74)",
        "section 'Model Architecture' (line 113)",
        "section 'Infrastructure' (line 123)",
        "section 'Resources' (line 134)",
    ]
    assert "tag 'Code Generation' became 'code-generation' (a valid tag)" in result.warnings
    assert "tag 'code': a duplicate, kept once" in result.warnings
    assert any(
        w.startswith("owner: a model card names no Backstage owner") for w in result.warnings
    )
    assert ("name", "model-index name 'codewright-3.1-8b-instruct'") in result.imported
    assert ("license", "front matter license 'apache-2.0' (SPDX Apache-2.0)") in result.imported
    assert ("tags", "pipeline_tag 'text-generation' as 'task-text-generation'") in result.imported


def test_an_embedding_card_joins_the_summary_paragraph_and_the_model_facts() -> None:
    result = card("embedding.md")
    model = only_model(result)
    assert model["name"] == "support-minilm-l6-v2"
    assert model["license"] == "MIT"
    assert model["description"].startswith("This is a [sentence-transformers]")
    assert "- **Output Dimensionality:** 384 dimensions" in model["description"]
    assert "<!--" not in model["description"]  # the revision comment is gone
    assert model["usage"].startswith("## Direct Usage (Sentence Transformers)")
    assert "pip install -U sentence-transformers" in model["usage"]
    assert "Direct Usage (Transformers)" not in model["usage"]  # commented out in the card
    assert model["training"].startswith("## Training Dataset\n\n### support-ticket-pairs")
    assert "## Recommendations" in model["ethics"]
    assert model["support"].startswith("Open an issue in the acme/support-minilm-l6-v2")
    assert "task-sentence-similarity" in model["tags"]
    assert "dataset-size:48000" in model["tags"]
    assert result.left_out[-4:] == [
        "section 'Model Sources' (line 60)",
        "section 'Full Model Architecture' (line 65)",
        "section 'Evaluation' (line 110) and 2 subsection(s)",
        "section 'Citation' (line 156) and 2 subsection(s)",
    ]
    assert any(item.startswith("front matter 'widget'") for item in result.left_out)
    assert not any("Glossary" in item for item in result.left_out)  # only in a comment


def test_an_image_card_uses_the_license_link_and_drops_template_placeholders() -> None:
    result = card("image.md")
    model = only_model(result)
    assert model["name"] == "PixelForge-XL-1.0-base"
    assert model["license"] == (
        "https://huggingface.co/pixelforge/pixelforge-xl-base-1.0/blob/main/LICENSE.md"
    )
    assert model["tags"] == ["text-to-image", "stable-diffusion", "diffusers", "task-text-to-image"]
    assert model["description"].startswith("PixelForge-XL consists of an ensemble")
    assert "Funded by" not in model["description"]
    assert "training" not in model  # its sections held only placeholders
    assert "## Out-of-Scope Use" in model["usage"]
    assert model["ethics"].startswith("## Limitations\n\n- The model does not achieve")
    assert "More Information Needed" not in str(result.document)
    assert "section 'Training Details': only template placeholders" in result.left_out
    # The link is the License link; the licence's name is kept beside it.
    assert model["annotations"]["huggingface.co/license-name"] == "pixelforge-community-license"
    assert "section 'Evaluation' (line 42) and 1 subsection(s)" in result.left_out
    assert (
        "name",
        "title heading 'PixelForge-XL 1.0-base', made a valid name ('PixelForge-XL-1.0-base')",
    ) in result.imported


@pytest.mark.parametrize("name", ["code-llm.md", "embedding.md", "image.md"])
def test_every_imported_card_is_a_valid_catalog_with_a_full_techdocs_bundle(name: str) -> None:
    result = card(name)
    report = validate(result.document)
    assert report.ok, [str(i) for i in report.issues]
    assert report.catalog is not None
    files = build_bundle(report.catalog)
    model = only_model(result)
    for field in ("usage", "training", "ethics", "license", "support"):
        assert (f"{model['name']}/docs/{field}.md" in files) == (field in model)


def test_nothing_is_fetched_while_importing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the import tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in ("code-llm.md", "embedding.md", "image.md"):
        assert card(name).document["models"]


# --- names, licenses, tags -------------------------------------------------------


def md(front: str, body: str = "# Title\n\nSome model.\n") -> str:
    return f"---\n{front}---\n{body}"


@pytest.mark.parametrize(
    ("text", "kwargs", "name"),
    [
        (
            md("model_name: My Model\nmodel-index:\n- name: My-Model\n  results: []\n"),
            {},
            "My-Model",
        ),
        (md("model_name: My Model\nmodel-index:\n- name: other\n  results: []\n"), {}, "Title"),
        (md("license: mit\n", "# Model Card for ibm-granite/granite-3.1-8b\n"), {}, None),
        (md("license: mit\n", "No title here.\n"), {"repo_id": "org/my-model"}, "org-my-model"),
        (md("license: mit\n", "No title here.\n"), {"filename": "sd-turbo.md"}, "sd-turbo"),
    ],
    ids=["front-matter-agrees", "front-matter-disagrees", "title", "repo-id", "file-name"],
)
def test_the_name_comes_from_the_card_then_the_repo_id_then_the_file(
    text: str, kwargs: dict[str, Any], name: str | None
) -> None:
    model = only_model(import_model_card(text, **kwargs))
    assert model["name"] == (name or "ibm-granite-granite-3.1-8b")


def test_a_card_that_names_nothing_gets_a_placeholder_name_and_a_warning() -> None:
    result = import_model_card(md("license: mit\n", "Text only.\n"), filename="README.md")
    assert only_model(result)["name"] == "imported-model"
    assert "name: the card names no model; called 'imported-model', rename it" in result.warnings


def test_a_repo_id_gives_the_artifact_link() -> None:
    model = only_model(import_model_card(md("license: mit\n"), repo_id="acme/m-1"))
    assert model["artifactLocationURL"] == "https://huggingface.co/acme/m-1"


@pytest.mark.parametrize(
    ("front", "license_value", "note"),
    [
        ("license: Apache-2.0\n", "Apache-2.0", None),
        ("license: cc-by-nc-4.0\n", "CC-BY-NC-4.0", None),
        ("license: llama3.1\n", "llama3.1", "license: 'llama3.1' is not an SPDX license id"),
        (
            "license: other\nlicense_name: acme-license\nlicense_link: LICENSE\n",
            "acme-license",
            "front matter license_link 'LICENSE': a file in the model's repository, not a URL",
        ),
        (
            "license:\n- mit\n- apache-2.0\n",
            "MIT",
            "license: the card lists 2 licenses; kept the first, 'mit'",
        ),
        ("license: other\n", None, "license: 'other', with no name or link; left empty"),
    ],
    ids=["spdx", "spdx-any-case", "not-spdx", "other-with-file-link", "two", "other-alone"],
)
def test_licenses_are_spdx_spelt_or_kept_with_a_note(
    front: str, license_value: str | None, note: str | None
) -> None:
    result = import_model_card(md(front))
    assert only_model(result).get("license") == license_value
    if note is not None:
        assert any(note in line for line in result.warnings + result.left_out)


def test_a_license_section_is_used_when_the_front_matter_has_none() -> None:
    text = md("tags: [x]\n", "# M\n\nA model.\n\n## License\n\nFree for research only.\n")
    assert only_model(import_model_card(text))["license"] == "Free for research only."


def test_tags_that_cannot_be_made_valid_are_left_out() -> None:
    result = import_model_card(md("tags:\n- '!!!'\n- ok\n- {a: b}\npipeline_tag: fill-mask\n"))
    assert only_model(result)["tags"] == ["ok", "task-fill-mask"]
    assert "tag '!!!': nothing of it is a valid tag" in result.left_out
    assert "front matter 'tags': {'a': 'b'} is not text" in result.left_out


def test_norwegian_survives_yaml_reading_it_as_false() -> None:
    model = only_model(import_model_card(md("language:\n- en\n- no\n")))
    assert model["annotations"] == {"huggingface.co/language": "en, no"}


def test_front_matter_keys_that_would_confuse_the_hub_library_are_just_left_out() -> None:
    result = import_model_card(md("license: mit\nignore_metadata_errors: true\nto_dict: 1\n"))
    assert only_model(result)["license"] == "MIT"
    assert "front matter 'ignore_metadata_errors': True" in result.left_out
    assert "front matter 'to_dict': 1" in result.left_out


@pytest.mark.parametrize(
    "index", ["\n- results: [{}]", " oops", "\n- 5", " {a: 1}"], ids=["no-name", "text", "n", "map"]
)
def test_a_model_index_the_hub_cannot_read_is_reported(index: str) -> None:
    result = import_model_card(md(f"model-index:{index}\n"))
    assert "front matter 'model-index': not in the Hub's format, so not read" in result.left_out


def test_odd_value_types_are_reported_not_fatal() -> None:
    result = import_model_card(md("tags: 5\nlicense: {a: 1}\nbase_model: [x, [y]]\n"))
    model = only_model(result)
    assert model["tags"] == ["5"]
    assert "license" not in model
    assert model["annotations"] == {"huggingface.co/base-model": "x"}
    assert "front matter 'license': {'a': 1} is not text" in result.left_out
    assert "front matter 'base_model': ['y'] is not text" in result.left_out


# --- Markdown sections -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("Uses", "usage"),
        ("Direct Use", "usage"),
        ("Downstream Use [optional]", "usage"),
        ("How to Get Started with the Model", "usage"),
        ("🚀 Usage", "usage"),
        ("Intended uses & limitations", "usage"),
        ("Training Details", "training"),
        ("Training Procedure", "training"),
        ("Bias, Risks, and Limitations", "ethics"),
        ("Recommendations", "ethics"),
        ("Ethical Considerations and Limitations", "ethics"),
        ("Out-of-Scope Use", "ethics"),
        ("Model Description", "description"),
        ("Model Card Contact", "support"),
        ("License", "license"),
        ("Evaluation", None),
        ("Citation", None),
        ("Model Details", None),
    ],
)
def test_section_headings_map_to_fields(title: str, field: str | None) -> None:
    assert classify(title) == field


def test_headings_are_found_in_every_form_but_never_in_code() -> None:
    doc = parse(
        "Title\n=====\n\nintro\n\nUsage\n-----\n\nrun it\n\n"
        "~~~\n## not a heading\n~~~\n\n### Closed ###\n\n####### seven\n\n"
        "<!--\n## Commented\n-->\n**Label:**\ntext\n"
    )
    titles = [(s.level, s.title) for s in doc.heading.values()]
    assert titles == [(1, "Title"), (2, "Usage"), (3, "Closed"), (7, "Label")]


def test_a_card_without_front_matter_imports_from_the_markdown_with_a_warning() -> None:
    text = "# tiny-bert\n\nA tiny BERT.\n\n## How to use\n\n```python\nload()\n```\n"
    result = import_model_card(text, filename="README.md")
    model = only_model(result)
    assert (model["name"], model["description"]) == ("tiny-bert", "A tiny BERT.")
    assert model["usage"] == "```python\nload()\n```"
    assert result.warnings[0].startswith("README.md: no YAML front matter")


# --- bad input -------------------------------------------------------------------

BOMB = (
    "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\n# x\n"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BOMB, "README.md front matter: the YAML uses anchors and aliases"),
        (
            "---\nlicense: !!python/object/apply:os.system ['echo hi']\n---\n# x\n",
            "README.md front matter: line 2, column 10: the YAML uses a tag that is not allowed",
        ),
        ("---\nlicense: mit\n  bad: indent\n---\n# x\n", "README.md front matter: line 3"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "README.md: this is a binary file"),
        (b"# Caf\xe9\n", "README.md: line 1: the file is not UTF-8 text"),
        ("", "README.md: the model card is empty"),
        (" \n\n ", "README.md: the model card is empty"),
        ("---\nlicense: mit\n# Title\n", "README.md: the front matter opened by '---' on line 1"),
        ("---\n- a\n---\n# x\n", "README.md: the front matter must be 'key: value' lines"),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: Component\n",
            "README.md: this is a Backstage catalog-info.yaml",
        ),
        ('{"models": []}', "README.md: this is JSON, not a Markdown model card"),
        ("models:\n- name: x\n", "README.md: this is a YAML document, not a Markdown model card"),
        ("---\nx: " + "[" * 100 + "]" * 100 + "\n---\n# x\n", "nested too deeply"),
        ("---\n---\n", "README.md: the model card holds nothing to import"),
    ],
    ids=[
        "yaml-bomb",
        "python-tag",
        "broken-yaml",
        "binary",
        "not-utf8",
        "empty",
        "blank",
        "unclosed-front-matter",
        "front-matter-list",
        "catalog-info",
        "json",
        "yaml-catalog",
        "deep",
        "nothing",
    ],
)
def test_bad_input_gets_one_clear_message(data: str | bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        import_model_card(data, filename="README.md")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_card_over_the_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(InputError, match=r"the model card is 1\.0 MB, larger than the limit"):
        import_model_card(b"# x\n" + b"a" * (1024 * 1024), filename="README.md")
    with pytest.raises(InputError, match="larger than the limit of 1 KB"):
        import_model_card("# x\n" + "a" * 2000, max_bytes=1024)


# --- merging ---------------------------------------------------------------------

CURRENT: dict[str, Any] = {
    "modelServer": {"name": "srv", "owner": "o", "lifecycle": "production", "description": "d"},
    "models": [
        {"name": "granite", "owner": "o", "lifecycle": "production", "description": "d"},
        {"name": "Granite-2", "owner": "o", "lifecycle": "production", "description": "d"},
    ],
}


def imported(*names: str) -> dict[str, Any]:
    return {
        "models": [
            {"name": n, "owner": "guest", "lifecycle": "experimental", "description": "x"}
            for n in names
        ]
    }


def test_replace_gives_the_imported_catalog() -> None:
    new = imported("granite")
    assert merge(CURRENT, new, "replace") == new
    assert merge(CURRENT, new, "replace") is not new


def test_add_appends_models_renaming_names_already_taken_in_any_case() -> None:
    before = repr(CURRENT)
    merged = merge_catalogs(CURRENT, imported("GRANITE", "mistral", "mistral"), "add")
    names = [m["name"] for m in merged.document["models"]]
    assert names == ["granite", "Granite-2", "GRANITE-3", "mistral", "mistral-2"]
    assert merged.renamed == [("GRANITE", "GRANITE-3"), ("mistral", "mistral-2")]
    assert merged.document["modelServer"] == CURRENT["modelServer"]
    assert repr(CURRENT) == before  # the catalog being edited is untouched
    assert validate(merged.document).ok


def test_add_accepts_an_import_result_and_an_empty_catalog() -> None:
    result = card("embedding.md")
    merged = merge(None, result, "add")
    assert merged == result.document and merged is not result.document
    assert merge({}, result, "add")["models"][0]["name"] == "support-minilm-l6-v2"


def test_a_renamed_long_name_stays_a_valid_name() -> None:
    long = "m" * 63
    merged = merge({"models": imported(long)["models"]}, imported(long), "add")
    assert merged["models"][1]["name"] == "m" * 61 + "-2"


def test_add_takes_an_imported_server_only_when_the_catalog_has_none() -> None:
    server = {"name": "other", "owner": "o", "lifecycle": "x", "description": "d"}
    merged = merge_catalogs(CURRENT, {"modelServer": server, "models": []}, "add")
    assert merged.document["modelServer"]["name"] == "srv"
    assert merged.notes == ["the imported model server was not added: the catalog has one"]
    alone = merge({"models": []}, {"modelServer": server, "models": []}, "add")
    assert alone["modelServer"] == server


def test_merge_refuses_unknown_modes_and_broken_catalogs() -> None:
    with pytest.raises(ValueError, match="mode must be"):
        merge(CURRENT, imported("x"), "append")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'models' is not a list"):
        merge({"models": "oops"}, imported("x"), "add")
