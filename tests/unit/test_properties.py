"""Properties of arbitrary schema-shaped catalogs, good and bad (hypothesis).

1. Either ``validate`` reports an error, or every entity it produced passes Backstage's
   runtime rules and JSON Schemas, no reference dangles, and the YAML reads back exactly.
2. A catalog without errors survives catalog -> entities -> catalog-info.yaml -> catalog
   on every field the mapping carries.
"""

from __future__ import annotations

from typing import Any

import yaml
from core_helpers import OPTION_SETS, schema_errors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.backstage import entity_problems, reference_problems
from catalog.checks import without_api_type_typo
from catalog.convert import ConvertOptions, model_annotations, normalise_tags, owner_ref
from catalog.emit import to_yaml
from catalog.licenses import license_url
from catalog.reverse import import_catalog_info
from catalog.rules import strip_whitespace
from catalog.schema import ModelCatalog
from catalog.validate import fix_all, validate


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``good`` seven times in eight, else ``bad``: enough valid catalogs to test, and
    enough broken ones to keep validation honest."""
    return st.integers(0, 7).flatmap(lambda i: bad if i == 0 else good)


VALID_NAME = st.from_regex(r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?", fullmatch=True)
NAMES = mostly(
    st.one_of(
        st.sampled_from(["granite-8b", "mistral-7b", "gemma_2.b", "granite 8b", " llama ", "1e3"]),
        VALID_NAME,
    ),
    st.one_of(
        st.sampled_from(
            ["Granite-8B", "ibm-granite/granite-3.1-8b", "kube:admin", "-bad-", "", "  ",
             "m" * 64, "grånite"]
        ),
        st.text(max_size=12),
    ),
)  # fmt: skip
OWNERS = mostly(
    st.sampled_from(["jdoe", "user:jdoe", "group:default/ai-platform", "group:ml", " jane.doe "]),
    st.sampled_from(["kube:admin", "", "user:Bad Name", "team/ml", "jane doe?"]),
)
LIFECYCLES = mostly(
    st.sampled_from(["production", "experimental", "deprecated"]),
    st.sampled_from(["beta", "", "Production", " "]),
)
TEXT = st.one_of(
    st.sampled_from(["", " ", "A model.", "line one\nline two\n", "x" * 120, "yes", "- item"]),
    st.text(max_size=40),
)
TAGS = st.lists(
    mostly(
        st.one_of(
            st.sampled_from(["vllm", "vLLM", "granite", "c++", "c#", "k8s:prod", "1e3", "no"]),
            st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8})?", fullmatch=True),
        ),
        st.one_of(
            st.sampled_from(["bad tag!", "", "x" * 70, "Large Language Model", "a--b"]),
            st.text(max_size=8),
        ),
    ),
    max_size=5,
)  # fmt: skip
URLS = mostly(
    st.sampled_from(
        ["https://huggingface.co/ibm-granite/granite", "s3://bucket/models/x", "oci://quay.io/m:1",
         "grpc://models:8033", "wss://x.io/s", " https://padded.example.com ",
         "https://example.com/a?b=c#d"]
    ),
    st.one_of(
        st.sampled_from(["example.com/x", "http//x", "", " ", "ftp://"]), st.text(max_size=9)
    ),
)  # fmt: skip
ANNOTATION_KEYS = mostly(
    st.sampled_from(
        ["example.com/team", "TechDocs", "techdocs", "backstage.io/techdocs-ref", "rhdh.io/default",
         "rhdh.io/owner", "rhdh.io/lifecycle", "rhdh.io/system", "rhdh.io/serverType", "Team"]
    ),
    st.one_of(st.sampled_from(["bad key", "a/b/c", "key\n"]), st.text(max_size=8)),
)  # fmt: skip
ANNOTATION_VALUES = st.one_of(
    st.sampled_from(
        ["https://docs.example.com/x", "dir:.", "url:https://x.io", "granite-8b", "group:ml", ""]
    ),
    st.text(max_size=12),
)
ANNOTATIONS = st.dictionaries(ANNOTATION_KEYS, ANNOTATION_VALUES, max_size=3)
LICENSES = st.sampled_from(
    ["Apache-2.0", "apache-2.0", "MIT", "https://www.apache.org/licenses/LICENSE-2.0",
     "apache 2", "proprietary", "", "https://spdx.org/licenses/MIT.html"]
)  # fmt: skip
SPECS = mostly(
    st.sampled_from(
        ["https://example.com/openapi.json", '{\n  "openapi": "3.1.0"\n}',
         "openapi: 3.0.0\npaths: {}", 'syntax = "proto3";\n']
    ),
    st.sampled_from(["", "https://exa mple.com/x"]),
)  # fmt: skip


@st.composite
def optional(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """Each optional field absent, or drawn (which may be empty)."""
    return {k: draw(v) for k, v in fields.items() if draw(st.booleans())}


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    model = {
        "name": draw(NAMES),
        "owner": draw(OWNERS),
        "lifecycle": draw(LIFECYCLES),
        "description": draw(TEXT),
    }
    model.update(
        draw(
            optional(
                {
                    "artifactLocationURL": URLS,
                    "howToUseURL": URLS,
                    "license": LICENSES,
                    "tags": TAGS,
                    "annotations": ANNOTATIONS,
                    "usage": TEXT,
                    "training": TEXT,
                    "ethics": TEXT,
                    "support": TEXT,
                }
            )
        )
    )
    return model


@st.composite
def catalogs(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = {"models": draw(st.lists(models(), max_size=4))}
    if draw(st.integers(0, 4)):
        server = {
            "name": draw(NAMES),
            "owner": draw(OWNERS),
            "lifecycle": draw(LIFECYCLES),
            "description": draw(TEXT),
        }
        server.update(
            draw(
                optional(
                    {
                        "authentication": st.booleans(),
                        "homepageURL": URLS,
                        "tags": TAGS,
                        "usage": TEXT,
                        "annotations": ANNOTATIONS,
                    }
                )
            )
        )
        if draw(st.integers(0, 3)):
            api = {
                "url": draw(URLS),
                "type": draw(st.sampled_from(["openapi", "asyncapi", "graphql", "grpc", "openai"])),
                "spec": draw(SPECS),
            }
            api.update(draw(optional({"tags": TAGS, "annotations": ANNOTATIONS})))
            server["API"] = api
        document["modelServer"] = server
    return document


PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@PROPERTY_SETTINGS
@given(catalogs(), st.sampled_from(sorted(OPTION_SETS)), st.booleans())
def test_valid_catalogs_make_entities_backstage_accepts(
    document: dict[str, Any], layout: str, fix: bool
) -> None:
    if fix:  # what --fix makes of it must hold to the same promise
        document, _ = fix_all(document, OPTION_SETS[layout])
    report = validate(document, OPTION_SETS[layout])
    if not report.ok:
        assert report.entities is None
        return
    entities = report.entities
    assert entities is not None
    for entity in entities:
        assert entity_problems(entity) == [], entity
        assert schema_errors(entity) == [], entity
    assert reference_problems(entities) == []
    assert list(yaml.safe_load_all(to_yaml(entities))) == entities


def _mapped(document: dict[str, Any]) -> dict[str, Any]:
    """What the classic layout carries, in normal form (see test_reverse.mapped)."""
    catalog = ModelCatalog.model_validate(without_api_type_typo(document))  # openai: openapi

    def base(obj: Any) -> dict[str, Any]:
        return {
            "name": strip_whitespace(obj.name),
            "owner": owner_ref(obj.owner),
            "lifecycle": obj.lifecycle.strip(),
            "description": obj.description if obj.description.strip() else "",
        }

    def url(value: str | None) -> str | None:
        return (value or "").strip() or None

    out: dict[str, Any] = {"server": None, "models": []}
    server = catalog.modelServer
    if server is not None:
        annotations = dict((server.API.annotations or {}) if server.API else {})
        annotations.update(server.annotations or {})
        out["server"] = {
            **base(server),
            "authentication": bool(server.authentication),
            "homepageURL": url(server.homepageURL),
            "tags": normalise_tags(server.tags),
            "annotations": annotations,
            "API": server.API
            and {
                "url": server.API.url.strip(),
                "type": server.API.type,
                "spec": server.API.spec.strip(),
                "tags": normalise_tags(server.API.tags),
            },
        }
    for model in catalog.models:
        out["models"].append(
            {
                **base(model),
                "artifactLocationURL": url(model.artifactLocationURL),
                "howToUseURL": url(model.howToUseURL),
                "license": license_url(model.license),
                "tags": normalise_tags(model.tags),
                "annotations": model_annotations(model),
            }
        )
    return out


def _no_auth_tags(document: dict[str, Any]) -> bool:
    """The auth tags are the mapping's own: a user's copy of one cannot round-trip."""
    server = document.get("modelServer") or {}
    tags = [*(server.get("tags") or []), *((server.get("API") or {}).get("tags") or [])]
    return not any(strip_whitespace(t).lower().startswith("auth-") for t in tags)


@PROPERTY_SETTINGS
@given(catalogs(), st.sampled_from(["classic-ref", "classic-url"]), st.booleans())
def test_catalogs_without_errors_round_trip_through_catalog_info(
    document: dict[str, Any], layout: str, fix: bool
) -> None:
    options: ConvertOptions = OPTION_SETS[layout]
    if fix:
        document, _ = fix_all(document, options)
    report = validate(document, options)
    if not report.ok or not _no_auth_tags(document):
        return
    assert report.entities is not None
    result = import_catalog_info(to_yaml(report.entities))
    assert result.left_out == []
    back = result.document
    assert validate(back, options).ok, [str(i) for i in validate(back, options).errors]
    assert _mapped(back) == _mapped(document)
