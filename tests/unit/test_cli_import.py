"""``python -m catalog import`` with several model servers in one file, and the left-out list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from core_helpers import run_cli as run

CASES = Path(__file__).resolve().parents[1] / "data" / "import" / "reverse"
TWO = str(CASES / "two-servers.yaml")
Capture = pytest.CaptureFixture[str]


def test_two_servers_to_standard_output_is_refused_naming_both_and_the_ways_out(
    capsys: Capture,
) -> None:
    status, out, err = run(capsys, "import", TWO)
    assert status == 2 and out == ""
    assert "'server-a', 'server-b'" in err
    assert "--server NAME" in err and "-o OUT" in err
    assert len(err.strip().splitlines()) == 1  # one clear line


def test_server_picks_one_catalog_with_only_its_models(capsys: Capture) -> None:
    status, out, _err = run(capsys, "import", TWO, "--server", "server-b")
    assert status == 0
    document = json.loads(out)
    assert document["modelServer"]["name"] == "server-b"
    assert [m["name"] for m in document["models"]] == ["model-b1", "model-b2"]


def test_an_unknown_server_exits_2_and_lists_the_servers(capsys: Capture) -> None:
    status, out, err = run(capsys, "import", TWO, "--server", "server-c")
    assert status == 2 and out == ""
    assert "no model server 'server-c'" in err and "'server-a', 'server-b'" in err


def test_output_writes_one_file_per_server(tmp_path: Path, capsys: Capture) -> None:
    status, _out, err = run(capsys, "import", TWO, "-o", str(tmp_path / "catalog.yaml"))
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "catalog-server-a.yaml",
        "catalog-server-b.yaml",
    ]
    assert f"wrote {tmp_path / 'catalog-server-b.yaml'}: server server-b, 2 model(s)" in err
    text = (tmp_path / "catalog-server-a.yaml").read_text("utf-8")
    assert "model-a1" in text and "model-b1" not in text


def test_a_server_placeholder_in_output_names_each_file(tmp_path: Path, capsys: Capture) -> None:
    target = str(tmp_path / "{server}.json")
    assert run(capsys, "import", TWO, "-o", target)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["server-a.json", "server-b.json"]


def test_models_of_no_server_are_picked_with_a_dash(tmp_path: Path, capsys: Capture) -> None:
    source = tmp_path / "mixed.yaml"
    source.write_text(
        (CASES / "two-servers.yaml").read_text("utf-8")
        + "\n---\n"
        + (CASES / "template-resource.yaml").read_text("utf-8"),
        "utf-8",
    )
    status, out, err = run(capsys, "import", str(source), "--server", "-")
    assert status == 0
    assert [m["name"] for m in json.loads(out)["models"]] == ["granite-3-8b-instruct"]
    assert "left out: Resource granite-3-8b-instruct: spec.dependencyOf" in err
    run(capsys, "import", str(source), "-o", str(tmp_path / "out.json"))
    assert (tmp_path / "out-no-server.json").exists()


def test_left_out_and_notes_go_to_standard_error(capsys: Capture) -> None:
    status, out, err = run(capsys, "import", str(CASES / "backstage-api.json"))
    assert status == 0
    assert json.loads(out)["modelServer"]["name"] == "served-model-server"
    assert "left out: Component served-model-server: metadata.uid" in err
    _status, _out, err = run(capsys, "import", str(CASES / "authenticated-openapi.yaml"))
    assert "inferred: authentication: true, inferred from the server tag 'authenticated'" in err
    _status, _out, err = run(capsys, "import", str(CASES / "no-auth-evidence.yaml"))
    assert "warning: authentication: nothing in the file says" in err


def test_server_is_refused_for_a_model_card(tmp_path: Path, capsys: Capture) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: mit\n---\n# Tiny\n\nA tiny model.\n", "utf-8")
    status, _out, err = run(capsys, "import", str(card), "--from", "model-card", "--server", "x")
    assert status == 2 and "--server is for catalog-info files" in err
