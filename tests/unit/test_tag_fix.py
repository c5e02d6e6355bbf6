"""One tag fix, from the core, used everywhere: ``Bad Tag`` becomes ``bad-tag``.

The validation fix (the Author page's one click), ``convert --fix`` and both importers
use :func:`catalog.rules.tag_slug`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from core_helpers import minimal_catalog

from catalog.cli import main
from catalog.modelcard import import_model_card
from catalog.reverse import import_catalog_info
from catalog.rules import is_valid_tag, tag_slug
from catalog.validate import fix_all, validate


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [("Bad Tag", "bad-tag"), ("Large Language Model!", "large-language-model"), ("vLLM", "vllm")],
)
def test_the_core_function_makes_a_valid_tag(raw: str, fixed: str) -> None:
    assert tag_slug(raw) == fixed and is_valid_tag(fixed)


def test_the_validation_fix_is_the_core_slug() -> None:
    document = minimal_catalog()
    document["models"][0]["tags"] = ["Bad Tag"]
    [issue] = [i for i in validate(document).issues if i.path == "models.0.tags.0"]
    assert issue.fix is not None and issue.fix.value == "bad-tag"
    fixed, report = fix_all(document)
    assert fixed["models"][0]["tags"] == ["bad-tag"] and report.warnings == []


def test_convert_fix_writes_the_core_slug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = minimal_catalog()
    document["modelServer"]["tags"] = ["Bad Tag", "vllm"]
    source = tmp_path / "catalog.json"
    source.write_text(json.dumps(document), "utf-8")
    assert main(["convert", str(source), "--fix", "--format", "json"]) == 0
    component = json.loads(capsys.readouterr().out)[0]
    assert component["metadata"]["tags"][:2] == ["bad-tag", "vllm"]


def test_the_model_card_importer_uses_the_core_slug() -> None:
    card = "---\ntags:\n- Bad Tag\n- C++ / Rust\n---\n# Tiny\n\nA tiny model.\n"
    result = import_model_card(card, owner="jdoe")
    assert result.document["models"][0]["tags"] == ["bad-tag", tag_slug("C++ / Rust")]
    assert "tag 'Bad Tag' became 'bad-tag' (a valid tag)" in result.warnings


def test_the_catalog_info_importer_uses_the_core_slug() -> None:
    text = (
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: m\n"
        "  description: A model.\n  tags: [Bad Tag, ok]\n"
        "spec: {type: ai-model, owner: jdoe, lifecycle: production}\n"
    )
    result = import_catalog_info(text)
    assert result.document["models"][0]["tags"] == ["bad-tag", "ok"]
    assert any("tag 'Bad Tag' became 'bad-tag'" in w for w in result.warnings)
