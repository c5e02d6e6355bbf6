"""The Graph page in AppTest: what a user sees for empty, valid, broken and large catalogs."""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from editor_helpers import put_document
from streamlit.testing.v1 import AppTest

from catalog.graph import GraphOptions, to_dot
from tests.catalogs import with_models
from ui import graph_view

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
EXAMPLE: dict[str, Any] = json.loads(
    (ROOT / "examples" / "developer-model-service.json").read_text("utf-8")
)
SERVER = "component:default/developer-model-service"
API = "api:default/developer-model-service"
MODELS = [f"resource:default/{m['name']}" for m in EXAMPLE["models"]]
OWNER = "group:default/ai-platform"


def graph_page(document: dict[str, Any] | None, **widgets: Any) -> AppTest:
    """The app on its Graph page with ``document`` being edited and widgets set by key."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if document is not None:
        put_document(at, document)
    at.switch_page("pages/graph.py").run()
    for key, value in widgets.items():
        at.session_state[key] = value
    if widgets:
        at.run()
    assert not at.exception, at.exception
    return at


def chart(at: AppTest) -> str:
    """The DOT text of the page's one graph (zoomable SVG, or DOT drawn by the browser)."""
    charts = at.get("graphviz_chart")
    zoomable = svg_data(at)
    assert len(charts) + len(zoomable) == 1
    if charts:
        return str(charts[0].proto.spec)
    dot = str(at.session_state["graph.dot"])
    titles = re.findall(r'class="node">\s*<title>([^<]*)</title>', zoomable[0]["svg"])
    assert titles
    for title in titles:  # the picture is this DOT's: every node drawn is in both
        assert f'"{html.unescape(title)}" [' in dot or f"\t{html.unescape(title)} [" in dot
    return dot


def svg_data(at: AppTest) -> list[dict[str, Any]]:
    """The data of the page's zoomable charts: the sanitised SVG and its height."""
    return [json.loads(c.proto.json) for c in at.get("bidi_component")]


def shown(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, alerts), joined."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def downloads(at: AppTest) -> dict[str, Any]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


def test_empty_catalog_points_to_the_author_page() -> None:
    at = graph_page(None)
    assert "Nothing to draw yet" in shown(at)
    assert not at.get("graphviz_chart") and not svg_data(at)
    links = at.get("page_link")
    # The frame's own links (the page menu for phones) are named by page title alone.
    assert [link.proto.label for link in links if " " in link.proto.label] == [
        "Open the Author page"
    ]


def test_example_draws_one_node_per_entity_with_owner_and_downloads() -> None:
    at = graph_page(EXAMPLE)
    dot = chart(at)
    for ref in [SERVER, API, *MODELS, OWNER]:
        assert f'"{ref}" [' in dot
    assert "rankdir=LR" in dot
    text = shown(at)
    assert "**developer\\-model\\-service** serves **2 models**" in text
    assert "**openapi** API" in text
    assert "How to read it" in text
    assert "cannot be exported" not in text
    buttons = downloads(at)
    assert set(buttons) == {"Download DOT", "Download SVG", "Download PNG"}
    assert not any(b.disabled for b in buttons.values())
    assert buttons["Download DOT"].url  # the DOT text is ready; pictures render on click
    assert buttons["Download SVG"].deferred_file_id and buttons["Download PNG"].deferred_file_id
    assert all(b.ignore_rerun for b in buttons.values())


def test_controls_change_the_drawing() -> None:
    at = graph_page(EXAMPLE)
    base = chart(at)
    at.segmented_control(key="graph.direction").set_value("TB").run()
    assert "rankdir=TB" in chart(at)
    at.toggle(key="graph.owners").set_value(False).run()
    plain = chart(at)
    assert OWNER not in plain and OWNER in base
    at.toggle(key="graph.inverse").set_value(True).run()
    inverse = chart(at)  # each dependsOn/providesApi edge again, reversed and dotted
    assert inverse.count("->") == 2 * plain.count("->")
    assert "style=dotted" in inverse and "style=dotted" not in plain
    at.segmented_control(key="graph.layout").set_value("ai-model-server").run()
    dot = chart(at)
    assert '"aimodelserverapi:default/developer-model-service" [' in dot
    assert "resource:" not in dot
    assert "serves" in shown(at)  # the caption explains the layout's arrows
    assert not at.exception


def test_a_broken_name_still_draws_and_the_dangling_reference_stands_out() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["models"][1]["name"] = "mistralai/Mistral 7B"
    at = graph_page(doc)
    dot = chart(at)
    assert '"resource:mistralai/Mistral7B" [' in dot  # server -> a name that is not there
    assert "not in catalog" in dot
    text = shown(at)
    assert "This catalog has **1 error**" in text
    assert "Open the Author page" in [link.proto.label for link in at.get("page_link")]
    assert "**Model 2 › name**: " in text.replace("\\", "")  # few errors: listed as they are
    assert not at.get("expander")


def test_many_errors_are_listed_in_an_expander() -> None:
    doc = copy.deepcopy(EXAMPLE)
    for model in doc["models"]:
        model["name"] = model["name"] + "/x"
    doc["modelServer"]["homepageURL"] = "not a url"
    doc["modelServer"]["API"]["url"] = "not a url"
    at = graph_page(doc)
    errors = len(at.session_state["_graph.drawing"][1].report.errors)
    assert errors > 3
    assert f"This catalog has **{errors} errors**" in shown(at)
    expander = at.get("expander")
    assert len(expander) == 1 and expander[0].proto.label == f"Show the {errors} errors"


def test_parts_that_do_not_fit_the_schema_are_repaired_or_left_out_with_a_note() -> None:
    doc = copy.deepcopy(EXAMPLE)
    del doc["models"][0]["owner"]  # missing: drawn anyway
    doc["models"][0]["tags"] = ["ok", 7]  # wrong item: left out
    doc["models"][1]["colour"] = "blue"  # unknown field: left out
    doc["models"].append("not a model")
    at = graph_page(doc)
    dot = chart(at)
    for ref in [SERVER, API, *MODELS]:
        assert f'"{ref}" [' in dot
    assert "Model 3 is not drawn until its errors are fixed." in shown(at).replace("\\", "")


def test_user_text_is_never_markup() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["modelServer"]["owner"] = "<img src=x onerror=alert(1)> :red[boom] **bold**"
    at = graph_page(doc)
    text = shown(at)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in text
    assert not re.search(r"(?<!\\)<img", text)  # every < is escaped
    assert ":red[boom]" not in text and "**bold**" not in text
    assert all(not e.proto.allow_html for e in at.markdown)


def test_a_model_without_a_name_is_left_out_without_a_broken_node() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["models"][1]["name"] = "  "
    at = graph_page(doc)
    dot = chart(at)
    assert f'"{MODELS[0]}" [' in dot
    assert "not in catalog" not in dot
    assert "A Resource without a name is not drawn." in shown(at).replace("\\", "")


def test_ai_model_server_layout_without_an_api_says_why_instead_of_drawing() -> None:
    doc = copy.deepcopy(EXAMPLE)
    del doc["modelServer"]["API"]
    at = graph_page(doc, **{"graph.layout": "ai-model-server"})
    assert not at.get("graphviz_chart")
    text = shown(at).replace("\\", "")
    assert "needs the server's API" in text
    assert "Fix them to see a graph." in text


def test_standalone_models_draw_without_a_server() -> None:
    doc = json.loads((ROOT / "examples" / "standalone-models.json").read_text("utf-8"))
    at = graph_page(doc)
    dot = chart(at)
    for model in doc["models"]:
        assert f'"resource:default/{model["name"]}" [' in dot
    assert "with no model server" in shown(at)


def test_large_catalogs_fold_models_until_expanded() -> None:
    at = graph_page(with_models(35))
    dot = chart(at)
    # One owner, one group: 29 models and the "+ 6 more models" box make 30 boxes.
    assert "+ 6 more models" in dot
    assert '"resource:default/model-028" [' in dot
    assert '"resource:default/model-029" [' not in dot
    assert "model-034" in dot  # named in the fold's tooltip
    toggle = at.toggle(key="graph.expand")
    assert toggle.label == "All 35 models"
    toggle.set_value(True).run()
    dot = chart(at)
    assert "more models" not in dot
    assert '"resource:default/model-034" [' in dot


def test_small_catalogs_have_no_expand_toggle() -> None:
    at = graph_page(EXAMPLE)
    assert "graph.expand" not in [t.key for t in at.toggle]


def test_without_dot_the_page_says_so_and_still_offers_dot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on it
    at = graph_page(EXAMPLE)
    assert chart(at)
    buttons = downloads(at)
    assert not buttons["Download DOT"].disabled
    assert buttons["Download SVG"].disabled and buttons["Download PNG"].disabled
    assert "need the Graphviz `dot` program" in shown(at)


def test_render_image_runs_dot_once_per_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_render(source: str, fmt: str) -> bytes:
        calls.append(fmt)
        return f"<{fmt}>".encode()

    monkeypatch.setattr(graph_view, "render", fake_render)
    graph_view.render_image.cache_clear()
    dot = to_dot([], GraphOptions())
    assert graph_view.render_image(dot, "png") == b"<png>"
    assert graph_view.render_image(dot, "png") == b"<png>"
    assert graph_view.render_image(dot + " ", "png") == b"<png>"
    assert calls == ["png", "png"]
    graph_view.render_image.cache_clear()


@pytest.mark.parametrize(
    ("path", "place"),
    [
        ("models.1.name", "Model 2 › name"),
        ("modelServer.API.url", "Model server › API › URL"),
        ("models.0.tags.2", "Model 1 › tags › 2"),
        ("", "Catalog"),
    ],
)
def test_issue_places_read_like_the_form(path: str, place: str) -> None:
    assert graph_view.where(path) == place


@pytest.mark.parametrize(
    ("name", "stem"),
    [("developer-model-service", "developer-model-service"), ("a/b c", "a-b-c"), ("", "catalog")],
)
def test_file_stem_is_safe(name: str, stem: str) -> None:
    assert graph_view.file_stem(name) == stem


def test_chart_height_follows_the_layout() -> None:
    small = to_dot([], GraphOptions())
    assert graph_view.chart_height(small) is None or graph_view.chart_height(small) >= 160
    entities = graph_view.drawing_for(with_models(20)).entities
    tall = graph_view.chart_height(to_dot(entities, GraphOptions(direction="LR")))
    wide = graph_view.chart_height(to_dot(entities, GraphOptions(direction="TB")))
    if tall is not None and wide is not None:
        assert tall > wide


def teams(count: int) -> dict[str, Any]:
    """The example with ``count`` models owned by three teams."""
    doc = with_models(count)
    for index, model in enumerate(doc["models"]):
        model["owner"] = f"group:team-{index % 3}"
        model["lifecycle"] = "experimental" if index % 2 else "production"
    return doc


def test_models_are_grouped_by_owner_and_the_grouping_can_change() -> None:
    at = graph_page(teams(9))
    dot = chart(at)
    for team in range(3):
        assert f'label="Owner: group:team-{team} · 3 models"' in dot
    assert svg_data(at)[0]["svg"].count('class="cluster"') == 3
    at.segmented_control(key="graph.group").set_value("lifecycle").run()
    dot = chart(at)
    assert 'label="Lifecycle: production · 5 models"' in dot
    assert 'label="Lifecycle: experimental · 4 models"' in dot
    at.segmented_control(key="graph.group").set_value("none").run()
    assert "cluster_group" not in chart(at)


def test_a_click_on_a_fold_opens_that_group_only() -> None:
    at = graph_page(teams(60))
    dot = chart(at)
    assert dot.count("+ 11 more models") == 3  # 30 // 3 - 1 = 9 shown of each team's 20
    # The chart reports a click on a fold node as its id; the callback opens the group.
    at.session_state["graph.expanded"] = ["|group:team-1"]
    at.run()
    dot = chart(at)
    assert dot.count("+ 11 more models") == 2
    assert '"resource:default/model-058" [' in dot  # team-1's last model
    assert '"resource:default/model-057" [' not in dot  # team-0's, still folded
    at.button(key="graph.refold").click().run()  # "Fold the 1 opened group again"
    assert chart(at).count("+ 11 more models") == 3


def test_models_with_errors_are_marked_as_on_the_author_page() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["models"][1]["name"] = "mistralai/Mistral 7B"  # not a valid Backstage name
    doc["models"][0]["description"] = ""  # only a warning: no mark
    at = graph_page(doc)
    dot = chart(at)
    assert '"resource:default/mistralai/Mistral7B" [label="mistralai/Mistral7B\\n⚠ 1 error"' in dot
    first = EXAMPLE["models"][0]["name"]
    assert f'"resource:default/{first}" [label="{first}" ' in dot
    assert "red border" in shown(at)  # the legend says what the mark means


def test_a_name_that_loses_its_whitespace_is_explained() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["models"][0]["name"] = "Bad Name"
    at = graph_page(doc)
    text = shown(at)
    assert "Whitespace is removed from names" in text
    assert "“Bad Name” as “BadName”" in text
    assert '"resource:default/BadName" [' in chart(at)


def test_the_entity_layout_starts_at_the_layout_chosen_for_export_and_follows_it() -> None:
    at = graph_page(EXAMPLE)
    at.switch_page("pages/export.py").run()
    at.radio(key="export.layout").set_value("ai-model-server").run()
    at.switch_page("pages/graph.py").run()
    assert at.segmented_control(key="graph.layout").value == "ai-model-server"
    assert '"aimodelserverapi:default/developer-model-service" [' in chart(at)

    # A layout picked on the graph only changes the drawing, and stays across pages...
    at.segmented_control(key="graph.layout").set_value("classic").run()
    assert SERVER in chart(at)
    at.switch_page("pages/author.py").run()
    at.switch_page("pages/graph.py").run()
    assert at.segmented_control(key="graph.layout").value == "classic"
    at.switch_page("pages/export.py").run()
    assert at.radio(key="export.layout").value == "ai-model-server"

    # ...until the export layout changes: the graph follows it.
    at.radio(key="export.layout").set_value("classic").run()
    at.switch_page("pages/graph.py").run()
    assert at.segmented_control(key="graph.layout").value == "classic"
    assert not at.exception
