"""The Graph page's zoomable chart in a real browser: a 60-model catalog on one screen.

The catalog is saved in the app's store and opened by its link (``graph?catalog=<id>``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import AppServer, new_context, wait_for_run
from tests.catalogs import save_catalog

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE: dict[str, Any] = json.loads(
    (ROOT / "examples" / "developer-model-service.json").read_text("utf-8")
)
VIEW = {"width": 1400, "height": 900}
CHART = '[data-testid="graph-zoom"]'
TEAMS = ("nlp-research", "vision-platform", "speech-lab", "ml-infra", "search-quality")
LEGIBLE_PX = 9.0  # the smallest font size, on screen, that still reads
HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def catalog(models: int, *, hostile: bool = False) -> dict[str, Any]:
    """The example's server and API with ``models`` models owned by five teams."""
    document = copy.deepcopy(EXAMPLE)
    template = document["models"][0]
    document["models"] = [
        dict(
            template,
            name=f"{TEAMS[i % len(TEAMS)].split('-')[0]}-model-{i:03d}",
            owner=f"group:{TEAMS[i % len(TEAMS)]}",
            description=HOSTILE if hostile else f"Model {i}",
        )
        for i in range(models)
    ]
    if hostile:
        document["models"][0]["name"] = 'x"><svg onload=window.pwned=3>'
        document["modelServer"]["description"] = HOSTILE
    return document


def open_saved(browser: Browser, server: AppServer, name: str, document: Any) -> Page:
    """Save ``document`` in the app's store and open its Graph page at 1400x900."""
    catalog_id = save_catalog(server.data_dir, name, document)
    page = new_context(browser, viewport=VIEW).new_page()
    page.goto(f"{server.url}graph?catalog={catalog_id}")
    wait_for_run(page)
    expect(page.locator(f"{CHART} svg g.node").first).to_be_attached(timeout=60_000)
    return page


def chart_box(page: Page) -> dict[str, float]:
    box = page.locator(CHART).bounding_box()
    assert box is not None
    return box


def drawn_box(page: Page) -> dict[str, float]:
    """Where the graph itself is drawn on screen (its top <g>), and its smallest font.

    Read after two animation frames: svg-pan-zoom applies a zoom on the next frame, so
    a read right after a click could still see the drawing before it (it did, once).
    """
    result: dict[str, float] = page.locator(f"{CHART} svg g.graph").evaluate(
        """async (graph) => {
            for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
            const r = graph.getBoundingClientRect();
            const scale = graph.getScreenCTM().a;
            let smallest = Infinity;
            for (const t of graph.querySelectorAll('text')) {
                smallest = Math.min(smallest, parseFloat(t.getAttribute('font-size')) * scale);
            }
            return {x: r.x, y: r.y, width: r.width, height: r.height, scale, smallest};
        }"""
    )
    return result


def test_sixty_models_fit_the_view_folded_and_zoom_works(
    browser: Browser, app_server: AppServer, screenshot: Callable[..., Path]
) -> None:
    page = open_saved(browser, app_server, "Sixty models", catalog(60))
    page.locator(CHART).scroll_into_view_if_needed()
    screenshot(page, "graph-60-models-folded", full_page=False)
    chart = chart_box(page)
    # The chart fits a 1400x900 window, and the graph fits the chart.
    assert chart["width"] <= VIEW["width"] and chart["height"] <= VIEW["height"]
    drawn = drawn_box(page)
    assert drawn["x"] >= chart["x"] - 1 and drawn["y"] >= chart["y"] - 1
    assert drawn["x"] + drawn["width"] <= chart["x"] + chart["width"] + 1
    assert drawn["y"] + drawn["height"] <= chart["y"] + chart["height"] + 1
    assert drawn["smallest"] >= LEGIBLE_PX, drawn
    # Five teams, five clusters; each folds what it cannot show and names it.
    clusters = page.locator(f"{CHART} g.cluster > title").all_text_contents()
    assert sum(c.startswith("cluster_group_") for c in clusters) == len(TEAMS)
    titles = page.locator(f"{CHART} g.cluster text").all_text_contents()
    assert "Owner: group:nlp-research · 12 models" in titles
    folds = page.locator(f"{CHART} g.node.fold")
    expect(folds).to_have_count(len(TEAMS))
    tooltip = folds.first.locator("a").first.get_attribute("xlink:title") or ""
    assert "more models" in tooltip and "-model-" in tooltip
    # The legend stands beside the chart, not below it.
    legend = page.get_by_text("How to read it").bounding_box()
    assert legend is not None and legend["x"] > chart["x"] + chart["width"] - 1
    assert legend["y"] < chart["y"] + chart["height"]

    # Zoom in with the + button and with Ctrl+wheel: the drawing grows.
    page.get_by_role("button", name="Zoom in").click()
    zoomed = drawn_box(page)
    assert zoomed["scale"] > drawn["scale"] * 1.1
    page.mouse.move(chart["x"] + chart["width"] / 2, chart["y"] + chart["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    graph = page.locator(f"{CHART} svg g.graph")
    page.wait_for_function(
        "([g, min]) => g.getScreenCTM().a > min",
        arg=[graph.element_handle(), zoomed["scale"] * 1.05],
    )
    # A plain wheel scrolls the page, not the chart; Fit shows everything again.
    wheeled = drawn_box(page)["scale"]
    page.mouse.move(chart["x"] + 10, chart["y"] + 10)
    page.mouse.wheel(0, 200)
    assert drawn_box(page)["scale"] == pytest.approx(wheeled)
    page.get_by_role("button", name="Fit the whole graph").click()
    assert drawn_box(page)["scale"] == pytest.approx(drawn["scale"], rel=0.02)
    # One click on a fold node opens its group.
    page.locator(CHART).scroll_into_view_if_needed()
    before = page.locator(f"{CHART} g.node").count()
    folds.first.click()
    wait_for_run(page)
    expect(page.locator(f"{CHART} g.node.fold")).to_have_count(len(TEAMS) - 1)
    assert page.locator(f"{CHART} g.node").count() > before
    page.close()


def test_two_hundred_models_render_unfolded(
    browser: Browser, app_server: AppServer, screenshot: Callable[..., Path]
) -> None:
    page = open_saved(browser, app_server, "Two hundred models", catalog(200))
    page.get_by_text("All 200 models", exact=True).click()
    wait_for_run(page)
    expect(page.locator(f"{CHART} g.node.fold")).to_have_count(0)
    models = page.locator(f"{CHART} g.node > title", has_text="resource:")
    expect(models).to_have_count(200, timeout=60_000)
    page.locator(CHART).scroll_into_view_if_needed()
    screenshot(page, "graph-200-models-unfolded", full_page=False)
    page.close()


def test_hostile_names_stay_text_in_the_zoomable_chart(
    browser: Browser, app_server: AppServer
) -> None:
    page = open_saved(browser, app_server, HOSTILE, catalog(40, hostile=True))
    chart = page.locator(CHART)
    assert page.evaluate("window.pwned") is None
    # Nothing that can run made it into the page's chart.
    for selector in ("script", "img", "foreignObject", "iframe", "[onerror]", "[onload]"):
        expect(chart.locator(selector)).to_have_count(0)
    hrefs = chart.locator("a[href], a[*|href]")
    expect(hrefs).to_have_count(0)
    # The text is there, as text: in a tooltip and a label.
    tips = chart.locator("a").evaluate_all("as => as.map(a => a.getAttribute('xlink:title'))")
    assert any(HOSTILE in (tip or "") for tip in tips)
    expect(chart.locator("text", has_text="onload=window.pwned=3")).to_have_count(1)
    page.get_by_role("button", name="Zoom in").click()
    assert page.evaluate("window.pwned") is None
    page.close()
