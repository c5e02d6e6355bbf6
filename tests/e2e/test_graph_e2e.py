"""The Graph page in a real browser: one SVG node per entity, found by its <title>."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Page, expect

from catalog.convert import ConvertOptions, to_entities
from catalog.graph import entity_ref, parse_ref
from catalog.schema import ModelCatalog
from tests.browser import key_selector, wait_for_run

pytestmark = pytest.mark.e2e

EXAMPLE = "developer-model-service"
CHART = '[data-testid="graph-zoom"] svg'
ROOT = Path(__file__).resolve().parents[2]


def entities_of(stem: str, layout: str = "classic") -> list[dict[str, Any]]:
    document = json.loads((ROOT / "examples" / f"{stem}.json").read_text("utf-8"))
    return to_entities(ModelCatalog.model_validate(document), ConvertOptions(layout=layout))


def expected_titles(stem: str, layout: str = "classic") -> set[str]:
    """The node ids graph.py gives the example's entities: their entity references."""
    return {entity_ref(e).id for e in entities_of(stem, layout)}


def owner_titles(stem: str) -> set[str]:
    return {parse_ref(e["spec"]["owner"], "group").id for e in entities_of(stem)}


def open_graph_with_example(page: Page, stem: str) -> None:
    """Load an example on the Author page, then open the Graph page from the menu."""
    page.locator(f"{key_selector(f'_welcome:{stem}')} button").first.click()
    wait_for_run(page)
    page.get_by_role("link", name="Graph").click()
    wait_for_run(page)
    expect(page.locator(f"{CHART} g.node").first).to_be_attached(timeout=30_000)


def node_titles(page: Page) -> list[str]:
    return page.locator(f"{CHART} g.node > title").all_text_contents()


def test_one_svg_node_per_entity(page: Page, screenshot: Callable[..., Path]) -> None:
    open_graph_with_example(page, EXAMPLE)
    titles = node_titles(page)
    entities = expected_titles(EXAMPLE)
    assert len(entities) == 4  # Component, API, two Resources
    for ref in entities:
        assert titles.count(ref) == 1, f"{ref} should be drawn once, titles: {titles}"
    # Owners are on by default: the example's owner is drawn too, and nothing else.
    assert set(titles) == entities | owner_titles(EXAMPLE)
    expect(page.get_by_text("serves", exact=False).first).to_be_visible()
    shoot(page, screenshot, "graph-page")
    # The SVG download is rendered by Graphviz on the server when clicked.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download SVG").click()
    assert download.value.suggested_filename == f"{EXAMPLE}-graph.svg"
    svg = ElementTree.parse(download.value.path()).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    drawn = [t.text for t in svg.iterfind(".//svg:g[@class='node']/svg:title", ns)]
    assert sorted(drawn) == sorted(titles)  # the picture is the graph on the page


def test_controls_and_a_broken_reference(
    open_page: Callable[..., Page], screenshot: Callable[..., Path]
) -> None:
    page = open_page(color_scheme="dark")  # and the picture reads on a dark page
    open_graph_with_example(page, EXAMPLE)
    page.get_by_role("radio", name="AI model server").click()
    wait_for_run(page)
    expect(page.locator(f"{CHART} g.node > title", has_text="resource:")).to_have_count(0)
    titles = node_titles(page)
    for ref in expected_titles(EXAMPLE, "ai-model-server"):
        assert titles.count(ref) == 1
    page.get_by_role("radio", name="Top to bottom").click()
    wait_for_run(page)
    shoot(page, screenshot, "graph-page-ai-model-server-tb")

    # Give a model a name Backstage cannot resolve, on the Author page: the Graph page
    # still draws, and the server's reference to that name is a red dashed node.
    model = entities_of(EXAMPLE)[3]["metadata"]["name"]  # the second model's Resource
    page.get_by_role("link", name="Author").click()
    wait_for_run(page)
    page.locator(f"{key_selector('_author.show:models')} button").click()
    wait_for_run(page)
    page.locator("summary", has_text=model).click()  # open the model's expander
    wait_for_run(page)
    name = page.locator(f"{key_selector('models.1.name')} input")
    name.fill("mistralai/Mistral 7B")
    name.press("Enter")
    wait_for_run(page)
    page.get_by_role("link", name="Graph").click()
    wait_for_run(page)
    expect(page.get_by_role("radio", name="AI model server")).to_be_checked()  # kept
    page.get_by_role("radio", name="Classic").click()
    wait_for_run(page)
    broken = page.locator(f"{CHART} g.node", has_text="not in catalog")
    expect(broken).to_have_count(1)
    expect(broken.locator("title")).to_have_text("resource:mistralai/Mistral7B")
    expect(page.get_by_text("cannot be exported yet")).to_be_visible()
    shoot(page, screenshot, "graph-page-broken-reference")


def shoot(page: Page, screenshot: Callable[..., Path], name: str) -> None:
    """A screenshot tall enough for the whole page (Streamlit scrolls inside the page)."""
    page.set_viewport_size({"width": 1440, "height": 1300})
    wait_for_run(page)
    screenshot(page, name)
