"""The core never imports Streamlit: CI pipelines run it without the app."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from core_helpers import ROOT

CATALOG = ROOT / "catalog"
#: Modules that run something when imported: the entry point, and Alembic's environment
#: script, which only works inside an Alembic command.  Both are checked by the grep.
RUN_ON_IMPORT = {"catalog.__main__", "catalog.migrations.env"}

PROBE = f"""
import importlib, json, pkgutil, sys
import catalog
names = sorted(
    m.name for m in pkgutil.walk_packages(catalog.__path__, "catalog.")
    if m.name not in {sorted(RUN_ON_IMPORT)!r}
)
for name in names:
    importlib.import_module(name)
print(json.dumps({{"modules": names, "streamlit": sorted(
    m for m in sys.modules if m == "streamlit" or m.startswith("streamlit.")
)}}))
"""


def test_importing_every_core_module_loads_no_streamlit() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert {"catalog.cli", "catalog.validate", "catalog.emit", "catalog.reverse"} <= set(
        found["modules"]
    )
    assert found["streamlit"] == []


def test_no_core_source_mentions_streamlit_in_an_import() -> None:
    pattern = re.compile(r"^\s*(import|from)\s+streamlit\b|import_module\(\s*['\"]streamlit", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted(CATALOG.rglob("*.py"))
        if pattern.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_command_line_runs_without_streamlit_installed() -> None:
    """Make ``import streamlit`` fail outright: the CLI must not notice."""
    example = str(ROOT / "reference" / "model-catalog" / "examples" / "001-min-values.json")
    probe = (
        "import sys; sys.modules['streamlit'] = None\n"
        "from catalog.cli import main\n"
        f"sys.exit(main(['validate', {example!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout
