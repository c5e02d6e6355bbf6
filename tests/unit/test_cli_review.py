"""What a first-time user of ``python -m catalog`` runs into (found by trying it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.cli import main
from tests.static_site import static_site

DATA = Path(__file__).resolve().parents[1] / "data"
CARD = DATA / "model-cards" / "code-llm.md"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "triton-grpc-server.json"
Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def test_import_of_a_markdown_file_reads_it_as_a_model_card_without_from(
    capsys: Capture,
) -> None:
    # Before: the README was parsed as catalog-info YAML ("line 84: invalid YAML").
    status, out, err = run(capsys, "import", str(CARD), "--owner", "group:ml")
    assert status == 0, err
    assert "invalid YAML" not in err
    assert json.loads(out)["models"][0]["owner"] == "group:ml"


def test_from_catalog_info_still_reads_a_markdown_file_as_yaml(capsys: Capture) -> None:
    status, _out, err = run(capsys, "import", str(CARD), "--from", "catalog-info")
    assert status == 2 and "invalid YAML" in err


@pytest.mark.parametrize("path", ["", "foo/"])
def test_backstage_url_of_a_server_that_is_not_backstage_says_to_check_the_address(
    capsys: Capture, path: str
) -> None:
    # A plain web server (no Backstage error body): before, "answered 501: no reason given".
    with static_site() as site:
        url = f"{site.base}/{path}".rstrip("/")
        status, _out, err = run(capsys, "validate", str(EXAMPLE), "--backstage", url)
    assert status == 2
    [line] = err.strip().splitlines()
    assert f"nothing at {url} answers as Backstage's catalog" in line
    assert "base address" in line and "no reason given" not in line


def test_server_dash_when_every_model_has_a_server_says_so(capsys: Capture) -> None:
    # Before: "no model server '-'", as if '-' were taken for a server's name.
    two = DATA / "import" / "reverse" / "two-servers.yaml"
    status, out, err = run(capsys, "import", str(two), "--server", "-")
    assert status == 2 and out == ""
    assert "every model in it belongs to a server" in err
    assert "'server-a', 'server-b'" in err
    assert "no model server '-'" not in err


def test_import_of_a_model_catalog_says_it_is_one_already(capsys: Capture) -> None:
    # Before: "no model server ... found; is this a model catalog-info.yaml?"
    status, out, err = run(capsys, "import", str(EXAMPLE))
    assert status == 2 and out == ""
    [line] = err.strip().splitlines()
    assert "this is a model catalog already" in line
    assert "validate or convert it" in line


@pytest.mark.parametrize("command", ["validate", "convert", "graph"])
@pytest.mark.parametrize("name", ["catalog-info.yaml", "reverse/no-auth-evidence.yaml"])
def test_a_catalog_info_given_as_a_model_catalog_points_to_import(
    capsys: Capture, command: str, name: str
) -> None:
    # Before: "expected one document but found 3", or one error per Backstage field.
    path = str(DATA / "import" / name)
    status, out, err = run(capsys, command, path)
    assert status == 2 and out == ""
    [line] = err.strip().splitlines()
    assert "this is a Backstage catalog-info.yaml" in line
    assert f"'python -m catalog import {path}'" in line


def test_a_catalog_on_standard_input_is_read_once(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    data = EXAMPLE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, _err = run(capsys, "convert", "-")
    assert status == 0 and "kind: Component" in out


@pytest.mark.parametrize(
    ("argv", "suggested"),
    [
        (["graph", "--format", "svg"], "graph.svg"),
        (["docs"], "bundle.zip"),
        (["convert", "--format", "json"], "catalog-info.json"),
        (["convert"], "catalog-info.yaml"),
    ],
)
def test_a_folder_as_output_suggests_a_file_name_for_that_command(
    capsys: Capture, tmp_path: Path, argv: list[str], suggested: str
) -> None:
    # Before: every command suggested "<folder>/catalog-info.yaml", a graph or a zip too.
    status, _out, err = run(capsys, *argv, str(EXAMPLE), "-o", str(tmp_path))
    assert status == 2
    assert f"is a folder; give a file name (e.g. {tmp_path / suggested})" in err


def test_import_into_a_folder_suggests_a_catalog_file(capsys: Capture, tmp_path: Path) -> None:
    status, _out, err = run(capsys, "import", str(CARD), "-o", str(tmp_path))
    assert status == 2 and f"(e.g. {tmp_path / 'catalog.json'})" in err
