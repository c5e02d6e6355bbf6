"""``validate`` and ``convert`` import only what they use: a pipeline starting them for
every catalog should not pay for pydantic's model building, Graphviz, Markdown, the
store, the Hugging Face client or the app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from core_helpers import EXAMPLES_DIR, ROOT

EXAMPLE = EXAMPLES_DIR / "003-multiple-models.json"

#: Modules none of validate/convert needs, and what each would mean.
HEAVY = {
    "pydantic.main": "pydantic's BaseModel (building the models doubles a command's start)",
    "catalog.schema": "the pydantic models (the app's; the command line checks the shape)",
    "catalog.graph": "the graph",
    "catalog.techdocs": "the TechDocs bundle",
    "catalog.reverse": "the import",
    "catalog.modelcard": "the model-card import",
    "catalog.store": "the store",
    "graphviz": "Graphviz",
    "markdown": "Markdown",
    "markdown_it": "Markdown",
    "huggingface_hub": "the Hugging Face client",
    "sqlalchemy": "the store's database layer",
    "alembic": "the store's migrations",
    "psycopg": "PostgreSQL",
    "jsonschema": "JSON Schema validation (the tests' own)",
    "streamlit": "the app",
    "requests": "HTTP (only validate --backstage and publishing talk to Backstage)",
    "httpx": "HTTP",
    "http.client": "HTTP",
    "urllib.request": "HTTP",
    "catalog.backstage_api": "the Backstage client",
    "catalog.backstage_cli": "validate --backstage",
    "catalog.publish": "publishing",
    "importlib.resources": "package data by importlib (a plain file read will do)",
    "tempfile": "tempfile (the output is written with os)",
    "shutil": "shutil (argparse's width is found without it)",
}

PROBE = """
import json, runpy, sys
report, argv = sys.argv[1], sys.argv[2:]
sys.argv = ["catalog", *argv]
try:
    runpy.run_module("catalog", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    status = exc.code
with open(report, "w") as fh:
    json.dump({"status": status, "modules": sorted(sys.modules)}, fh)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(EXAMPLE)],
        ["validate", str(EXAMPLE), "--format", "json"],
        ["convert", str(EXAMPLE)],
        ["convert", str(EXAMPLE), "--format", "json", "--fix"],
        ["convert", str(EXAMPLE), "--layout", "ai-model-server"],
        ["convert", str(EXAMPLE), "-o", "OUT"],
    ],
    ids=lambda argv: " ".join(a for a in argv if a != str(EXAMPLE)),
)
def test_validate_and_convert_import_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    argv = [str(tmp_path / "out.yaml") if a == "OUT" else a for a in argv]
    report = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert report.exists(), result.stderr
    found = json.loads(report.read_text("utf-8"))
    assert found["status"] == 0, result.stderr
    loaded = set(found["modules"])
    heavy = {
        name: why
        for name, why in HEAVY.items()
        if name in loaded or any(m.startswith(name + ".") for m in loaded)
    }
    assert heavy == {}
    assert "catalog.validate" in loaded and "catalog.emit" in loaded  # the probe ran them


def test_the_app_side_still_gets_the_pydantic_models(tmp_path: Path) -> None:
    """The docs command needs the models for the bundle: it builds them on demand."""
    report = tmp_path / "modules.json"
    out = tmp_path / "docs.zip"
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), "docs", str(EXAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    found = json.loads(report.read_text("utf-8"))
    assert found["status"] == 0, result.stderr
    assert "catalog.schema" in found["modules"]
    assert out.read_bytes()[:2] == b"PK"
