"""``python -m catalog validate INPUT --backstage URL`` against a real Backstage backend."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from catalog.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "triton-grpc-server.json"


@pytest.fixture
def token(backstage: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", backstage.token)
    return str(backstage.token)


def test_a_valid_catalog_is_accepted_by_backstage_entity_by_entity(
    backstage: Any, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(EXAMPLE), "--backstage", backstage.url]) == 0
    out = capsys.readouterr().out
    for ref in (
        "component:default/vision-inference",
        "api:default/vision-inference",
        "resource:default/defect-detector-yolov8",
        "resource:default/resnet50-panel-classifier",
    ):
        assert f"backstage: ok: {ref}" in out
    assert "backstage: 4 of 4 entities accepted" in out


def test_the_ai_model_server_layout_is_checked_too(
    backstage: Any, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["validate", str(EXAMPLE), "--backstage", backstage.url, "--layout", "ai-model-server"]
    assert main(args) == 0
    assert "backstage: 1 of 1 entities accepted" in capsys.readouterr().out


def test_an_invalid_catalog_gets_backstage_message_next_to_ours(
    backstage: Any, token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(EXAMPLE.read_text("utf-8"))
    document["models"][0]["annotations"] = {"not a key": "x"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), "utf-8")
    assert main(["validate", str(bad), "--backstage", backstage.url]) == 1
    out = capsys.readouterr().out
    assert "error: models.0.annotations: annotation key 'not a key' is not valid" in out
    refused = [line for line in out.splitlines() if line.startswith("backstage: error: ")]
    assert len(refused) == 1, out
    assert refused[0].startswith("backstage: error: resource:default/defect-detector-yolov8: ")
    assert "annotations" in refused[0]
    assert "backstage: ok: component:default/vision-inference" in out
    assert "backstage: 3 of 4 entities accepted" in out


def test_a_wrong_token_cannot_run_and_says_why(
    backstage: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", "not-the-token")
    assert main(["validate", str(EXAMPLE), "--backstage", backstage.url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "refused the token (401)" in err[0]


def test_an_unreachable_backstage_is_exit_2_with_one_line_and_no_traceback() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "catalog", "validate", str(EXAMPLE)]
    done = subprocess.run(
        [*command, "--backstage", f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: Backstage is unreachable at http://127.0.0.1:{port}")
    assert "Traceback" not in done.stderr


def test_a_url_that_is_not_one_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE), "--backstage", "localhost:7007"]) == 2
    assert "is not a Backstage URL" in capsys.readouterr().err


def test_a_catalog_that_does_not_convert_is_not_sent_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"models": [{"name": "no-owner"}]}), "utf-8")
    # Nothing listens there: the command must not even try.
    assert main(["validate", str(bad), "--backstage", "http://127.0.0.1:9"]) == 1
    out = capsys.readouterr().out
    assert "backstage: not asked: the catalog does not convert to entities yet" in out
