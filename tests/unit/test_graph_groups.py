"""Grouped layouts: one cluster per owner, lifecycle or tag, its models in a grid.

Also the fold per group, the lead of the one server and its API, the marks for models
with errors, and the SVG the page shows (sanitised).
"""

from __future__ import annotations

import os
import re
import shutil
from typing import Any

import pytest

from catalog import graph
from catalog.graph import (
    GraphOptions,
    RenderError,
    fold_group,
    fold_node_id,
    library_to_dot,
    render,
    safe_svg,
    to_dot,
)

TEAMS = ("nlp", "vision", "speech")
SERVER = "component:default/srv"
API = "api:default/srv"


@pytest.fixture
def dot_program() -> None:
    """Tests that run ``dot``: fail in CI without it, skip on a laptop without it."""
    if shutil.which("dot") is None:
        message = "the Graphviz `dot` program is not installed (apt-get install graphviz)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def entity(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    tags = spec.pop("tags", [])
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": kind,
        "metadata": {"name": name, "description": f"the {name}", "tags": tags},
        "spec": {"lifecycle": "production", "owner": "group:platform", **spec},
    }


def catalog(count: int, teams: tuple[str, ...] = TEAMS) -> list[dict[str, Any]]:
    """A server depending on ``count`` models and its API; model i owned by team i % n."""
    names = [f"m{i:03d}" for i in range(count)]
    depends = [f"resource:{n}" for n in names]
    models = [
        entity(
            "Resource",
            n,
            type="ai-model",
            owner=f"group:{teams[i % len(teams)]}",
            lifecycle="experimental" if i % 2 else "production",
            tags=[f"tag-{i % 2}", "llm"],
            dependencyOf=["component:srv"],
        )
        for i, n in enumerate(names)
    ]
    return [
        entity("Component", "srv", type="model-server", dependsOn=depends, providesApis=["srv"]),
        entity("API", "srv", type="openapi"),
        *models,
    ]


def block(dot: str, start: int) -> str:
    """The text of the ``{ ... }`` block opened just before ``start``."""
    depth = 1
    for end, char in enumerate(dot[start:]):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return dot[start : start + end]
    raise AssertionError("unbalanced braces")


def clusters(dot: str) -> dict[str, str]:
    """Each group cluster's DOT text, by its title."""
    found: dict[str, str] = {}
    for match in re.finditer(r"subgraph (cluster_group_\d+) \{", dot):
        text = block(dot, match.end())
        title = re.search(r'label="([^"]*)"', text)
        assert title is not None
        found[title.group(1)] = text
    return found


def ids_in(text: str) -> list[str]:
    return re.findall(r'^\t+"(resource:[^"]+)" \[', text, flags=re.MULTILINE)


PLAIN = GraphOptions(show_legend=False)


def test_models_are_grouped_by_owner_in_one_cluster_each() -> None:
    dot = to_dot(catalog(9), PLAIN)
    found = clusters(dot)
    assert set(found) == {f"Owner: group:{t} · 3 models" for t in TEAMS}
    assert ids_in(found["Owner: group:nlp · 3 models"]) == [
        "resource:default/m000",
        "resource:default/m003",
        "resource:default/m006",
    ]
    assert "newrank=true" in dot and "compound=true" in dot
    # In its owner's box a model shows its name only: the box says the rest.
    assert '"resource:default/m000" [label=m000 ' in dot


@pytest.mark.parametrize(
    ("group_by", "titles"),
    [
        ("lifecycle", {"Lifecycle: production · 5 models", "Lifecycle: experimental · 4 models"}),
        ("tag", {"Tag: tag-0 · 5 models", "Tag: tag-1 · 4 models"}),  # the first tag
    ],
)
def test_models_can_be_grouped_by_lifecycle_or_first_tag(group_by: str, titles: set[str]) -> None:
    dot = to_dot(catalog(9), GraphOptions(show_legend=False, group_by=group_by))  # type: ignore[arg-type]
    assert set(clusters(dot)) == titles


def test_no_grouping_draws_no_clusters() -> None:
    dot = to_dot(catalog(9), GraphOptions(show_legend=False, group_by="none"))
    assert "cluster" not in dot and "newrank" not in dot
    with pytest.raises(ValueError, match="group_by"):
        GraphOptions(group_by="team")  # type: ignore[arg-type]


def test_a_group_is_a_grid_of_rank_sets_chained_by_invisible_edges() -> None:
    dot = to_dot(catalog(24, teams=("nlp",)), PLAIN)  # one group of 24
    (body,) = clusters(dot).values()
    members = ids_in(body)
    assert len(members) == 24
    # The first rank set shares a rank; every other model hangs off the one before it
    # in its line, one rank further: a grid, not a single rank of 24.
    first = body[body.index("rank=same") : body.index("}")]
    columns = len(ids_in(first))
    assert 1 < columns < 24
    chains = re.findall(r'"(resource:[^"]+)" -> "(resource:[^"]+)"', body)
    assert len(chains) == 24 - columns and "style=invis" in body
    heads = {head for _, head in chains}
    assert heads == set(members) - set(ids_in(first))


def test_an_edge_that_reaches_every_model_of_a_group_is_drawn_once_to_its_cluster() -> None:
    dot = to_dot(catalog(9), PLAIN)
    compound = re.findall(rf'"{SERVER}" -> "(resource:[^"]+)" \[lhead=(cluster_group_\d+)\]', dot)
    assert len(compound) == 3  # one per owner's box
    assert len({cluster for _, cluster in compound}) == 3
    # No plain server -> model edge is left.
    assert not re.search(rf'"{SERVER}" -> "resource:[^"]+"\n', dot)
    # A model with an edge its group-mates lack keeps its own edge.
    entities = catalog(9)
    entities[2]["spec"]["dependsOn"] = ["api:srv"]  # the first model, m000
    dot = to_dot(entities, PLAIN)
    assert '"resource:default/m000" -> "api:default/srv"' in dot


def test_the_one_server_and_its_api_lead_the_picture() -> None:
    dot = to_dot(catalog(3), PLAIN)
    lead = block(dot, dot.rindex("{", 0, dot.index("rank=min")) + 1)
    assert f'"{SERVER}" [' in lead and f'"{API}" [' in lead
    # Two servers: nobody leads.
    library = library_to_dot({"a": catalog(2), "b": catalog(2)}, PLAIN)
    assert "rank=min" not in library


def test_each_group_folds_its_share_and_the_fold_names_what_it_hides() -> None:
    entities = catalog(60)
    dot = to_dot(entities, PLAIN)  # 60 models > 30: fold, 30 // 3 - 1 = 9 shown each
    found = clusters(dot)
    assert set(found) == {f"Owner: group:{t} · 20 models" for t in TEAMS}
    for team in TEAMS:
        body = found[f"Owner: group:{team} · 20 models"]
        assert len(ids_in(body)) == 9
        fold = fold_node_id(f"|group:{team}")
        assert f'"{fold}" [label="+ 11 more models\\nclick to show"' in body
        assert fold_group(fold) == f"|group:{team}"
    # The tooltip lists the hidden models by name.
    tooltip = re.search(r'"fold:group/%7Cgroup:nlp" \[[^]]*tooltip="([^"]*)"', dot)
    assert tooltip is not None
    assert tooltip.group(1).startswith("11 more models (click to show them):\nm027\nm030")
    # Expanding one group (as a click on its fold does) draws all its models.
    opened = to_dot(entities, GraphOptions(show_legend=False, expanded=frozenset({"|group:nlp"})))
    assert len(ids_in(clusters(opened)["Owner: group:nlp · 20 models"])) == 20
    assert len(ids_in(clusters(opened)["Owner: group:vision · 20 models"])) == 9
    assert fold_group("resource:default/m000") is None


def test_models_with_errors_are_marked_and_kept_in_sight_when_folding() -> None:
    entities = catalog(60)
    options = GraphOptions(show_legend=False, problems=(("m057", 2), ("srv", 1)))
    dot = to_dot(entities, options)
    marked = re.search(r'"resource:default/m057" \[label="m057\\n⚠ 2 errors"([^]]*)\]', dot)
    assert marked is not None  # not folded away, though it is the nlp team's last model
    assert 'color="#E0352B"' in marked.group(1) and "penwidth=2.5" in marked.group(1)
    assert "2 errors: fix them on the Author page" in marked.group(1)
    assert re.search(rf'"{SERVER}" \[label="Component\\nsrv\\nmodel-server\\n⚠ 1 error"', dot)


HOSTILE_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x "boom">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="10pt" height="10pt" onload="alert(1)">
<script>alert(2)</script>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
<g class="node" onclick="alert(3)" style="background:url(javascript:alert(4))">
<a xlink:href="javascript:alert(5)" href="javascript:alert(6)" xlink:title="tip">
<text>&x;</text></a>
</g></svg>"""


def test_safe_svg_keeps_only_drawing_and_refuses_entities() -> None:
    with pytest.raises(RenderError):
        safe_svg(HOSTILE_SVG)  # an entity declaration: refused outright
    cleaned = safe_svg(HOSTILE_SVG.replace(b"&x;", b"text").replace(b"<!DOCTYPE", b"<!-- "))
    for bad in ("script", "foreignObject", "onload", "onclick", "javascript", "href", "style"):
        assert bad not in cleaned
    assert 'xlink:title="tip"' in cleaned and "<text>text</text>" in cleaned
    with pytest.raises(RenderError):
        safe_svg(b"<html><svg/></html>")
    with pytest.raises(RenderError):
        safe_svg(b"no picture")


def test_safe_svg_of_a_real_graph_keeps_every_node_and_tooltip(dot_program: None) -> None:
    entities = catalog(6)
    entities[2]["metadata"]["description"] = '<script>alert("x")</script> & "quotes"'
    svg = render(to_dot(entities, PLAIN), "svg")
    cleaned = safe_svg(svg)
    assert cleaned.count('class="node"') == svg.decode().count('class="node"')
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in cleaned
    assert "<script" not in cleaned


def test_many_groups_wrap_into_bands_of_clusters_top_to_bottom() -> None:
    teams = ("nlp", "vision", "speech", "search", "infra")
    entities = catalog(60, teams=teams)
    dot = to_dot(entities, GraphOptions(show_legend=False, direction="TB"))
    found = clusters(dot)
    where = {node: title for title, body in found.items() for node in ids_in(body)}
    # Side by side, five clusters would make a picture five times wider than tall: the
    # later clusters start below the earlier ones, held there by invisible edges.
    band = block(dot, dot.rindex("{", 0, dot.rindex("edge [style=invis]")) + 1)
    links = re.findall(r'"(resource:[^"]+)" -> "(resource:[^"]+)"', band)
    assert links and all(where[tail] != where[head] for tail, head in links)
    # Left to right, the same catalog fits in one band: no such edges.
    assert len(re.findall(r"edge \[style=invis\]", to_dot(entities, PLAIN))) == len(teams)


@pytest.mark.parametrize("shape", [(1, 1), (3, 1), (40, 1)])
def test_whatever_the_grid_every_model_is_drawn_beyond_the_server(
    shape: tuple[int, int], monkeypatch: pytest.MonkeyPatch, dot_program: None
) -> None:
    import xml.etree.ElementTree as ET

    monkeypatch.setattr(graph, "_grid_shape", lambda *args: shape)
    svg = render(to_dot(catalog(12), PLAIN), "svg")
    ns = "{http://www.w3.org/2000/svg}"
    xs: dict[str, list[float]] = {}
    for node in ET.fromstring(svg).iter(f"{ns}g"):
        if node.get("class") == "node":
            title = node.findtext(f"{ns}title") or ""
            points = [
                float(x)
                for shape_el in node.iter()
                for x in re.findall(r"(-?[\d.]+),-?[\d.]+", shape_el.get("points", ""))
            ] + [float(e.get("x", "nan")) for e in node.iter(f"{ns}text")]
            xs[title] = [x for x in points if x == x]
    server_right = max(xs[SERVER])
    models = [t for t in xs if t.startswith("resource:")]
    assert len(models) == 12
    for model in models:
        assert min(xs[model]) > server_right, (model, shape)
