"""``--fix`` says what it changed, and a placeholder API spec gets a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from core_helpers import OPTION_SETS, minimal_catalog
from core_helpers import run_cli as run

from catalog.validate import MISSING, AppliedFix, fix_all, validate

Capture = pytest.CaptureFixture[str]


def fixable(tmp_path: Path) -> Path:
    document = minimal_catalog()
    document["models"][0]["name"] = "ibm-granite/granite-3.1-8b"
    document["models"][1]["owner"] = "kube:admin"
    document["modelServer"]["tags"] = ["vLLM", "granite", "granite"]
    document["modelServer"]["API"]["url"] = "api.example.com/v1"
    document["modelServer"]["annotations"] = {"example.com/team": "ai", "bad key!": "x"}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# --- convert --fix prints each fix -----------------------------------------------------


@pytest.mark.parametrize("command", ["convert", "graph"])
def test_fix_prints_each_change_on_standard_error(
    command: str, capsys: Capture, tmp_path: Path
) -> None:
    status, out, err = run(capsys, command, str(fixable(tmp_path)), "--fix")
    assert status == 0
    fixed = sorted(line for line in err.splitlines() if line.startswith("fixed: "))
    assert fixed == sorted(
        [
            'fixed: models.0.name: "ibm-granite/granite-3.1-8b" -> "ibm-granite-granite-3.1-8b"',
            'fixed: models.1.owner: "kube:admin" -> "kube-admin"',
            'fixed: modelServer.tags.0: "vLLM" -> "vllm"',
            'fixed: modelServer.tags.2: "granite" -> (none)',
            'fixed: modelServer.API.url: "api.example.com/v1" -> "https://api.example.com/v1"',
            'fixed: modelServer.annotations.bad key!: "x" -> (none)',
            'fixed: modelServer.annotations.bad-key: (none) -> "x"',
        ]
    )
    assert "fixed: " not in out


def test_fix_output_is_what_the_fixes_made(capsys: Capture, tmp_path: Path) -> None:
    status, out, _ = run(capsys, "convert", str(fixable(tmp_path)), "--fix")
    assert status == 0
    component, _, first, second = yaml.safe_load_all(out)
    assert component["metadata"]["tags"] == ["vllm", "granite", "auth-required"]
    assert first["metadata"]["name"] == "ibm-granite-granite-3.1-8b"
    assert second["spec"]["owner"] == "user:kube-admin"


def test_fix_of_a_valid_catalog_prints_no_fix(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(minimal_catalog()), encoding="utf-8")
    assert run(capsys, "convert", str(path), "--fix")[::2] == (0, "")


def test_fix_prints_what_it_changed_even_when_errors_remain(
    capsys: Capture, tmp_path: Path
) -> None:
    document = minimal_catalog()
    document["models"][0]["name"] = " "
    document["models"][1]["lifecycle"] = "Production"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    status, out, err = run(capsys, "convert", str(path), "--fix")
    assert (status, out) == (1, "")
    assert 'fixed: models.1.lifecycle: "Production" -> "production"' in err.splitlines()
    assert "models.0.name: name is required" in err


def test_without_fix_nothing_is_said_to_be_fixed(capsys: Capture, tmp_path: Path) -> None:
    _, _, err = run(capsys, "validate", str(fixable(tmp_path)))
    assert "fixed: " not in err


def test_fix_all_logs_changes_only_when_asked() -> None:
    document = minimal_catalog()
    document["models"][0]["lifecycle"] = "Experimental"
    applied: list[AppliedFix] = []
    fixed, report = fix_all(document, applied=applied)
    assert report.ok
    assert applied == [AppliedFix("models.0.lifecycle", "Experimental", "experimental")]
    assert fix_all(document)[0] == fixed
    assert str(AppliedFix("models.0.tags.3", "x", MISSING)) == 'models.0.tags.3: "x" -> (none)'


def test_a_long_value_is_shortened_in_the_log() -> None:
    line = str(AppliedFix("modelServer.usage", "x" * 500, MISSING))
    assert line == 'modelServer.usage: "' + "x" * 76 + "... -> (none)"


# --- a placeholder API spec ------------------------------------------------------------

PLACEHOLDERS = ["TBD", "tbd", " N/A ", "n/a", "NA", "-", "none", "None", "NULL", "?", "TODO", "…"]


def with_spec(spec: str) -> dict[str, object]:
    document = minimal_catalog()
    document["modelServer"]["API"]["spec"] = spec
    return document


@pytest.mark.parametrize("spec", PLACEHOLDERS)
def test_a_placeholder_spec_is_warned_about_with_its_path(spec: str) -> None:
    report = validate(with_spec(spec))
    assert report.ok  # a warning: the catalog still converts
    [issue] = [i for i in report.issues if i.code == "placeholder-spec"]
    assert issue.path == "modelServer.API.spec"
    assert issue.severity == "warning"
    assert f"'{spec.strip()}' is a placeholder" in issue.message
    assert "Backstage's API page cannot render" in issue.message


@pytest.mark.parametrize(
    "spec",
    [
        "https://example.com/openapi.json",
        "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n",
        '{"openapi": "3.0.0"}',
        "type Query { models: [String] }",
        "nonesuch",
        "tbd-api.example.com",
    ],
)
def test_a_real_spec_is_not_taken_for_a_placeholder(spec: str) -> None:
    assert [i for i in validate(with_spec(spec)).issues if i.code == "placeholder-spec"] == []


def test_the_classic_layout_warns_in_both_definition_modes() -> None:
    for name in ("classic-ref", "classic-url"):
        issues = validate(with_spec("TBD"), OPTION_SETS[name]).issues
        assert [i.path for i in issues if i.code == "placeholder-spec"] == [
            "modelServer.API.spec"
        ], name


def test_the_ai_model_server_layout_writes_no_definition_so_no_warning() -> None:
    issues = validate(with_spec("TBD"), OPTION_SETS["ai-model-server-AiModelServerAPI"]).issues
    assert [i for i in issues if i.code == "placeholder-spec"] == []


def test_convert_prints_the_placeholder_warning(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(with_spec("N/A")), encoding="utf-8")
    status, out, err = run(capsys, "convert", str(path))
    assert status == 0
    assert err.startswith("warning: modelServer.API.spec: 'N/A' is a placeholder")
    assert "  definition: |\n    N/A\n" in out
