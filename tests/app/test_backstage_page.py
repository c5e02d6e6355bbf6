"""The Backstage page in AppTest: how to configure it, and (with a real Backstage) its work."""

from __future__ import annotations

import copy
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from catalog.emit import to_yaml
from catalog.validate import validate
from tests.static_site import StaticSite, static_site

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def backstage_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/backstage.py").run()
    assert not at.exception
    return at


def test_without_configuration_the_page_says_how_to_configure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MODEL_CATALOG_BACKSTAGE_URL", raising=False)
    monkeypatch.delenv("MODEL_CATALOG_BACKSTAGE_TOKEN", raising=False)
    at = backstage_page()
    assert "Backstage is not configured" in at.info[0].value
    shown = "\n".join(c.value for c in at.code)
    assert "MODEL_CATALOG_BACKSTAGE_URL=" in shown
    assert "MODEL_CATALOG_BACKSTAGE_TOKEN=" in shown
    assert "reading:" in shown and "- host: " in shown
    assert not [b for b in at.button if b.key.startswith("backstage.")]  # nothing to press yet


def test_a_url_that_is_not_one_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", "localhost 7007")
    at = backstage_page()
    assert "is not a Backstage URL" in at.error[0].value


# -- with a real Backstage ----------------------------------------------------------------

EXAMPLE: dict[str, Any] = json.loads(
    (ROOT / "examples" / "triton-grpc-server.json").read_text("utf-8")
)


class _NavigationPages(PagesManager):
    """AppTest's pages manager, told that this app routes with ``st.navigation``
    (see tests/app/test_library_page.py: otherwise reruns skip app.py and the frame)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture
def site() -> Iterator[StaticSite]:
    with static_site() as served:
        yield served


@pytest.fixture
def configured(backstage: Any, site: StaticSite, monkeypatch: pytest.MonkeyPatch) -> StaticSite:
    """The app pointed at the test Backstage, publishing from ``site``."""
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", backstage.url)
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", backstage.token)
    monkeypatch.setenv("MODEL_CATALOG_PUBLIC_URL", site.base)
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPages)
    return site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def renamed(suffix: str) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    document["modelServer"]["name"] += f"-{suffix}"
    for model in document["models"]:
        model["name"] += f"-{suffix}"
    return document


def entities_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    report = validate(copy.deepcopy(document))
    assert report.ok and report.entities is not None, report.errors
    return list(report.entities)


def publish_library(site: StaticSite, catalogs: dict[str, list[dict[str, Any]]]) -> str:
    """What the Studio publishes: a Location whose targets are the catalogs' files."""
    targets = [
        site.put(f"published/{cid}/catalog-info.yaml", to_yaml(e)) for cid, e in catalogs.items()
    ]
    location = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Location",
        "metadata": {"name": f"model-catalog-studio-{site.port}"},
        "spec": {"type": "url", "targets": targets},
    }
    return site.put("published/location.yaml", to_yaml([location]))


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """Markdown as the reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def expanders(at: AppTest) -> dict[str, Any]:
    """The page's expanders by their label as shown."""
    return {plain(e.label): e for e in at.expander}


def test_dry_run_lists_what_backstage_would_create_then_register_shows_its_report(
    configured: StaticSite,
) -> None:
    publish_library(configured, {"one": entities_of(renamed("page"))})
    at = backstage_page()
    assert at.button(key="backstage.register").disabled  # the dry run comes first
    click(at, "backstage.dry_run")
    assert not at.error
    rows = at.dataframe[0].value  # the only table: the import tab has listed nothing
    made = set(zip(rows["Kind"], rows["Name"], strict=True))
    assert {
        ("Component", "vision-inference-page"),
        ("API", "vision-inference-page"),
        ("Resource", "defect-detector-yolov8-page"),
        ("Resource", "resnet50-panel-classifier-page"),
    } <= made
    assert "Backstage would create" in "\n".join(m.value for m in at.markdown)

    click(at, "backstage.register")
    assert not at.error
    found = expanders(at)
    component = found["Component vision-inference-page"]
    relations = plain("\n".join(m.value for m in component.markdown))
    assert "- depends on **resource:default/defect-detector-yolov8-page**" in relations
    assert "- provides API **api:default/vision-inference-page**" in relations
    assert "- owned by **group:default/vision-team**" in relations
    resource = found["Resource defect-detector-yolov8-page"]
    assert "- dependency of **component:default/vision-inference-page**" in plain(
        "\n".join(m.value for m in resource.markdown)
    )
    assert at.metric[3].value == "0"  # "With errors"


def test_an_entity_backstage_refuses_shows_its_error_under_it(configured: StaticSite) -> None:
    entities = entities_of(renamed("bad"))
    entities[-1]["metadata"]["tags"] = ["Not A Tag"]
    publish_library(configured, {"bad": entities})
    at = backstage_page()
    click(at, "backstage.dry_run")
    # A dry run reports Backstage's first problem.
    assert "tags.0" in plain(at.error[0].value)
    # Registering anyway shows the refused entity with its error, the others fine.
    click(at, "backstage.register")
    refused = expanders(at)["Resource resnet50-panel-classifier-bad"]
    assert "tags.0" in plain(refused.error[0].value)
    assert not expanders(at)["Component vision-inference-bad"].error


def test_a_studio_host_backstage_may_not_read_gives_the_allow_lines(
    configured: StaticSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_library(configured, {"deny": entities_of(renamed("deny"))})
    monkeypatch.setenv("MODEL_CATALOG_PUBLIC_URL", configured.url_on("localhost", "").rstrip("/"))
    at = backstage_page()
    click(at, "backstage.dry_run")
    assert "Backstage is not allowed to read" in plain(at.error[0].value)
    assert any(c.value.endswith(f'- host: "localhost:{configured.port}"') for c in at.code), [
        c.value for c in at.code
    ]


def test_a_wrong_token_and_no_backstage_are_plain_messages(
    configured: StaticSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_library(configured, {"tok": entities_of(renamed("tok"))})
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", "not-the-token")
    at = click(backstage_page(), "backstage.dry_run")
    assert "refused the token (401)" in plain(at.error[0].value)
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", f"http://127.0.0.1:{free_port()}")
    at = click(backstage_page(), "backstage.dry_run")
    assert "Backstage is unreachable at http://127.0.0.1:" in plain(at.error[0].value)
