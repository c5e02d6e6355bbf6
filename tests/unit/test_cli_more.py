"""The graph, docs and model-card commands of ``python -m catalog``."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from core_helpers import EXAMPLES

from catalog.cli import main

Capture = pytest.CaptureFixture[str]
CARDS = Path(__file__).resolve().parents[1] / "data" / "model-cards"
MULTI = next(p for p in EXAMPLES if "multiple" in p.name)


def test_graph_writes_dot_with_one_node_per_entity(capsys: Capture, tmp_path: Path) -> None:
    out = tmp_path / "graph.dot"
    assert main(["graph", str(MULTI), "-o", str(out)]) == 0
    dot = out.read_text()
    assert dot.startswith("digraph")
    for ref in (
        "component:default/developer-model-service",
        "api:default/developer-model-service",
        "resource:default/mistral-7b",
    ):
        assert f'"{ref}"' in dot
    assert '"user:' not in dot  # owner nodes only on request
    assert 'label="Owner: user:example-user · ' in dot  # models grouped by owner
    out_none = tmp_path / "none.dot"
    assert main(["graph", str(MULTI), "--group-by", "none", "-o", str(out_none)]) == 0
    assert "cluster_group" not in out_none.read_text()
    assert main(["graph", str(MULTI), "--owners", "--direction", "TB", "-o", str(out)]) == 0
    dot = out.read_text()
    assert '"user:default/example-user"' in dot and "rankdir=TB" in dot


def test_graph_renders_svg_and_png(capsys: Capture, tmp_path: Path) -> None:
    svg, png = tmp_path / "g.svg", tmp_path / "g.png"
    assert main(["graph", str(MULTI), "--format", "svg", "-o", str(svg)]) == 0
    root = ElementTree.fromstring(svg.read_bytes())
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert "resource:default/gemma-2-2b" in titles
    assert main(["graph", str(MULTI), "--format", "png", "-o", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_graph_without_dot_exits_2_with_a_plain_message(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "g.svg"
    assert main(["graph", str(MULTI), "--format", "svg", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Graphviz" in err and "Traceback" not in err and not out.exists()


def test_docs_writes_a_techdocs_bundle(capsys: Capture, tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    assert main(["docs", str(MULTI), "-o", str(out)]) == 0
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert {"catalog-info.yaml", "mkdocs.yml", "docs/index.md"} <= set(names)
    assert "mistral-7b/docs/index.md" in names
    assert "wrote" in capsys.readouterr().err


def test_import_model_card_with_owner_gives_a_valid_catalog(
    capsys: Capture, tmp_path: Path
) -> None:
    card = sorted(CARDS.glob("*.md"))[0]
    out = tmp_path / "catalog.json"
    assert main(["import", str(card), "--from", "model-card", "--owner", "group:ml",
                 "-o", str(out)]) == 0  # fmt: skip
    document = json.loads(out.read_text())
    assert document["models"][0]["owner"] == "group:ml"
    assert main(["validate", str(out)]) == 0
