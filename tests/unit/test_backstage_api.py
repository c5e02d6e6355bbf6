"""The Backstage client against a real Backstage catalog backend (``backstage`` fixture).

The files Backstage reads are served by a throwaway HTTP server on 127.0.0.1 (which the
test backend may read); ``localhost`` is a host it may not read.  Each test registers its
own locations, so tests sharing the backend keep apart.
"""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog import backstage_api as api
from catalog.convert import ConvertOptions
from catalog.emit import to_yaml
from catalog.validate import validate
from tests.static_site import StaticSite, static_site

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "triton-grpc-server.json").read_text("utf-8"))


@pytest.fixture
def site() -> Iterator[StaticSite]:
    with static_site() as served:
        yield served


@pytest.fixture
def client(backstage: Any) -> Iterator[api.Backstage]:
    with api.Backstage(backstage.url, backstage.token) as made:
        yield made


def entities_of(document: dict[str, Any], options: ConvertOptions | None = None) -> list[Any]:
    report = validate(copy.deepcopy(document), options or ConvertOptions())
    assert report.ok, report.errors
    assert report.entities is not None
    return list(report.entities)


def renamed(suffix: str) -> dict[str, Any]:
    """The example with names of its own, so tests on one backend never collide."""
    document = copy.deepcopy(EXAMPLE)
    document["modelServer"]["name"] += f"-{suffix}"
    for model in document["models"]:
        model["name"] += f"-{suffix}"
    return document


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_dry_run_shows_what_backstage_would_create_and_stores_nothing(
    client: api.Backstage, site: StaticSite
) -> None:
    url = site.put("dry/catalog-info.yaml", to_yaml(entities_of(renamed("dry"))))
    dry = client.dry_run(url)
    made = {(e["kind"], e["metadata"]["name"]) for e in dry.entities}
    assert {
        ("Component", "vision-inference-dry"),
        ("API", "vision-inference-dry"),
        ("Resource", "defect-detector-yolov8-dry"),
        ("Resource", "resnet50-panel-classifier-dry"),
    } <= made
    assert not dry.exists
    assert client.find_location(url) is None
    # The embedded gRPC definition arrives as text.
    api_entity = next(e for e in dry.entities if e["kind"] == "API")
    assert api_entity["spec"]["definition"].startswith('syntax = "proto3";')


def test_registered_entities_appear_with_the_relations_backstage_computed(
    client: api.Backstage, site: StaticSite
) -> None:
    url = site.put("reg/catalog-info.yaml", to_yaml(entities_of(renamed("reg"))))
    location = client.register(url)
    assert location.target == url and not location.existed
    server, model = (
        "component:default/vision-inference-reg",
        "resource:default/defect-detector-yolov8-reg",
    )
    report = client.settle(
        url,
        until=lambda r: (
            ("dependencyOf", server) in (r.get(model) or api.EntityReport("", "", "")).relations
        ),
    )
    assert not report.with_errors and not report.processing
    component = report.get(server)
    assert component is not None and component.state == "processed"
    assert ("dependsOn", model) in component.relations
    assert ("providesApi", "api:default/vision-inference-reg") in component.relations
    assert ("ownedBy", "group:default/vision-team") in component.relations
    found_api = report.get("api:default/vision-inference-reg")
    assert found_api is not None and ("apiProvidedBy", server) in found_api.relations
    # Registering again finds the existing location instead of failing.
    again = client.register(url)
    assert again.existed and again.id == location.id
    client.unregister(location.id)
    assert client.find_location(url) is None


def test_an_entity_backstage_refuses_shows_its_error_next_to_it(
    client: api.Backstage, site: StaticSite
) -> None:
    good = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {"name": "good-model-err"},
        "spec": {"type": "ai-model", "owner": "user:guest"},
    }
    bad = copy.deepcopy(good)
    bad["metadata"] = {"name": "bad-model-err", "tags": ["Not A Tag!"]}
    url = site.put("err/catalog-info.yaml", to_yaml([good, bad]))
    client.register(url)
    # Backstage may list the refused entity before it has processed the good one: wait
    # for both, as a person reading the report would.
    report = client.settle(
        url,
        until=lambda r: bool(
            r.get("resource:default/bad-model-err") and r.get("resource:default/good-model-err")
        ),
    )
    refused = report.get("resource:default/bad-model-err")
    assert refused is not None
    assert refused.state != "processed"
    assert any("tags" in e for e in refused.errors), refused.errors
    accepted = report.get("resource:default/good-model-err")
    assert accepted is not None and accepted.ok


def test_an_entity_that_breaks_after_an_edit_stays_with_its_error_next_to_it(
    client: api.Backstage, site: StaticSite
) -> None:
    good = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {"name": "breaks-later"},
        "spec": {"type": "ai-model", "owner": "user:guest"},
    }
    url = site.put("later/catalog-info.yaml", to_yaml([good]))
    client.register(url)
    ref = "resource:default/breaks-later"
    client.settle(url, until=lambda r: bool(r.get(ref)) and r.get(ref).ok)  # type: ignore[union-attr]
    broken = copy.deepcopy(good)
    broken["metadata"]["tags"] = ["Not A Tag"]
    site.put("later/catalog-info.yaml", to_yaml([broken]))
    client.refresh(ref)
    report = client.settle(url, until=lambda r: bool(r.with_errors))
    found = report.get(ref)
    assert found is not None
    # Backstage keeps the last good version in the catalog, and says what is wrong now.
    assert found.state == "processed"
    assert any("tags.0" in e and "Not A Tag" in e for e in found.errors), found.errors


def test_refresh_makes_backstage_show_an_edit(client: api.Backstage, site: StaticSite) -> None:
    document = renamed("ref")
    url = site.put("ref/catalog-info.yaml", to_yaml(entities_of(document)))
    client.register(url)
    ref = "resource:default/defect-detector-yolov8-ref"
    client.settle(url, until=lambda r: bool(r.get(ref)))
    document["models"][0]["description"] = "Edited in the Studio."
    site.put("ref/catalog-info.yaml", to_yaml(entities_of(document)))
    client.refresh(ref)
    report = client.settle(
        url,
        until=lambda r: (
            (r.get(ref) or api.EntityReport("", "", ""))
            .entity.get("metadata", {})
            .get("description")
            == "Edited in the Studio."
        ),
    )
    edited = report.get(ref)
    assert edited is not None
    assert edited.entity["metadata"]["description"] == "Edited in the Studio."


def test_validate_entity_gives_backstage_verdict(client: api.Backstage) -> None:
    entity = entities_of(renamed("val"))[-1]
    assert client.validate_entity(entity, "url:http://127.0.0.1/catalog-info.yaml") == []
    entity["metadata"]["annotations"] = {"not a key": "x"}
    errors = client.validate_entity(entity, "url:http://127.0.0.1/catalog-info.yaml")
    assert errors and any("annotation" in e.lower() for e in errors), errors


def test_a_wrong_token_is_a_plain_401_message(backstage: Any, site: StaticSite) -> None:
    url = site.put("tok/catalog-info.yaml", to_yaml(entities_of(renamed("tok"))))
    with (
        api.Backstage(backstage.url, "not-the-token") as wrong,
        pytest.raises(api.BackstageAuthError, match="refused the token"),
    ):
        wrong.dry_run(url)
    with (
        api.Backstage(backstage.url, None) as none,
        pytest.raises(api.BackstageAuthError, match="is not set"),
    ):
        none.model_servers()


def test_nothing_listening_is_unreachable() -> None:
    with (
        api.Backstage(f"http://127.0.0.1:{free_port()}", "t") as nobody,
        pytest.raises(api.BackstageUnreachable, match="unreachable"),
    ):
        nobody.dry_run("http://127.0.0.1/catalog-info.yaml")


def test_a_host_backstage_may_not_read_names_the_config_lines(
    client: api.Backstage, site: StaticSite
) -> None:
    site.put("deny/catalog-info.yaml", to_yaml(entities_of(renamed("deny"))))
    url = site.url_on("localhost", "deny/catalog-info.yaml")
    with pytest.raises(api.ReadingNotAllowed) as caught:
        client.dry_run(url)
    assert caught.value.host == f"localhost:{site.port}"
    assert caught.value.config_lines == (
        f'backend:\n  reading:\n    allow:\n      - host: "localhost:{site.port}"'
    )
    assert "backend.reading.allow" in str(caught.value)
    # Registered anyway, Backstage reports it on the location's own entity.
    client.register(url)
    report = client.settle(url, until=lambda r: bool(r.with_errors))
    assert report.unreadable == [url]
    assert [e.kind for e in report.with_errors] == ["Location"]


def test_a_text_definition_on_a_host_backstage_may_not_read_is_detected(
    client: api.Backstage, site: StaticSite
) -> None:
    site.put("spec/openapi.json", json.dumps({"openapi": "3.0.0", "info": {}, "paths": {}}))
    assert api.reading_allowed(client, f"{site.base}/spec/openapi.json")
    assert not api.reading_allowed(client, site.url_on("localhost", "spec/openapi.json"))
    # And Backstage indeed refuses the catalog whose API reads it.
    document = renamed("text")
    document["modelServer"]["API"]["spec"] = site.url_on("localhost", "spec/openapi.json")
    document["modelServer"]["API"]["type"] = "openapi"
    entities = entities_of(document)
    assert api.text_urls(entities) == [site.url_on("localhost", "spec/openapi.json")]
    url = site.put("text/catalog-info.yaml", to_yaml(entities))
    with pytest.raises(api.ReadingNotAllowed) as caught:
        client.dry_run(url)
    assert caught.value.host == f"localhost:{site.port}"


def test_model_servers_come_with_their_models_and_apis(
    client: api.Backstage, site: StaticSite
) -> None:
    document = renamed("imp")
    url = site.put("imp/catalog-info.yaml", to_yaml(entities_of(document)))
    client.register(url)
    server_ref = "component:default/vision-inference-imp"
    client.settle(
        url,
        until=lambda r: len((r.get(server_ref) or api.EntityReport("", "", "")).relations) >= 4,
    )
    servers = {api.entity_ref(s): s for s in client.model_servers()}
    assert server_ref in servers
    entities = client.server_entities(servers[server_ref])
    assert sorted(api.entity_ref(e) for e in entities) == sorted(
        [
            server_ref,
            "api:default/vision-inference-imp",
            "resource:default/defect-detector-yolov8-imp",
            "resource:default/resnet50-panel-classifier-imp",
        ]
    )
    published = [api.published_entity(e) for e in entities]
    for entity in published:
        assert "uid" not in entity["metadata"] and "relations" not in entity
        assert api.ORIGIN_ANNOTATION not in entity["metadata"].get("annotations", {})
