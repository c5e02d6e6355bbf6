"""The Backstage client's pure parts: allow lines, Backstage's own additions, comparing."""

from __future__ import annotations

import pytest

from catalog import backstage_api as api


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://studio.example.com/published/location.yaml", "studio.example.com"),
        ("https://studio.example.com:8443/x", "studio.example.com:8443"),
        ("http://127.0.0.1:8501/published/location.yaml", "127.0.0.1:8501"),
    ],
)
def test_the_allow_entry_names_the_port_only_when_the_url_has_one(url: str, host: str) -> None:
    # Backstage's URL reader: an entry without a port matches only URLs without one.
    assert api.allow_host(url) == host


def test_the_allow_lines_list_each_host_once_quoting_ports() -> None:
    assert api.reading_allow_config(
        ["http://a.example.com/x", "http://a.example.com/y", "http://b.example.com:81/z"]
    ) == (
        "backend:\n  reading:\n    allow:\n"
        "      - host: a.example.com\n"
        '      - host: "b.example.com:81"'
    )


def test_a_not_allowed_message_names_its_url() -> None:
    message = (
        "Placeholder $text could not read location http://h:1/a.json, NotAllowedError: "
        "Reading from 'http://h:1/a.json' is not allowed. You may need to configure an "
        "integration for the target host, or add it to the configured list of allowed hosts "
        "at 'backend.reading.allow'"
    )
    assert api.not_allowed_url(message) == "http://h:1/a.json"
    assert api.not_allowed_url("Policy check failed for resource:default/x") is None


@pytest.mark.parametrize("url", ["", "localhost:7007", "ftp://host", "http://"])
def test_a_url_that_is_no_backstage_address_is_refused_plainly(url: str) -> None:
    with pytest.raises(api.BackstageError, match="is not a Backstage URL"):
        api.Backstage(url)


def test_an_entity_from_backstage_loses_what_backstage_added() -> None:
    entity = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {
            "name": "m",
            "namespace": "default",
            "uid": "1",
            "etag": "2",
            "annotations": {
                "backstage.io/managed-by-location": "url:x",
                "backstage.io/managed-by-origin-location": "url:x",
                "example.com/kept": "yes",
            },
        },
        "spec": {"type": "ai-model", "dependencyOf": ["component:b", "component:a"]},
        "relations": [{"type": "dependencyOf", "targetRef": "component:default/a"}],
        "status": {"items": []},
    }
    assert api.published_entity(entity) == {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {"name": "m", "annotations": {"example.com/kept": "yes"}},
        "spec": {"type": "ai-model", "dependencyOf": ["component:b", "component:a"]},
    }


def _report(*entities: dict[str, object]) -> api.LocationReport:
    return api.LocationReport(
        "t", [api.EntityReport(api.entity_ref(e), str(e["kind"]), "", entity=e) for e in entities]
    )


def test_in_step_ignores_reference_order_and_text_that_backstage_read() -> None:
    published = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "API",
        "metadata": {"name": "s"},
        "spec": {"type": "openapi", "definition": {"$text": "http://h/a.json"}, "x": ["b", "a"]},
    }
    seen = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "API",
        "metadata": {"name": "s", "namespace": "default", "uid": "u"},
        "spec": {"type": "openapi", "definition": '{"openapi": "3.0.0"}', "x": ["a", "b"]},
    }
    assert api.out_of_step([published], _report(seen)) == []
    edited = {**seen, "metadata": {**seen["metadata"], "description": "old"}}
    assert api.out_of_step(
        [{**published, "metadata": {"name": "s", "description": "new"}}], _report(edited)
    ) == ["api:default/s"]
    assert api.out_of_step([published], _report()) == ["api:default/s"]


def test_an_answer_larger_than_the_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.static_site import static_site

    monkeypatch.setattr(api, "MAX_RESPONSE_BYTES", 64 * 1024)
    with static_site() as site:
        site.put("api/catalog/entities/by-query", '{"items": [' + '{"x": 1},' * 20000 + "{}]}")
        with (
            api.Backstage(site.base) as client,
            pytest.raises(api.BackstageRefused, match="larger than"),
        ):
            client.model_servers()


def test_a_server_that_is_not_backstage_says_so() -> None:
    from tests.static_site import static_site

    with static_site() as site, api.Backstage(site.base) as client:
        site.put("api/catalog/entities/by-query", "<html>a login page</html>")
        with pytest.raises(api.BackstageRefused, match=r"not answer with JSON: is .* Backstage"):
            client.model_servers()
        # A path that is not there: the status, the address, and to check the base address.
        with pytest.raises(
            api.BackstageRefused,
            match=r"Backstage answered 404: nothing at .* answers as Backstage's catalog; "
            r"check that it is Backstage's base address .*/api/catalog/locations\)",
        ):
            client.locations()
