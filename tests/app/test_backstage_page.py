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
from tests.app.editor_helpers import editor_document
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
    table = at.dataframe[1].value  # the dry run's, then Backstage's relations
    relations = set(zip(table["Entity"], table["Relation"], table["To"], strict=True))
    assert (
        "component:default/vision-inference-page",
        "depends on",
        "resource:default/defect-detector-yolov8-page",
    ) in relations
    assert (
        "api:default/vision-inference-page",
        "API provided by",
        "component:default/vision-inference-page",
    ) in relations


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
    assert "Component vision-inference-bad" in expanders(at), list(expanders(at))
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


# -- the whole loop: the Studio's own server publishes, Backstage reads it ----------------


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in ("info", "warning", "error", "success") for e in at.get(kind)]
    return plain("\n".join(str(p) for p in parts))


def open_document(at: AppTest, document: dict[str, Any]) -> AppTest:
    """Bring ``document`` in as a person would: pasted on the Import page, replacing."""
    at.switch_page("pages/importer.py").run()
    at.text_area(key="import.text").input(json.dumps(document)).run()
    click(at, "import.replace")
    return at


@pytest.fixture
def studio(
    backstage: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Path]]:
    """The Studio's own server (``streamlit run app.py``) sharing the AppTest's library."""
    from tests.e2e.conftest import start_app

    data_dir = tmp_path / "library"
    data_dir.mkdir()
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(data_dir))
    with start_app(data_dir, tmp_path / "streamlit.log") as server:
        base = server.url.rstrip("/")
        monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", backstage.url)
        monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", backstage.token)
        monkeypatch.setenv("MODEL_CATALOG_PUBLIC_URL", base)
        monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPages)
        yield base, data_dir


def test_a_saved_catalog_goes_to_backstage_and_an_edit_follows_on_refresh(
    studio: tuple[str, Path],
) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    open_document(at, renamed("loop"))
    catalog_id = at.query_params["catalog"]
    at.switch_page("pages/backstage.py").run()
    at.radio(key="backstage.what").set_value("catalog").run()
    assert f"{studio[0]}/published/{catalog_id}/catalog-info.yaml" in [c.value for c in at.code]
    click(at, "backstage.dry_run")
    rows = at.dataframe[0].value
    assert ("Component", "vision-inference-loop") in set(
        zip(rows["Kind"], rows["Name"], strict=True)
    )
    click(at, "backstage.register")
    assert "Component vision-inference-loop" in expanders(at)
    assert at.metric[3].value == "0"
    assert "Backstage shows the last saved revision" in texts(at)

    # Edit on the Author page, save, then refresh: Backstage shows the new description.
    at.switch_page("pages/author.py").run()
    at.text_area(key="modelServer.description").input("Edited in the Studio, then refreshed.")
    at.run()
    at.sidebar.button(key="_persist.save").click().run()
    assert not at.exception
    at.switch_page("pages/backstage.py").run()
    click(at, "backstage.refresh")
    component = expanders(at)["Component vision-inference-loop"]
    assert "Edited in the Studio, then refreshed." in plain(
        "\n".join(m.value for m in component.markdown)
    )
    assert "Backstage shows the last saved revision, exactly as the Studio publishes it." in texts(
        at
    )


def test_a_model_server_from_backstage_opens_as_a_new_catalog_and_the_open_one_is_kept(
    configured: StaticSite, backstage: Any
) -> None:
    from catalog.backstage_api import Backstage
    from catalog.store import Store

    document = renamed("imp")
    url = configured.put("imp/catalog-info.yaml", to_yaml(entities_of(document)))
    server_ref = "component:default/vision-inference-imp"
    with Backstage(backstage.url, backstage.token) as client:
        client.register(url)
        client.settle(
            url, until=lambda r: bool(r.get(server_ref)) and len(r.get(server_ref).relations) >= 4
        )  # type: ignore[union-attr]

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    mine = copy.deepcopy(EXAMPLE)
    mine["modelServer"]["name"] = "work-in-progress"
    open_document(at, mine)
    kept_id = at.query_params["catalog"]

    at.switch_page("pages/backstage.py").run()
    click(at, "backstage.servers")
    at.selectbox(key="backstage.server").set_value(server_ref).run()
    click(at, "backstage.read")
    assert "**component:default/vision-inference-imp**: 2 models, 0 errors to fix" in texts(at)
    click(at, "backstage.open")

    opened = editor_document(at)
    assert opened["modelServer"]["name"] == "vision-inference-imp"
    assert opened["modelServer"]["owner"] == "group:vision-team"
    assert opened["modelServer"]["API"]["spec"] == document["modelServer"]["API"]["spec"]
    assert [m["name"] for m in opened["models"]] == [m["name"] for m in document["models"]]
    assert "work-in-progress is still in the library, as you left it." in texts(at)
    # The catalog that was open is untouched in the library; the import is a new one.
    with Store() as store:
        assert store.get(kept_id).document["modelServer"]["name"] == "work-in-progress"
        assert at.query_params["catalog"] != kept_id


def test_an_api_definition_on_a_host_backstage_may_not_read_is_warned_before_publishing(
    studio: tuple[str, Path],
) -> None:
    with static_site() as elsewhere:
        elsewhere.put("openapi.json", json.dumps({"openapi": "3.0.0", "info": {}, "paths": {}}))
        spec_url = elsewhere.url_on("localhost", "openapi.json")
        document = renamed("text")
        document["modelServer"]["API"].update(type="openapi", spec=spec_url)
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
        open_document(at, document)
        at.switch_page("pages/backstage.py").run()
        click(at, "backstage.dry_run")
        warning = plain(at.warning[0].value)
        assert f"The API definition {spec_url} is on a host Backstage may not read" in warning
        assert "refuse the whole API entity" in warning
        assert f'- host: "localhost:{elsewhere.port}"' in "\n".join(c.value for c in at.code)
        assert not at.error  # the dry run's own refusal of that host is not repeated


def test_text_from_backstage_is_shown_literally_never_as_markup(configured: StaticSite) -> None:
    document = renamed("html")
    raw = "<script>alert(1)</script> **not bold** [a link](http://x) :red[red]"
    document["models"][0]["description"] = raw
    publish_library(configured, {"html": entities_of(document)})
    at = backstage_page()
    click(at, "backstage.dry_run")
    click(at, "backstage.register")
    model = expanders(at)["Resource defect-detector-yolov8-html"]
    shown = [m.value for m in model.markdown if plain(m.value) == raw]
    assert shown, [m.value for m in model.markdown]
    assert "\\<script\\>" in shown[0] and "\\*\\*not bold\\*\\*" in shown[0]
