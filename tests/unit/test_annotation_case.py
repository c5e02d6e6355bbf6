"""Annotation keys one entity would carry in two letter cases are an error with a fix.

Backstage takes such an entity but can never store it ("Entity has duplicate keys that
vary only in casing", in its log only): it stays pending with no error.  Found by
publishing generated catalogs to the real backend (tests/backstage); the real-backend
check of this rule is in tests/backstage/test_backstage_limits.py.
"""

from __future__ import annotations

from typing import Any

from core_helpers import OPTION_SETS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.convert import ConvertOptions
from catalog.validate import fix_all, validate

CLASSIC = ConvertOptions()
AI_MODEL_SERVER = ConvertOptions(layout="ai-model-server")
CODE = "annotation-key-case"


def model(name: str = "m", **annotations: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": name,
        "owner": "group:ml",
        "lifecycle": "production",
        "description": "A model.",
    }
    if annotations:
        found["annotations"] = annotations
    return found


def server(annotations: dict[str, str], api_annotations: dict[str, str]) -> dict[str, Any]:
    return {
        "name": "s",
        "owner": "group:ml",
        "lifecycle": "production",
        "description": "A server.",
        "annotations": annotations,
        "API": {
            "url": "https://s.example.com/v1",
            "type": "openapi",
            "spec": "https://s.example.com/openapi.json",
            "annotations": api_annotations,
        },
    }


def case_issues(document: dict[str, Any], options: ConvertOptions) -> list[tuple[str, str]]:
    return [(i.path, i.message) for i in validate(document, options).issues if i.code == CODE]


def test_two_spellings_of_a_key_on_a_model_are_an_error_and_the_fix_keeps_the_first() -> None:
    document = {"models": [model(**{"Team": "a", "team": "b"})]}
    report = validate(document, CLASSIC)
    [issue] = [i for i in report.issues if i.code == CODE]
    assert issue.severity == "error"
    assert issue.path == "models.0.annotations"
    assert "'Team' and 'team' differ only in letter case" in issue.message
    assert "stays pending" in issue.message
    assert issue.fix is not None and issue.fix.label == "Remove 'team'"
    fixed, after = fix_all(document, CLASSIC)
    assert after.ok
    assert fixed["models"][0]["annotations"] == {"Team": "a"}


def test_the_techdocs_key_clashes_with_a_techdocs_ref_spelt_otherwise() -> None:
    document = {
        "models": [model(**{"backstage.io/TechDocs-ref": "url:https://a", "TechDocs": "https://b"})]
    }
    [(path, message)] = case_issues(document, CLASSIC)
    assert path == "models.0.annotations"
    assert "'TechDocs' (which becomes 'backstage.io/techdocs-ref')" in message


def test_api_and_server_keys_meet_in_one_entity_in_both_layouts() -> None:
    document = {"modelServer": server({"team": "a"}, {"Team": "b"}), "models": []}
    for options in (CLASSIC, AI_MODEL_SERVER):
        [(path, message)] = case_issues(document, options)
        assert path == "modelServer.annotations"
        assert "'Team' (in the API's annotations) and 'team'" in message


def test_the_same_key_spelt_alike_is_no_clash_the_server_wins() -> None:
    document = {"modelServer": server({"team": "a"}, {"team": "b"}), "models": []}
    report = validate(document, CLASSIC)
    assert report.ok
    assert report.entities is not None
    assert report.entities[0]["metadata"]["annotations"] == {"team": "a"}


def test_keys_of_different_entities_never_clash() -> None:
    document = {"models": [model("a", team="x"), model("b", Team="y")]}
    assert case_issues(document, CLASSIC) == []


def test_a_models_techdocs_clashes_with_the_servers_in_the_ai_model_server_layout() -> None:
    document = {
        "modelServer": server({"backstage.io/TechDocs-ref": "url:https://a"}, {}),
        "models": [model(TechDocs="https://b")],
    }
    [(path, message)] = case_issues(document, AI_MODEL_SERVER)
    assert path == "models.0.annotations"
    assert "in the server's annotations" in message
    assert case_issues(document, CLASSIC) == []  # there the model is a Resource of its own


# Keys in several spellings, so that clashes are common rather than rare.
KEYS = st.sampled_from(
    ["team", "Team", "TEAM", "TechDocs", "techdocs", "backstage.io/techdocs-ref",
     "backstage.io/TechDocs-ref", "example.com/a", "example.com/A", "rhdh.io/owner"]
)  # fmt: skip
ANNOTATIONS = st.dictionaries(KEYS, st.sampled_from(["https://x", "group:ml", "v"]), max_size=4)


@st.composite
def clashing(draw: st.DrawFn) -> dict[str, Any]:
    models = [model(f"m{n}", **draw(ANNOTATIONS)) for n in range(draw(st.integers(0, 3)))]
    document: dict[str, Any] = {"models": models}
    if draw(st.booleans()):
        document["modelServer"] = server(draw(ANNOTATIONS), draw(ANNOTATIONS))
    return document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clashing(), st.sampled_from(sorted(OPTION_SETS)))
def test_no_entity_of_a_valid_catalog_has_a_key_in_two_letter_cases(
    document: dict[str, Any], layout: str
) -> None:
    options = OPTION_SETS[layout]
    fixed, _ = fix_all(document, options)
    for candidate in (document, fixed):
        report = validate(candidate, options)
        for entity in report.entities or []:
            keys = list(entity["metadata"].get("annotations") or {})
            assert len({k.lower() for k in keys}) == len(keys), (entity, candidate)
    # And the fixes end every clash.
    assert not case_issues(fixed, options)
