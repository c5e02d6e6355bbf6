"""The relationship graph: DOT text from entities, and SVG/PNG from the real ``dot``."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from catalog import graph
from catalog.convert import ConvertOptions, to_entities
from catalog.errors import CatalogError
from catalog.graph import (
    DotNotFoundError,
    GraphOptions,
    Ref,
    RenderError,
    count_models,
    export,
    library_to_dot,
    parse_ref,
    render,
    to_dot,
)
from catalog.schema import ModelCatalog

EXAMPLES = sorted((Path(__file__).parents[2] / "reference/model-catalog/examples").glob("*.json"))
SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
SERVER = "component:default/developer-model-service"
API = "api:default/developer-model-service"
GRANITE = "resource:default/ibm-granite-20b"
PLAIN = GraphOptions(show_legend=False, group_by="none")  # one rank of models, no clusters


@pytest.fixture
def dot_program() -> None:
    """Tests that run ``dot``: fail in CI without it, skip on a laptop without it."""
    if shutil.which("dot") is None:
        message = "the Graphviz `dot` program is not installed (apt-get install graphviz)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def entities_of(path: Path, **options: Any) -> list[dict[str, Any]]:
    catalog = ModelCatalog.model_validate(json.loads(path.read_text()))
    return to_entities(catalog, ConvertOptions(**options))


def entity(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": kind,
        "metadata": {"name": name, "description": f"the {name}"},
        "spec": {"lifecycle": "production", "owner": "user:jdoe", **spec},
    }


def server_with(models: list[str], name: str = "srv") -> list[dict[str, Any]]:
    """A Component depending on ``models`` and an API, the API, and one Resource per model."""
    depends = [f"resource:{m}" for m in models] + [f"api:{name}"]
    return [
        entity("Component", name, type="model-server", dependsOn=depends, providesApis=[name]),
        entity("API", name, type="openapi"),
        *(
            entity("Resource", m, type="ai-model", dependencyOf=[f"component:{name}"])
            for m in models
        ),
    ]


def ai_server(models: list[str], default: str | None = None) -> dict[str, Any]:
    models_spec = {"available": models, "default": default or models[0]}
    spec = {"type": "ai-model-server", "serverUrl": "https://x.io", "models": models_spec}
    return entity("AiModelServerAPI", "srv", **spec)


def node_ids(dot: str) -> list[str]:
    """Ids of the node statements in DOT text written by ``to_dot``."""
    return re.findall(r'^\t+"([^"]+)" \[label=', dot, flags=re.MULTILINE)


def node_style(dot: str, node_id: str) -> str:
    """The node defaults (shape, colours) in force where ``node_id`` is declared."""
    before = dot[: dot.index(f'\t"{node_id}" [label=')]
    return before[before.rindex("node [") :].split("\n", 1)[0]


def edge(tail: str, head: str) -> str:
    return f'"{tail}" -> "{head}"'


def svg_nodes(svg: bytes) -> dict[str, ET.Element]:
    """The SVG node groups by their <title> (the node id), legend nodes left out."""
    root = ET.fromstring(svg)
    groups = (g for g in root.iter(f"{SVG}g") if g.get("class") == "node")
    found = {g.findtext(f"{SVG}title") or "": g for g in groups}
    return {title: g for title, g in found.items() if not title.startswith("legend:")}


def texts(node: ET.Element) -> list[str]:
    return [t.text or "" for t in node.iter(f"{SVG}text")]


# -- the shared examples ----------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_draw_every_entity_and_relation(path: Path) -> None:
    entities = entities_of(path)
    dot = to_dot(entities, PLAIN)
    models = [e["metadata"]["name"] for e in entities if e["kind"] == "Resource"]
    expected = [SERVER, API] + [f"resource:default/{m}" for m in models]
    assert node_ids(dot) == expected
    for model in models:
        assert edge(SERVER, f"resource:default/{model}") in dot
    assert edge(SERVER, API) in dot
    assert dot.count(edge(SERVER, API)) == 2  # dependsOn and providesApi
    assert "shape=box" in dot and "shape=cylinder" in dot and "shape=hexagon" in dot
    assert 'style="rounded,filled"' in dot
    assert 'label="Component\\ndeveloper-model-service\\nmodel-server"' in dot
    assert 'label="Resource\\nibm-granite-20b\\nai-model"' in dot
    assert 'label="API\\ndeveloper-model-service\\nopenapi"' in dot
    assert "dashed" not in dot and "user:" not in dot and "dotted" not in dot


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_render_with_one_svg_node_per_entity(path: Path, dot_program: None) -> None:
    entities = entities_of(path)
    svg = render(to_dot(entities), "svg")
    names = {e["metadata"]["name"] for e in entities if e["kind"] == "Resource"}
    assert set(svg_nodes(svg)) == {SERVER, API} | {f"resource:default/{n}" for n in names}
    assert svg_nodes(svg)[SERVER].find(f"{SVG}g/{SVG}a") is not None  # has a tooltip


def test_ai_model_server_layout_draws_the_models_and_marks_the_default() -> None:
    [server] = entities_of(EXAMPLES[2], layout="ai-model-server")
    dot = to_dot([server], PLAIN)
    srv = "aimodelserverapi:default/developer-model-service"
    models = ["ibm-granite-20b", "mistral-7b", "gemma-2-2b"]
    assert node_ids(dot) == [srv] + [f"model:default/{m}" for m in models]
    assert "shape=box3d" in dot
    assert 'label="AiModelServerAPI\\ndeveloper-model-service\\nai-model-server"' in dot
    assert 'label="Model\\nibm-granite-20b\\ndefault"' in dot
    assert re.search(r'"model:default/ibm-granite-20b" \[[^]]*peripheries=2', dot)
    assert f"{edge(srv, 'model:default/ibm-granite-20b')} [label=default" in dot
    assert f"{edge(srv, 'model:default/mistral-7b')}\n" in dot


def test_ai_model_server_api_entity_ref_is_drawn() -> None:
    server = ai_server(["a"])
    server["spec"]["apiEntityRef"] = "api:srv-api"
    dot = to_dot([server, entity("API", "srv-api", type="openapi")], PLAIN)
    assert edge("aimodelserverapi:default/srv", "api:default/srv-api") in dot
    assert "not in catalog" not in dot


# -- mistakes, options and folding -------------------------------------------------------------


def test_a_dangling_reference_is_a_dashed_red_node_named_after_it() -> None:
    entities = server_with(["a"])
    entities[0]["spec"]["dependsOn"].append("resource:ghost")
    entities[2]["spec"]["dependencyOf"].append("component:Nowhere")
    dot = to_dot(entities, PLAIN)
    assert edge("component:default/srv", "resource:default/ghost") in dot
    assert edge("component:default/Nowhere", "resource:default/a") in dot
    assert 'label="not in catalog\\nresource:ghost"' in dot
    assert 'label="not in catalog\\ncomponent:Nowhere"' in dot
    assert 'style="dashed,filled"' in node_style(dot, "resource:default/ghost")
    assert 'color="#E0352B"' in node_style(dot, "component:default/Nowhere")
    assert "dashed" not in node_style(dot, "resource:default/a")


def test_a_dangling_reference_is_dashed_and_red_in_the_svg(dot_program: None) -> None:
    entities = server_with(["a"])
    entities[0]["spec"]["dependsOn"].append("resource:ghost")
    nodes = svg_nodes(render(to_dot(entities), "svg"))
    [outline] = nodes["resource:default/ghost"].iter(f"{SVG}polygon")
    assert outline.get("stroke") == "#e0352b" and outline.get("stroke-dasharray")
    assert texts(nodes["resource:default/ghost"]) == ["not in catalog", "resource:ghost"]


def test_references_ignore_case_and_default_their_kind() -> None:
    entities = server_with(["Granite"])
    entities[0]["spec"]["dependsOn"] = ["resource:default/granite", "api:SRV"]
    entities[0]["spec"]["providesApis"] = ["default/srv"]
    dot = to_dot(entities, PLAIN)
    assert "not in catalog" not in dot
    assert edge("component:default/srv", "resource:default/Granite") in dot


def test_a_reference_without_kind_in_depends_on_dangles() -> None:
    entities = server_with([])
    entities[0]["spec"]["dependsOn"] = ["srv"]
    assert 'label="not in catalog\\nsrv"' in to_dot(entities, PLAIN)


def test_owners_are_drawn_only_when_asked() -> None:
    entities = server_with(["a"])
    entities[2]["spec"]["owner"] = "group:ml/platform"
    assert "user:" not in to_dot(entities, PLAIN)
    dot = to_dot(entities, GraphOptions(show_owners=True, show_legend=False, group_by="none"))
    assert node_ids(dot)[-2:] == ["user:default/jdoe", "group:ml/platform"]
    assert 'label="User\\njdoe"' in dot and 'label="Group\\nplatform"' in dot
    assert "shape=ellipse" in dot and "shape=tab" in dot
    assert edge("component:default/srv", "user:default/jdoe") in dot
    assert edge("resource:default/a", "group:ml/platform") in dot


def test_inverse_relations_are_drawn_only_when_asked() -> None:
    entities = server_with(["a"])
    inverse = edge("resource:default/a", "component:default/srv")
    assert inverse not in to_dot(entities, PLAIN)
    dot = to_dot(entities, GraphOptions(show_inverse=True, show_legend=False, group_by="none"))
    assert dot.count(inverse) == 1
    assert dot.count(edge("api:default/srv", "component:default/srv")) == 2
    assert "style=dotted" in dot and "constraint=false" in dot


def test_direction_and_legend_options() -> None:
    entities = server_with(["a"])
    assert "rankdir=LR" in to_dot(entities)
    dot = to_dot(entities, GraphOptions(direction="TB"))
    assert "rankdir=TB" in dot and "cluster_legend" in dot
    assert '"legend:component"' in dot and '"legend:dependsOn"' in dot
    assert '"legend:user"' not in dot  # the legend explains only what is drawn
    assert "cluster_legend" not in to_dot(entities, PLAIN)
    with pytest.raises(ValueError, match="direction"):
        GraphOptions(direction="RL")  # type: ignore[arg-type]


def test_many_models_fold_into_one_node_unless_expanded() -> None:
    models = [f"m{i:02d}" for i in range(35)]
    entities = server_with(models)
    assert count_models(entities) == 35
    dot = to_dot(entities, PLAIN)
    drawn = [n for n in node_ids(dot) if n.startswith("resource:")]
    assert drawn == [f"resource:default/{m}" for m in models[:30]]
    assert 'label="Folded\\n5 more models"' in dot
    assert edge("component:default/srv", "fold:component:default/srv") in dot
    assert "m34" in dot  # named in the fold node's tooltip
    expanded = to_dot(entities, GraphOptions(expand_all=True, show_legend=False, group_by="none"))
    assert len([n for n in node_ids(expanded) if n.startswith("resource:")]) == 35
    assert "fold:" not in expanded
    assert "fold:" not in to_dot(entities, GraphOptions(fold_threshold=35, group_by="none"))
    everything = GraphOptions(fold_threshold=0, group_by="none")
    assert 'label="Folded\\n35 more models"' in to_dot(entities, everything)


def test_folding_drops_the_owner_edges_of_folded_models_and_unattached_models_fold_too() -> None:
    loose = [entity("Resource", f"m{i}", type="ai-model", owner=f"user:u{i}") for i in range(4)]
    options = GraphOptions(fold_threshold=2, show_owners=True, show_legend=False, group_by="none")
    dot = to_dot(loose, options)
    assert node_ids(dot) == [
        "resource:default/m0",
        "resource:default/m1",
        "user:default/u0",
        "user:default/u1",
        "fold:unattached",
    ]
    assert 'label="Folded\\n2 more models"' in dot


def test_ai_model_server_models_fold_with_the_default_edge_kept() -> None:
    server = ai_server([f"m{i}" for i in range(40)], default="m39")
    dot = to_dot([server], PLAIN)
    assert 'label="Folded\\n10 more models"' in dot
    fold = edge("aimodelserverapi:default/srv", "fold:aimodelserverapi:default/srv")
    assert f"{fold} [label=default" in dot
    assert count_models([server]) == 40


def test_duplicates_are_drawn_once_and_a_library_gets_one_cluster_per_catalog() -> None:
    first, second = server_with(["a", "shared"], "one"), server_with(["b"], "two")
    shared = entity("Resource", "shared", type="ai-model")
    assert node_ids(to_dot(first + first, PLAIN)) == node_ids(to_dot(first, PLAIN))
    dot = library_to_dot({"Team <one>": first, "two": [*second, shared]}, PLAIN)
    assert node_ids(dot).count("resource:default/shared") == 1
    assert "subgraph cluster_0" in dot and "subgraph cluster_1" in dot
    assert 'label="Team <one>"' in dot and "label=two" in dot
    assert dot.index("resource:default/shared") < dot.index("subgraph cluster_1")


def test_an_entity_without_a_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=r"metadata\.name"):
        to_dot([{"kind": "Component", "metadata": {}}])


@pytest.mark.parametrize(
    ("text", "default_kind", "expected"),
    [
        ("resource:granite", "unknown", Ref("resource", "default", "granite")),
        ("Resource:ns/granite", "unknown", Ref("resource", "ns", "granite")),
        ("granite", "api", Ref("api", "default", "granite")),
        ("team/granite", "group", Ref("group", "team", "granite")),
        (" user:jdoe ", "group", Ref("user", "default", "jdoe")),
    ],
)
def test_parse_ref(text: str, default_kind: str, expected: Ref) -> None:
    assert parse_ref(text, default_kind) == expected


def test_node_ids_are_references_with_anything_odd_percent_encoded() -> None:
    assert Ref("resource", "default", "ibm-granite_3.1").id == "resource:default/ibm-granite_3.1"
    assert Ref("resource", "default", 'a "b"\n').id == "resource:default/a%20%22b%22%0A"


# -- hostile text ------------------------------------------------------------------------------

HOSTILE = [
    'quote " inside',
    "braces { } and brackets [ ]",
    "<b>bold</b>",
    "<<b>html label</b>>",
    "<script>alert(1)</script>",
    "line\nbreak\r\nand\ttab",
    "back\\slash \\N \\G \\l \\n",
    "ends with a backslash\\",
    "x" * 300,
    'a"]; evil [shape=none]; b -> c; {',
    "semi;colon -- dash -> arrow",
    "&amp; &lt;tag&gt; &#60; &",
    "]]> <!-- comment --> <?pi?>",
    "nul\x00 and \x1b escape",
    "ünïcødé 日本語 🙂",
    "name:with/colon",
]
SVG_TAGS = {"svg", "g", "title", "polygon", "path", "ellipse", "text", "a", "polyline"}


def shown(text: str, limit: int = graph.MAX_LABEL_CHARS) -> str:
    """What a label line shows: one line of plain text, cut with an ellipsis."""
    line = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_renders_as_plain_text(text: str, dot_program: None) -> None:
    model = entity("Resource", text, type="ai-model")
    model["metadata"]["description"] = text
    srv = entity("Component", text + " server", type="model-server", dependsOn=[f"resource:{text}"])
    srv["spec"]["owner"] = model["spec"]["owner"] = f"user:{text}"
    options = GraphOptions(show_owners=True, show_legend=False)
    dot = library_to_dot({text: [srv, model]}, options)
    assert "label=<" not in dot and "tooltip=<" not in dot

    svg = render(dot, "svg")
    root = ET.fromstring(svg)  # well-formed: nothing broke out of its attribute or text
    assert {el.tag.removeprefix(SVG) for el in root.iter()} <= SVG_TAGS
    nodes = svg_nodes(svg)
    model_id = Ref("resource", "default", text).id
    assert texts(nodes[model_id]) == [shown(text)]  # in its owner's box: the name says it
    anchor = nodes[model_id].find(f"{SVG}g/{SVG}a")
    assert anchor is not None
    tooltip = f"{shown('resource:default/' + text, 10**6)}\n{shown(text, 300)}"
    assert anchor.get(XLINK_TITLE) == tooltip.replace("\\", "\uff3c")
    owner = parse_ref(f"user:{text}")
    assert texts(nodes[owner.id]) == ["User", shown(owner.name)]
    # Only the nodes drawn: the model, the server, its owner, perhaps one dangling ref.
    resolved = "/" not in text and ":" not in text
    assert len(nodes) == 3 + (not resolved)
    clusters = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    titles = [c.findtext(f"{SVG}text") or "" for c in clusters]
    assert titles[0] == shown(text, 60) and len(titles) == 2
    owner_title = f"Owner: user:{owner.namespace + '/' if owner.namespace != 'default' else ''}"
    assert titles[1] == shown(f"{owner_title}{owner.name} · 1 model", 70)


def test_a_label_made_only_of_user_text_is_still_no_html_label(dot_program: None) -> None:
    # Kind first and type last: "<i\nname\nx>" would be one HTML label if not marked plain.
    odd = entity("<i", "name", type="x>")
    dot = to_dot([odd], PLAIN)
    assert 'label="<i\\nname\\nx>"' in dot
    [node] = svg_nodes(render(dot, "svg")).values()
    assert texts(node) == ["<i", "name", "x>"]


def test_hostile_text_also_renders_as_png(dot_program: None) -> None:
    entities = [entity("Resource", text, type="ai-model") for text in HOSTILE]
    assert render(to_dot(entities), "png").startswith(b"\x89PNG\r\n\x1a\n")


# -- rendering ---------------------------------------------------------------------------------


def test_render_gives_svg_and_png_bytes(dot_program: None) -> None:
    dot = to_dot(entities_of(EXAMPLES[0]))
    svg = render(dot, "svg")
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert render(dot, "png").startswith(b"\x89PNG\r\n\x1a\n")
    assert export(entities_of(EXAMPLES[0]), "svg").startswith(b"<?xml")
    assert export(entities_of(EXAMPLES[0]), "dot") == dot.encode()


def test_without_dot_rendering_says_to_install_graphviz(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not graph.dot_available()
    with pytest.raises(DotNotFoundError, match="apt-get install graphviz") as caught:
        render("digraph {}", "svg")
    assert isinstance(caught.value, CatalogError)
    assert export(entities_of(EXAMPLES[0]), "dot").startswith(b"digraph catalog {")


def test_render_reports_dot_failures_timeouts_and_size(
    monkeypatch: pytest.MonkeyPatch, dot_program: None
) -> None:
    with pytest.raises(RenderError, match="failed"):
        render("digraph { a -> }", "svg")
    with pytest.raises(RenderError, match="longer than"):
        render(to_dot(server_with([f"m{i}" for i in range(200)])), "svg", timeout=1e-6)
    monkeypatch.setattr(graph, "MAX_DOT_BYTES", 100)
    with pytest.raises(RenderError, match="too large"):
        render(to_dot(server_with(["a"])), "png")


def test_wrong_formats_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="fmt"):
        render("digraph {}", "pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fmt"):
        export([], "jpeg")  # type: ignore[arg-type]
