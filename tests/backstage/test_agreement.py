"""Our rules and Backstage's agree: what we call an error it refuses, what we accept it takes.

Each entity goes to the running backend's ``POST /api/catalog/validate-entity`` (the
same policies and processors as a registration, every error at once) and to our
:func:`catalog.backstage.entity_problems`.  Hand-picked breakages cover names, tags,
annotation keys, links and references; property-generated catalogs (good and bad) cover
the rest, both ways.

One difference is deliberate.  Backstage takes a reference to a name no entity can have
(``user:Bad Name``) and records a relation that can never resolve; we call it an error
(MAPPING.md section 2).  The tests hold Backstage to the second half: it refuses an
entity of that name, so the reference would dangle forever.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from test_properties import catalogs

from catalog.backstage import entity_problems
from catalog.convert import ConvertOptions, to_entities
from catalog.rules import parse_entity_ref
from catalog.validate import schema_issues
from tests.backstage_backend import BackstageBackend

ROOT = Path(__file__).resolve().parents[2]
LOCATION = "http://127.0.0.1:9/agreement/catalog-info.yaml"
_REFERENCE = "is not a valid entity reference"
Edit = Callable[[dict[str, Any]], None]


def _entities() -> dict[str, dict[str, Any]]:
    document = json.loads((ROOT / "examples" / "developer-model-service.json").read_text())
    catalog, _ = schema_issues(document)
    assert catalog is not None
    found = {e["kind"]: e for e in to_entities(catalog, ConvertOptions(api_definition="url"))}
    return found


ENTITIES = _entities()


def _meta(key: str, value: Any) -> Edit:
    return lambda entity: entity["metadata"].__setitem__(key, value)


def _spec(key: str, value: Any) -> Edit:
    return lambda entity: entity["spec"].__setitem__(key, value)


def _drop(key: str) -> Edit:
    return lambda entity: entity["spec"].pop(key)


REFUSED_BY_BOTH: dict[str, tuple[str, Edit]] = {
    "name with a slash": ("Resource", _meta("name", "ibm-granite/granite-3.1-8b")),
    "name of 64 characters": ("Resource", _meta("name", "m" * 64)),
    "name starting with a dash": ("Resource", _meta("name", "-granite")),
    "name with a letter outside ASCII": ("Resource", _meta("name", "grånite")),
    "tag with a space": ("Resource", _meta("tags", ["large model"])),
    "tag in upper case": ("Component", _meta("tags", ["LLM"])),
    "tag with an exclamation mark": ("Resource", _meta("tags", ["fast!"])),
    "tag of 64 characters": ("Resource", _meta("tags", ["t" * 64])),
    "annotation key with a space": ("Resource", _meta("annotations", {"model card": "x"})),
    "annotation key with two slashes": ("API", _meta("annotations", {"a.io/b/c": "x"})),
    "annotation prefix starting with a dash": ("Resource", _meta("annotations", {"-a.io/b": "x"})),
    "annotation value that is a number": ("Resource", _meta("annotations", {"a.io/b": 3})),
    "link that is no URL": ("Resource", _meta("links", [{"url": "not a url", "title": "x"}])),
    "owner left empty": ("Resource", _spec("owner", "")),
    "reference without a name": ("Component", _spec("dependsOn", ["resource:"])),
    "component without lifecycle": ("Component", _drop("lifecycle")),
    "API without definition": ("API", _drop("definition")),
}
ACCEPTED_BY_BOTH: dict[str, tuple[str, Edit]] = {
    "the example's Component": ("Component", lambda e: None),
    "the example's API": ("API", lambda e: None),
    "the example's Resource": ("Resource", lambda e: None),
    "tag with + and #": ("Resource", _meta("tags", ["c++", "c#"])),
    "name with dots and underscores": ("Resource", _meta("name", "granite_3.1-8b")),
    "name of 63 characters": ("Resource", _meta("name", "m" * 63)),
    "owner in another namespace": ("Resource", _spec("owner", "group:ml/platform")),
}
#: References we refuse because no entity can ever carry the name they point at.
DANGLING_FOREVER: dict[str, tuple[str, Edit, str]] = {
    "owner with a space": ("Resource", _spec("owner", "user:Bad Name"), "user:Bad Name"),
    "dependency with a space": (
        "Component",
        _spec("dependsOn", ["resource:bad name"]),
        "resource:bad name",
    ),
    "dependency with two colons": ("Component", _spec("dependsOn", ["a:b:c"]), "a:b:c"),
}


def _edited(kind: str, edit: Edit) -> dict[str, Any]:
    entity = copy.deepcopy(ENTITIES[kind])
    edit(entity)
    return entity


def _verdict(backstage: BackstageBackend, entity: dict[str, Any]) -> tuple[int, str]:
    answer = backstage.validate_entity(entity, LOCATION)
    assert answer.status_code in (200, 400), answer.text
    errors = answer.json().get("errors", []) if answer.status_code == 400 else []
    return answer.status_code, "; ".join(str(e.get("message")) for e in errors)


@pytest.mark.parametrize("case", sorted(REFUSED_BY_BOTH))
def test_what_we_call_an_error_backstage_refuses(backstage: BackstageBackend, case: str) -> None:
    entity = _edited(*REFUSED_BY_BOTH[case])
    assert entity_problems(entity) != []
    status, _ = _verdict(backstage, entity)
    assert status == 400


@pytest.mark.parametrize("case", sorted(ACCEPTED_BY_BOTH))
def test_what_we_accept_backstage_accepts(backstage: BackstageBackend, case: str) -> None:
    entity = _edited(*ACCEPTED_BY_BOTH[case])
    assert entity_problems(entity) == []
    assert _verdict(backstage, entity) == (200, "")


def _could_never_resolve(backstage: BackstageBackend, reference: str) -> bool:
    """Whether Backstage refuses the reference, or refuses any entity of its name."""
    holder = copy.deepcopy(ENTITIES["Resource"])
    holder["spec"]["owner"] = reference
    if _verdict(backstage, holder)[0] == 400:
        return True
    _, _, name = parse_entity_ref(reference, "resource")
    named = copy.deepcopy(ENTITIES["Resource"])
    named["metadata"]["name"] = name
    return _verdict(backstage, named)[0] == 400


@pytest.mark.parametrize("case", sorted(DANGLING_FOREVER))
def test_a_reference_we_refuse_could_never_resolve_in_backstage(
    backstage: BackstageBackend, case: str
) -> None:
    kind, edit, reference = DANGLING_FOREVER[case]
    entity = _edited(kind, edit)
    assert any(_REFERENCE in p for p in entity_problems(entity))
    assert _could_never_resolve(backstage, reference)


def test_generated_entities_agree_both_ways(backstage: BackstageBackend) -> None:
    """Good and bad generated catalogs: every entity gets the same verdict from both."""
    entities: list[dict[str, Any]] = []

    @settings(max_examples=80, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(catalogs())
    def collect(document: dict[str, Any]) -> None:
        catalog, _ = schema_issues(document)
        if catalog is not None:
            for options in (
                ConvertOptions(api_definition="url"),
                ConvertOptions("ai-model-server"),
            ):
                try:
                    entities.extend(to_entities(catalog, options))
                except Exception:  # noqa: BLE001 (a layout this catalog cannot take)
                    continue

    collect()
    disagree: list[tuple[str, list[str], str]] = []
    ok = refused = 0
    for entity in entities:
        ours = entity_problems(entity)
        status, theirs = _verdict(backstage, entity)
        name = f"{entity['kind']} {entity['metadata'].get('name')!r}"
        beyond_references = [p for p in ours if _REFERENCE not in p]
        if beyond_references and status != 400:
            disagree.append((name, ours, "Backstage accepted it"))
        elif not ours and status != 200:
            disagree.append((name, ours, theirs))
        elif ours and not beyond_references and status == 200:
            for problem in ours:
                reference = problem.split("'")[1]
                if not _could_never_resolve(backstage, reference):
                    disagree.append((name, ours, "Backstage could resolve it"))
        ok += status == 200
        refused += status == 400
    assert disagree == []
    assert ok >= 20 and refused >= 20, (ok, refused)  # both verdicts were tried
