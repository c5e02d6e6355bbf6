"""The core's contract end to end: schema parity, conversion, validation, command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_helpers import EXAMPLES, MODEL_CATALOG_SCHEMA, REFERENCE, ROOT, schema_errors

from catalog.backstage import entity_problems, reference_problems
from catalog.cli import main
from catalog.convert import ConvertOptions, to_entities
from catalog.emit import to_yaml
from catalog.issues import apply_fix
from catalog.reverse import import_catalog_info
from catalog.schema import Model, ModelCatalog, ModelServer, ModelServerAPI
from catalog.validate import validate

REF = REFERENCE
SCHEMA = json.loads(MODEL_CATALOG_SCHEMA.read_text())


# --- schema parity ---------------------------------------------------------------------

PAIRS = [
    (ModelServer, SCHEMA["$defs"]["modelServer"]),
    (ModelServerAPI, SCHEMA["$defs"]["modelServer"]["$defs"]["modelServerAPI"]),
    (Model, SCHEMA["$defs"]["model"]),
    (ModelCatalog, SCHEMA),
]


@pytest.mark.parametrize(("model", "schema"), PAIRS, ids=lambda p: getattr(p, "__name__", ""))
def test_pydantic_models_mirror_the_json_schema(model: Any, schema: dict[str, Any]) -> None:
    props = schema["properties"]
    assert set(model.model_fields) == set(props)
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    expected_required = set(schema.get("required", []))
    if model is ModelCatalog:
        expected_required = {"models"}  # the schema's anyOf names a misspelt 'modelSever'
    assert required == expected_required
    assert schema["additionalProperties"] is False
    assert model.model_config["extra"] == "forbid"
    generated = model.model_json_schema()["properties"]
    for name, prop in props.items():
        assert model.model_fields[name].description == prop["description"], name
        gen = generated[name]
        if "anyOf" in gen:
            gen = next(g for g in gen["anyOf"] if g.get("type") != "null")
        if "$ref" in gen:
            assert prop["type"] == "object"
            continue
        assert gen["type"] == prop["type"], name
        if prop["type"] == "array" and "$ref" in prop["items"]:
            assert "$ref" in gen["items"]
        elif prop["type"] == "array":
            assert gen["items"]["type"] == prop["items"]["type"]
        if prop["type"] == "object":
            assert gen["additionalProperties"]["type"] == "string"
        if "enum" in prop:
            assert gen["enum"] == prop["enum"]


# --- conversion ------------------------------------------------------------------------

OPTIONS = [
    ConvertOptions(),
    ConvertOptions(api_definition="url"),
    ConvertOptions(layout="ai-model-server"),
    ConvertOptions(layout="ai-model-server", kind="API"),
]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: f"{o.layout}-{o.kind}-{o.api_definition}"
)
def test_examples_convert_to_entities_backstage_accepts(
    path: Path, options: ConvertOptions
) -> None:
    report = validate(json.loads(path.read_text()), options)
    assert report.ok, [str(i) for i in report.errors]
    assert report.entities
    for entity in report.entities:
        assert entity_problems(entity) == []
        assert schema_errors(entity) == []
    assert reference_problems(report.entities) == []
    text = to_yaml(report.entities)
    assert list(yaml.safe_load_all(text)) == report.entities
    assert "&" not in "".join(line.split(":", 1)[-1][:2] for line in text.splitlines())


def test_classic_layout_maps_fields_per_mapping() -> None:
    doc = json.loads((REF / "model-catalog/examples/005-annotations.json").read_text())
    doc["models"][0]["license"] = "apache-2.0"
    doc["models"][0]["annotations"] = {"techdocs": " https://docs.example.com/m "}
    comp, api, res = to_entities(ModelCatalog.model_validate(doc))
    assert [comp["kind"], api["kind"], res["kind"]] == ["Component", "API", "Resource"]
    assert comp["spec"]["dependsOn"] == [
        "resource:ibm-granite-20b",
        "api:developer-model-service",
    ]
    assert comp["spec"]["providesApis"] == ["developer-model-service"]
    assert comp["metadata"]["tags"] == ["vllm", "granite", "ibm", "auth-required"]
    assert comp["spec"]["owner"] == "user:example-user"
    assert api["spec"]["definition"] == {"$text": doc["modelServer"]["API"]["spec"]}
    assert res["spec"]["dependencyOf"] == ["component:developer-model-service"]
    assert {"url": "https://spdx.org/licenses/Apache-2.0.html", "title": "License"} in res[
        "metadata"
    ]["links"]
    assert res["metadata"]["annotations"] == {
        "backstage.io/techdocs-ref": "url:https://docs.example.com/m"
    }


def test_pasted_api_document_is_embedded_as_a_literal_block() -> None:
    doc = json.loads((REF / "model-catalog/examples/001-min-values.json").read_text())
    doc["modelServer"]["API"]["spec"] = '{\n  "openapi": "3.1.0"\n}'
    text = to_yaml(to_entities(ModelCatalog.model_validate(doc)))
    assert '  definition: |\n    {\n      "openapi": "3.1.0"\n    }\n' in text


# --- validation ------------------------------------------------------------------------


def _model(**extra: Any) -> dict[str, Any]:
    return {"name": "m", "owner": "jdoe", "lifecycle": "production", "description": "d", **extra}


BAD = [
    (
        {"models": [_model(name="ibm-granite/granite-3.1-8b")]},
        "models.0.name",
        "invalid-name",
        "error",
    ),
    ({"models": [_model(), _model()]}, "models.1.name", "duplicate-name", "error"),
    ({"models": [_model(owner="kube:admin")]}, "models.0.owner", "invalid-owner", "error"),
    ({"models": [_model(tags=["ok", "GPU"])]}, "models.0.tags.1", "tag-case", "warning"),
    ({"models": [_model(tags=["bad tag!"])]}, "models.0.tags.0", "invalid-tag", "warning"),
    ({"models": [_model(howToUseURL="")]}, "models.0.howToUseURL", "empty-optional", "warning"),
    (
        {"models": [_model(artifactLocationURL="huggingface.co/x")]},
        "models.0.artifactLocationURL",
        "invalid-url",
        "error",
    ),
    (
        {"models": [_model(lifecycle="Production")]},
        "models.0.lifecycle",
        "lifecycle-unusual",
        "warning",
    ),
    ({"models": [_model(license="Apache-2")]}, "models.0.license", "license-unknown", "warning"),
    ({"models": [_model(extra="x")]}, "models.0.extra", "unknown-field", "error"),
    (
        {"models": [_model(annotations={"bad key!": "v"})]},
        "models.0.annotations",
        "invalid-annotation-key",
        "error",
    ),
    (
        {
            "modelServer": {
                "name": "s",
                "owner": "o",
                "lifecycle": "production",
                "description": "d",
                "API": {"url": "https://a.b", "type": "openai", "spec": "https://a.b/s"},
            },
            "models": [],
        },
        "modelServer.API.type",
        "api-type-typo",
        "warning",
    ),
]


@pytest.mark.parametrize(("doc", "path", "code", "severity"), BAD, ids=[b[2] for b in BAD])
def test_each_rule_reports_at_its_path_and_its_fix_clears_it(
    doc: dict[str, Any], path: str, code: str, severity: str
) -> None:
    issues = [i for i in validate(doc).issues if i.code == code]
    assert [(i.path, i.severity) for i in issues] == [(path, severity)]
    fix = issues[0].fix
    assert fix is not None
    fixed = apply_fix(doc, fix)
    assert not [i for i in validate(fixed).issues if i.code == code and i.path == path]


def test_every_problem_is_reported_at_once() -> None:
    doc = {
        "models": [
            _model(name="a/b", owner="", tags=["X"], homepage=1),
            _model(lifecycle=" ", howToUseURL="nope"),
        ]
    }
    codes = {(i.path, i.code) for i in validate(doc).issues}
    assert {
        ("models.0.name", "invalid-name"),
        ("models.0.owner", "required-empty"),
        ("models.0.tags.0", "tag-case"),
        ("models.0.homepage", "unknown-field"),
        ("models.1.lifecycle", "required-empty"),
        ("models.1.howToUseURL", "invalid-url"),
    } <= codes


def test_wrong_types_are_errors_with_pydantic_paths() -> None:
    report = validate({"models": [_model(), _model(name="x", tags=["a", 5])]})
    assert ("models.1.tags.1", "type") in {(i.path, i.code) for i in report.errors}


def test_empty_catalog_is_an_error() -> None:
    assert [i.code for i in validate({"models": []}).errors] == ["empty-catalog"]


# --- reverse ---------------------------------------------------------------------------


def test_real_catalog_info_imports_into_a_valid_catalog() -> None:
    result = import_catalog_info(
        (REF / "catalog-info-examples" / "developer-model-service.catalog-info.yaml").read_bytes()
    )
    assert validate(result.document).ok
    assert result.document["modelServer"]["API"]["spec"].lstrip().startswith("{")
    assert [m["name"] for m in result.document["models"]] == ["ibm-granite-8b-code-instruct"]
    assert any("spec.profile" in item for item in result.left_out)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_round_trip_catalog_entities_catalog(path: Path) -> None:
    doc = json.loads(path.read_text())
    entities = validate(doc).entities
    assert entities is not None
    back = import_catalog_info(to_yaml(entities)).document
    again = validate(back).entities
    assert again == entities


# --- command line ----------------------------------------------------------------------

HOSTILE = {
    "invalid-utf8.json": b'{"models": ["\xff\xfe"]}',
    "python-tag.yaml": b"models: !!python/object/apply:os.system ['echo hi']\n",
    "laughs.yaml": b'a: &a ["lol","lol","lol"]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\nmodels: [*c]\n',
    "nested.json": b"[" * 200_000 + b"]" * 200_000,
    "nested.yaml": b"a: " + b"[" * 200_000,
    "truncated.json": b'{"models": [{"name": "a"',
    "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
    "empty.json": b"",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_broken_files_exit_2_with_one_line_and_no_traceback(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    out_file = tmp_path / "out.yaml"
    assert main(["convert", str(path), "-o", str(out_file)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and name in lines[0]
    assert "Traceback" not in captured.err + captured.out
    assert not out_file.exists()


def test_cli_exit_codes_and_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = str(EXAMPLES[2])
    assert main(["convert", example, "--format", "json"]) == 0
    entities = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in entities] == ["Component", "API", "Resource", "Resource", "Resource"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"models": [_model(name="a/b")]}))
    out = tmp_path / "out.yaml"
    assert main(["convert", str(bad), "-o", str(out)]) == 1
    assert "models.0.name:" in capsys.readouterr().err and not out.exists()
    assert main(["convert", str(bad), "--fix", "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["metadata"]["name"] == "a-b"
    assert main(["validate", str(tmp_path / "missing.json")]) == 2


def test_real_entry_point_runs_without_streamlit() -> None:
    code = (
        "import sys, pkgutil, importlib, catalog\n"
        "for m in pkgutil.walk_packages(catalog.__path__, 'catalog.'):\n"
        "    if not (m.name.endswith('__main__') or '.migrations' in m.name):\n"
        "        importlib.import_module(m.name)\n"
        "assert 'streamlit' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "catalog", "convert", str(EXAMPLES[0])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0 and "kind: Component" in done.stdout
