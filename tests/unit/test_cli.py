"""The command line: exit statuses 0/1/2, what goes where, and never a traceback.

Most tests run ``catalog.cli.main`` in this process; a few run ``python -m catalog`` to
prove the real entry point.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_helpers import CATALOG_INFO, EXAMPLES, ROOT, example, minimal_catalog, schema_errors
from core_helpers import run_cli as run

from catalog import reader
from catalog.backstage import entity_problems, reference_problems
from catalog.validate import validate

Capture = pytest.CaptureFixture[str]


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def invalid_catalog() -> dict[str, Any]:
    document = minimal_catalog()
    document["models"][0]["name"] = "ibm-granite/granite-3.1-8b"
    document["models"][1]["owner"] = "kube:admin"
    return document


def assert_valid_entities(entities: list[dict[str, Any]]) -> None:
    assert entities
    for entity in entities:
        assert entity_problems(entity) == []
        assert schema_errors(entity) == []
    assert reference_problems(entities) == []


def use_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- convert ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_convert_prints_a_catalog_info_yaml_backstage_accepts(path: Path, capsys: Capture) -> None:
    status, out, err = run(capsys, "convert", str(path))
    assert status == 0
    entities = list(yaml.safe_load_all(out))
    assert [e["kind"] for e in entities][:2] == ["Component", "API"]
    assert_valid_entities(entities)
    assert all(line.startswith("warning: ") for line in err.splitlines())


@pytest.mark.parametrize(
    "options",
    [
        ["--api-definition", "url"],
        ["--layout", "ai-model-server"],
        ["--layout", "ai-model-server", "--kind", "API"],
    ],
)
def test_convert_offers_every_layout(options: list[str], capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", minimal_catalog())
    status, out, _ = run(capsys, "convert", str(source), *options)
    assert status == 0
    entities = list(yaml.safe_load_all(out))
    assert_valid_entities(entities)
    if "ai-model-server" in options:
        (entity,) = entities
        assert entity["kind"] == (options[-1] if "--kind" in options else "AiModelServerAPI")


def test_convert_json_prints_one_array_of_the_entities(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", minimal_catalog())
    status, out, _ = run(capsys, "convert", str(source), "--format", "json")
    assert status == 0
    entities = json.loads(out)
    assert isinstance(entities, list)
    assert entities == validate(minimal_catalog()).entities


def test_convert_writes_the_output_file(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", minimal_catalog())
    target = tmp_path / "catalog-info.yaml"
    status, out, err = run(capsys, "convert", str(source), "-o", str(target))
    assert (status, out, err) == (0, "", "")
    assert_valid_entities(list(yaml.safe_load_all(target.read_text("utf-8"))))
    assert {p.name for p in tmp_path.iterdir()} == {"catalog.json", "catalog-info.yaml"}


def test_convert_reads_yaml_too(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.yaml", yaml.safe_dump(minimal_catalog()))
    status, out, _ = run(capsys, "convert", str(source))
    assert status == 0
    assert_valid_entities(list(yaml.safe_load_all(out)))


def test_convert_reads_standard_input(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, json.dumps(minimal_catalog()).encode())
    status, out, _ = run(capsys, "convert", "-")
    assert status == 0
    assert len(list(yaml.safe_load_all(out))) == 4


def test_errors_exit_1_list_each_problem_and_write_nothing(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", invalid_catalog())
    target = tmp_path / "catalog-info.yaml"
    status, out, err = run(capsys, "convert", str(source), "-o", str(target))
    assert status == 1
    assert out == ""
    assert not target.exists()
    assert "error: models.0.name: 'ibm-granite/granite-3.1-8b' is not a valid" in err
    assert "error: models.1.owner: owner 'kube:admin'" in err
    assert err.splitlines()[-1] == "2 error(s): nothing written"
    assert list(tmp_path.iterdir()) == [source], "no temporary file is left behind"


def test_errors_leave_an_existing_output_file_alone(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", invalid_catalog())
    target = write(tmp_path, "catalog-info.yaml", "previous: content\n")
    assert run(capsys, "convert", str(source), "-o", str(target))[0] == 1
    assert target.read_text("utf-8") == "previous: content\n"


def test_fix_applies_every_fix_then_converts(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", invalid_catalog())
    status, out, _ = run(capsys, "convert", str(source), "--fix")
    assert status == 0
    entities = list(yaml.safe_load_all(out))
    assert_valid_entities(entities)
    assert entities[2]["metadata"]["name"] == "ibm-granite-granite-3.1-8b"
    assert entities[3]["spec"]["owner"] == "user:kube-admin"


def test_fix_cannot_invent_a_missing_name(capsys: Capture, tmp_path: Path) -> None:
    document = minimal_catalog()
    document["models"][0]["name"] = " "
    source = write(tmp_path, "catalog.json", document)
    status, out, err = run(capsys, "convert", str(source), "--fix")
    assert (status, out) == (1, "")
    assert "models.0.name: name is required" in err


def test_warnings_go_to_standard_error_and_the_status_stays_0(
    capsys: Capture, tmp_path: Path
) -> None:
    document = minimal_catalog()
    document["modelServer"]["tags"] = ["vLLM"]
    source = write(tmp_path, "catalog.json", document)
    status, out, err = run(capsys, "convert", str(source))
    assert status == 0
    assert err == (
        "warning: modelServer.tags.0: tag 'vLLM' is written as 'vllm' (tags are lower case)\n"
    )
    assert "- vllm" in out


# --- validate --------------------------------------------------------------------------


def test_validate_reports_and_exits_0_or_1(capsys: Capture, tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", minimal_catalog())
    assert run(capsys, "validate", str(good)) == (0, "0 error(s), 0 warning(s)\n", "")
    bad = write(tmp_path, "bad.json", invalid_catalog())
    status, out, _ = run(capsys, "validate", str(bad))
    assert status == 1
    assert out.splitlines()[-1] == "2 error(s), 0 warning(s)"


def test_validate_json_lists_issues_with_their_fixes(capsys: Capture, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", invalid_catalog())
    status, out, _ = run(capsys, "validate", str(bad), "--format", "json")
    assert status == 1
    issues = json.loads(out)
    assert issues[0] == {
        "path": "models.0.name",
        "code": "invalid-name",
        "severity": "error",
        "message": issues[0]["message"],
        "fix": {
            "op": "set",
            "path": "models.0.name",
            "label": "Rename to ibm-granite-granite-3.1-8b",
            "value": "ibm-granite-granite-3.1-8b",
        },
    }


def test_validate_checks_the_chosen_layout(capsys: Capture, tmp_path: Path) -> None:
    document = minimal_catalog()
    del document["modelServer"]["API"]
    source = write(tmp_path, "catalog.json", document)
    assert run(capsys, "validate", str(source))[0] == 0
    status, out, _ = run(capsys, "validate", str(source), "--layout", "ai-model-server")
    assert status == 1
    assert "modelServer.API: the ai-model-server layout needs the server's API" in out


# --- import ----------------------------------------------------------------------------


def test_import_turns_the_real_catalog_info_into_a_valid_catalog(
    capsys: Capture, tmp_path: Path
) -> None:
    status, out, err = run(capsys, "import", str(CATALOG_INFO))
    assert status == 0
    document = json.loads(out)
    assert validate(document).ok
    assert document["modelServer"]["name"] == "developer-model-service"
    assert "left out: Component developer-model-service: spec.profile" in err

    target = tmp_path / "catalog.yaml"
    assert run(capsys, "import", str(CATALOG_INFO), "-o", str(target))[0] == 0
    assert yaml.safe_load(target.read_text("utf-8")) == document


def test_import_then_convert_round_trips(capsys: Capture, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    assert run(capsys, "import", str(CATALOG_INFO), "-o", str(catalog))[0] == 0
    status, out, _ = run(capsys, "convert", str(catalog))
    assert status == 0
    assert_valid_entities(list(yaml.safe_load_all(out)))


def test_import_of_something_that_is_no_model_catalog_info_exits_2(
    capsys: Capture, tmp_path: Path
) -> None:
    source = write(tmp_path, "x.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Group\n")
    status, out, err = run(capsys, "import", str(source))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "no model server" in err


# --- what cannot run exits 2 with one line ---------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
).encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

BROKEN_FILES: list[tuple[str, bytes | None, list[str]]] = [
    ("invalid-utf8", b'{"models": [\n"\xff"]}', ["not UTF-8", "line 2"]),
    ("python-tag", b"models: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
     ["tag", "line 1", "os.system"]),
    ("billion-laughs", BILLION_LAUGHS, ["anchors and aliases"]),
    ("deep-json", b"[" * 200_000 + b"]" * 200_000, ["nested too deeply"]),
    ("deep-yaml", b"models: " + b"[" * 200_000 + b"]" * 200_000, ["nest"]),
    ("truncated-json", b'{"models": [{"name": "x",\n "owner"', ["line 2", "cut short"]),
    ("yaml-syntax", b"models:\n  - name: x\n   owner: y\n", ["line 3", "invalid YAML"]),
    ("png", PNG, ["binary"]),
    ("empty", b"", ["empty"]),
    ("lone-surrogate", b'{"models": [{"name": "\\udfff"}]}', ["line 1", "surrogate"]),
    ("duplicate-key-json", b'{"models": [{"name": "a",\n "name": "b"}]}',
     ['line 2, column 2: the key "name" appears twice', "(first on line 1)"]),
    ("duplicate-key-yaml", b"models:\n  - name: a\n    owner: me\n    name: b\n",
     ['line 4, column 5: the key "name" appears twice', "(first on line 2)"]),
    ("directory", None, ["folder"]),
    ("missing", None, ["no such file"]),
]  # fmt: skip


@pytest.mark.parametrize("command", ["convert", "validate"])
@pytest.mark.parametrize(("name", "data", "words"), BROKEN_FILES, ids=[b[0] for b in BROKEN_FILES])
def test_unreadable_input_exits_2_with_one_line(
    name: str, data: bytes | None, words: list[str], command: str, capsys: Capture, tmp_path: Path
) -> None:
    path = tmp_path / name
    if name == "directory":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    status, out, err = run(capsys, command, str(path))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"error: {path}")
    for word in words:
        assert word in err


def _catalog_with_a_duplicate_key() -> str:
    """The minimal catalog as JSON, its first model's owner given twice (lines 31 and 33)."""
    text = json.dumps(minimal_catalog(), indent=2)
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip().startswith('"owner"') and i > 27)
    lines.insert(first + 2, '      "owner": "someone-else",')
    return "\n".join(lines)


DUPLICATE_KEY_RUNS: list[tuple[str, str, str, list[str]]] = [
    ("convert", "catalog.json", "catalog-info.yaml", []),
    ("convert", "catalog.json", "catalog-info.json", ["--format", "json", "--fix"]),
    ("validate", "catalog.json", "", []),
    ("graph", "catalog.json", "graph.dot", []),
    ("docs", "catalog.json", "docs.zip", []),
    ("import", "catalog-info.yaml", "catalog.json", []),
    ("import", "README.md", "catalog.json", ["--from", "model-card", "--owner", "group:x"]),
]
DUPLICATE_KEY_INPUTS = {
    "catalog.json": (_catalog_with_a_duplicate_key(), "owner", 33, 31),
    "catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
        "spec:\n  type: model-server\n  owner: me\n  lifecycle: production\n"
        "  owner: you\n",
        "owner",
        9,
        7,
    ),
    "README.md": ("---\nlicense: mit\nlicense: apache-2.0\n---\n# A model\n", "license", 3, 2),
}


@pytest.mark.parametrize(
    ("command", "name", "output", "options"),
    DUPLICATE_KEY_RUNS,
    ids=[f"{r[0]}-{r[1]}{'-' + r[3][-1] if r[3] else ''}" for r in DUPLICATE_KEY_RUNS],
)
def test_a_key_given_twice_exits_2_naming_it_and_writes_nothing(
    command: str, name: str, output: str, options: list[str], capsys: Capture, tmp_path: Path
) -> None:
    text, key, again, first = DUPLICATE_KEY_INPUTS[name]
    source = write(tmp_path, name, text)
    argv = [command, str(source), *options]
    if output:
        argv += ["-o", str(tmp_path / output)]
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1, err
    assert err.startswith("error: ") and name in err  # a model card is named by its file name
    assert f"line {again}, column " in err
    assert f'the key "{key}" appears twice' in err
    assert f"(first on line {first}); keep one of them" in err
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_file_over_the_size_limit_exits_2_without_being_read_whole(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 1024)
    source = write(tmp_path, "big.json", {"models": [], "padding": "x" * 4096})
    status, out, err = run(capsys, "convert", str(source))
    assert (status, out) == (2, "")
    assert err == f"error: {source}: the input is larger than the limit of 1 KB; " + (
        "split it or remove unused content\n"
    )


def test_standard_input_over_the_size_limit_exits_2(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 1024)
    use_stdin(monkeypatch, b" " * 5000)
    status, _, err = run(capsys, "validate", "-")
    assert status == 2
    assert err.startswith("error: stdin: the input is larger than the limit")


def test_an_output_folder_that_does_not_exist_exits_2(capsys: Capture, tmp_path: Path) -> None:
    source = write(tmp_path, "catalog.json", minimal_catalog())
    status, _, err = run(capsys, "convert", str(source), "-o", str(tmp_path / "no" / "x.yaml"))
    assert status == 2
    assert err.count("\n") == 1 and "does not exist" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["convert", "x.json", "--format", "xml"],
        ["convert", "x.json", "--bogus"],
        ["frobnicate"],
        [],
        ["convert"],
        ["convert", "x.json", "--layout", "flat"],
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], capsys: Capture) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "error:" in err and "(see --help)" in err


def test_help_exits_0(capsys: Capture) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "convert" in out


# --- the real entry point --------------------------------------------------------------


def python_m_catalog(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "catalog", *argv],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_python_m_catalog_converts_standard_input() -> None:
    result = python_m_catalog(
        "convert", "-", "--format", "json", stdin=json.dumps(example("005-annotations")).encode()
    )
    assert result.returncode == 0, result.stderr
    assert_valid_entities(json.loads(result.stdout))


def test_python_m_catalog_reports_errors_with_status_1(tmp_path: Path) -> None:
    source = write(tmp_path, "bad.json", invalid_catalog())
    result = python_m_catalog("convert", str(source))
    assert result.returncode == 1
    assert result.stdout == b""
    assert b"models.0.name" in result.stderr


@pytest.mark.parametrize("data", [BILLION_LAUGHS, b"[" * 200_000], ids=["laughs", "deep"])
def test_python_m_catalog_refuses_hostile_input_without_a_traceback(data: bytes) -> None:
    result = python_m_catalog("validate", "-", stdin=data)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.count(b"\n") == 1
    assert b"Traceback" not in result.stderr
