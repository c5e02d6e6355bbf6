"""The ai-model-server layout comes back: catalog -> entity -> catalog -> the same entity.

The layout carries no API definition (and per model only a name and an artifact link),
so the person gives the definition again after the import; everything else the entity
carries comes back, for the reference examples and for property-generated catalogs.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from core_helpers import EXAMPLE_IDS, OPTION_SETS, example, minimal_catalog
from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROPERTY_SETTINGS, _mapped, _no_auth_tags, catalogs

from catalog.convert import ConvertOptions
from catalog.emit import to_json, to_yaml
from catalog.reverse import catalogs_from_entities, import_catalog_info
from catalog.validate import fix_all, validate

LAYOUTS = ["ai-model-server-AiModelServerAPI", "ai-model-server-API"]


def round_trip(document: dict[str, Any], options: ConvertOptions, text: str = "yaml") -> None:
    """Assert our own ai-model-server output imports back into a catalog that writes it."""
    report = validate(document, options)
    assert report.ok, [str(i) for i in report.errors]
    [entity] = report.entities or []
    result = import_catalog_info(to_yaml([entity]) if text == "yaml" else to_json([entity]))
    assert result.left_out == [], result.left_out
    back = copy.deepcopy(result.document)
    assert back["modelServer"]["API"]["spec"] == ""  # not carried: said, not invented
    assert any("API.spec is empty" in w for w in result.warnings)
    back["modelServer"]["API"]["spec"] = document["modelServer"]["API"]["spec"]
    again = validate(back, options)
    assert again.ok, [str(i) for i in again.errors]
    assert again.entities == [entity]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", [*EXAMPLE_IDS, "minimal"])
def test_the_examples_come_back_through_the_ai_model_server_layout(name: str, layout: str) -> None:
    document = minimal_catalog() if name == "minimal" else example(name)
    if validate(document, OPTION_SETS[layout]).ok:
        round_trip(document, OPTION_SETS[layout])
    else:  # an example without an API cannot use this layout: the error says so
        assert any(
            "ai-model-server" in str(i) for i in validate(document, OPTION_SETS[layout]).errors
        )


def test_control_annotations_come_back_as_they_were() -> None:
    document = minimal_catalog()
    document["modelServer"]["annotations"] = {
        "rhdh.io/system": "genai",
        "rhdh.io/serverType": "openai-v1",
        "rhdh.io/default": document["models"][-1]["name"],
        "example.com/team": "ml",
    }
    round_trip(document, OPTION_SETS[LAYOUTS[0]])
    round_trip(document, OPTION_SETS[LAYOUTS[1]], text="json")


@PROPERTY_SETTINGS
@given(catalogs(), st.sampled_from(LAYOUTS), st.booleans())
def test_generated_catalogs_come_back_through_the_ai_model_server_layout(
    document: dict[str, Any], layout: str, fix: bool
) -> None:
    options = OPTION_SETS[layout]
    if fix:
        document, _ = fix_all(document, options)
    if not validate(document, options).ok:
        return
    server = document.get("modelServer") or {}
    tags = [*(server.get("tags") or [])]
    if any(str(t).strip().lower().startswith("auth-") for t in tags):
        return  # the mapping's own auth tags: a user's copy cannot round-trip
    round_trip(document, options)


def test_control_annotations_with_spaces_are_written_trimmed_and_come_back() -> None:
    # Found by the property test: 'rhdh.io/lifecycle: "0 "' was written with its space.
    document = minimal_catalog()
    document["modelServer"]["annotations"] = {
        "rhdh.io/lifecycle": "beta ",
        "rhdh.io/serverType": " openai-v1",
    }
    [entity] = validate(document, OPTION_SETS[LAYOUTS[0]]).entities or []
    assert entity["spec"]["lifecycle"] == "beta"
    assert entity["spec"]["serverType"] == "openai-v1"
    round_trip(document, OPTION_SETS[LAYOUTS[0]])


# --- two catalogs in one file: models follow their relations, not their position -------


def _prefixed(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for item in [document.get("modelServer"), *document["models"]]:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item["name"] = prefix + item["name"]
    return document


@PROPERTY_SETTINGS
@given(catalogs(), catalogs(), st.randoms(use_true_random=False))
def test_two_generated_catalogs_in_one_file_come_back_apart(
    one: dict[str, Any], two: dict[str, Any], random: Any
) -> None:
    one, two = _prefixed(one, "a"), _prefixed(two, "b")
    reports = [validate(d) for d in (one, two)]
    if not all(r.ok for r in reports) or not all(d.get("modelServer") for d in (one, two)):
        return
    if not all(_no_auth_tags(d) for d in (one, two)):
        return
    entities = [e for r in reports for e in r.entities or []]
    servers = [e for e in entities if e["kind"] == "Component"]
    rest = [e for e in entities if e["kind"] != "Component"]
    random.shuffle(rest)  # models and APIs in any order, after (or between) the servers
    at = random.randint(0, len(rest))
    results = catalogs_from_entities([servers[0], *rest[:at], servers[1], *rest[at:]])
    assert [r.left_out for r in results] == [[], []]
    assert [_mapped(r.document) for r in results] == [_mapped(one), _mapped(two)]
