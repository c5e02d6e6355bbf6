"""The Backstage page as a first-time user meets it: messages found by trying it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from catalog.backstage_api import Backstage
from catalog.emit import to_yaml
from tests.app import test_backstage_page as page
from tests.app.test_backstage_page import APP, click, entities_of, expanders, plain, renamed
from tests.static_site import StaticSite, static_site

# The Backstage page tests' fixtures: the app pointed at the test Backstage.
configured, site = page.configured, page.site


def test_an_api_backstage_could_not_process_is_said_to_be_missing_from_backstage(
    configured: StaticSite, backstage: Any
) -> None:
    # The API's $text definition is on a host Backstage may not read, so Backstage keeps
    # the server and its models but not the API.  Before, the Import tab said the API
    # "is not in this file", though no file was involved.
    with static_site() as elsewhere:
        elsewhere.put("openapi.json", json.dumps({"openapi": "3.0.0", "info": {}, "paths": {}}))
        document = renamed("noapi")
        document["modelServer"]["API"].update(
            type="openapi", spec=elsewhere.url_on("localhost", "openapi.json")
        )
        url = configured.put("noapi/catalog-info.yaml", to_yaml(entities_of(document)))
        server_ref = "component:default/vision-inference-noapi"
        with Backstage(backstage.url, backstage.token) as client:
            location = client.register(url)
            client.settle(
                url,
                until=lambda r: bool(r.get(server_ref)) and len(r.get(server_ref).relations) >= 4,  # type: ignore[union-attr]
            )

    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/backstage.py").run()
    click(at, "backstage.servers")
    at.selectbox(key="backstage.server").set_value(server_ref).run()
    click(at, "backstage.read")
    # Its failing API would be retried by the session's shared Backstage: take it away.
    backstage.unregister(location.id)
    found = [e for label, e in expanders(at).items() if label.startswith("Left out")]
    assert found, list(expanders(at))
    left_out = plain("\n".join(m.value for m in found[0].markdown))
    assert "names the API vision-inference-noapi, which is not in Backstage's catalog" in left_out
    assert "the Publish to Backstage tab shows why" in left_out
    assert "this file" not in left_out


def test_with_no_catalog_open_the_page_does_not_speak_of_this_catalog(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Before: "This catalog is not saved in the library yet", with no catalog at all.
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", "token")
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/backstage.py").run()
    assert not at.exception
    captions = plain("\n".join(c.value for c in at.caption))
    assert "No catalog is open: open one on the Library page" in captions
    assert "This catalog is not saved" not in captions


def test_a_studio_address_backstage_cannot_reach_names_the_setting_to_fix(
    backstage: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Before: "Backstage answered 400: InputError: Error: Unable to read url, ... fetch
    # failed (...)", with no word of MODEL_CATALOG_PUBLIC_URL.
    studio = f"http://127.0.0.1:{page.free_port()}"  # nothing answers there
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", backstage.url)
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_TOKEN", backstage.token)
    monkeypatch.setenv("MODEL_CATALOG_PUBLIC_URL", studio)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/backstage.py").run()
    click(at, "backstage.dry_run")
    [error] = at.error
    assert plain(error.value).startswith(
        f"Backstage could not read the Studio at {studio}/published/location.yaml. "
        f"Set MODEL_CATALOG_PUBLIC_URL to the Studio's address as Backstage reaches it"
    )
    assert "Unable to read" in plain("\n".join(c.value for c in at.caption))  # its own words
    # Asking what Backstage has of it: nothing yet, which is news, not a success.
    click(at, "backstage.check")
    assert not at.success
    assert "This is not registered in Backstage yet" in plain(at.info[0].value)
