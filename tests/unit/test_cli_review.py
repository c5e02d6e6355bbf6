"""What a first-time user of ``python -m catalog`` runs into (found by trying it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
CARD = DATA / "model-cards" / "code-llm.md"
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
