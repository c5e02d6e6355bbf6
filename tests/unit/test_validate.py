"""Validation: every issue at once, each at its path, with a fix that makes it go away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from core_helpers import EXAMPLE_IDS, OPTION_SETS, example, minimal_catalog

from catalog.convert import ConvertOptions
from catalog.issues import Fix, Issue, apply_fix, apply_fixes, get_at
from catalog.validate import fix_all, validate

AI = ConvertOptions(layout="ai-model-server")
CLASSIC = ConvertOptions()
Change = Callable[[dict[str, Any]], None]


def three_models() -> dict[str, Any]:
    """The minimal catalog with a third model, so that paths like ``models.2`` exist."""
    document = minimal_catalog()
    document["models"].append(
        {
            "name": "gemma-2b",
            "owner": "jdoe",
            "lifecycle": "production",
            "description": "Google Gemma 2b",
            "tags": ["google", "gemma"],
        }
    )
    return document


def model(i: int, **fields: Any) -> Change:
    return lambda d: d["models"][i].update(fields)


def server(**fields: Any) -> Change:
    return lambda d: d["modelServer"].update(fields)


def api(**fields: Any) -> Change:
    return lambda d: d["modelServer"]["API"].update(fields)


def drop(*path: str | int) -> Change:
    def change(d: dict[str, Any]) -> None:
        node: Any = d
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return change


@dataclass(frozen=True)
class Case:
    """A bad input, the issue it must raise, and the value its fix must write (if any)."""

    id: str
    change: Change
    path: str
    code: str
    severity: str
    fixed: Any = None  # the value at ``path`` after the fix; None: no fix offered
    options: ConvertOptions = CLASSIC
    removes: bool = False  # the fix removes the field


CASES = [
    # the catalog's own checks
    Case("empty-catalog", lambda d: (d.pop("modelServer"), d["models"].clear()),
         "models", "empty-catalog", "error"),
    Case("openai-typo", api(type="openai"), "modelServer.API.type", "api-type-typo", "warning",
         "openapi"),
    Case("name-blank", model(2, name="  "), "models.2.name", "required-empty", "error"),
    Case("owner-empty", model(0, owner=""), "models.0.owner", "required-empty", "error"),
    Case("lifecycle-blank", server(lifecycle="\t"), "modelServer.lifecycle",
         "required-empty", "error"),
    Case("api-url-blank", api(url=" "), "modelServer.API.url", "required-empty", "error"),
    Case("api-spec-empty", api(spec=""), "modelServer.API.spec", "required-empty", "error"),
    Case("description-empty", model(1, description=""), "models.1.description",
         "description-empty", "warning"),
    Case("server-description-blank", server(description="  "), "modelServer.description",
         "description-empty", "warning"),
    Case("homepage-empty", server(homepageURL=""), "modelServer.homepageURL",
         "empty-optional", "warning", removes=True),
    Case("how-to-use-empty", model(0, howToUseURL=" "), "models.0.howToUseURL",
         "empty-optional", "warning", removes=True),
    Case("license-empty", model(0, license=""), "models.0.license",
         "empty-optional", "warning", removes=True),
    Case("usage-empty", model(2, usage=""), "models.2.usage", "empty-optional", "warning",
         removes=True),
    Case("hugging-face-id", model(2, name="ibm-granite/granite-3.1-8b"), "models.2.name",
         "invalid-name", "error", "ibm-granite-granite-3.1-8b"),
    Case("server-name-invalid", server(name="model service!"), "modelServer.name",
         "invalid-name", "error", "model-service"),
    Case("name-too-long", model(1, name="m" * 70), "models.1.name", "invalid-name", "error",
         "m" * 63),
    Case("name-whitespace", model(1, name="mistral 7b"), "models.1.name", "name-whitespace",
         "warning", "mistral-7b"),
    Case("duplicate-name", model(2, name="granite-8b"), "models.2.name", "duplicate-name",
         "error", "granite-8b-2"),
    Case("duplicate-name-any-case", model(2, name="Granite-8B"), "models.2.name",
         "duplicate-name", "error", "Granite-8B-2"),
    Case("duplicate-after-whitespace", model(2, name="granite- 8b"), "models.2.name",
         "duplicate-name", "error", "granite-8b-2"),
    Case("kube-admin-owner", model(2, owner="kube:admin"), "models.2.owner", "invalid-owner",
         "error", "kube-admin"),
    Case("user-ref-invalid", server(owner="user:kube:admin"), "modelServer.owner",
         "invalid-owner", "error", "user:kube-admin"),
    Case("owner-with-slash", model(0, owner="team/ml ops"), "models.0.owner", "invalid-owner",
         "error", "team-mlops"),
    Case("lifecycle-unusual", model(0, lifecycle="beta"), "models.0.lifecycle",
         "lifecycle-unusual", "warning"),
    Case("lifecycle-case", server(lifecycle="Production"), "modelServer.lifecycle",
         "lifecycle-unusual", "warning", "production"),
    Case("url-without-scheme", model(0, artifactLocationURL="example.com/granite"),
         "models.0.artifactLocationURL", "invalid-url", "error", "https://example.com/granite"),
    Case("url-missing-colon", server(homepageURL="http//x"), "modelServer.homepageURL",
         "invalid-url", "error"),
    Case("api-url-relative", api(url="/v1/chat"), "modelServer.API.url", "invalid-url",
         "error"),
    Case("spec-broken-link", api(spec="https://exa mple.com/openapi.json"),
         "modelServer.API.spec", "invalid-url", "error"),
    Case("invalid-tag", lambda d: d["models"][2]["tags"].insert(1, "Large Language Model!"),
         "models.2.tags.1", "invalid-tag", "warning", "large-language-model"),
    Case("tag-nothing-left", lambda d: d["models"][2]["tags"].insert(1, "!!!"),
         "models.2.tags.1", "invalid-tag", "warning", removes=True),
    Case("duplicate-tag", lambda d: d["models"][2]["tags"].append("Google"),
         "models.2.tags.2", "duplicate-tag", "warning", removes=True),
    Case("tag-case", lambda d: d["modelServer"]["tags"].append("IBM"), "modelServer.tags.2",
         "tag-case", "warning", "ibm"),
    Case("api-tag-case", lambda d: d["modelServer"]["API"]["tags"].append("OpenAI"),
         "modelServer.API.tags.1", "tag-case", "warning", "openai"),
    Case("techdocs-empty", model(0, annotations={"TechDocs": " ", "a": "b"}),
         "models.0.annotations", "techdocs-empty", "warning", {"a": "b"}),
    Case("techdocs-conflict",
         model(0, annotations={"techdocs": "https://x.io", "backstage.io/techdocs-ref": "dir:."}),
         "models.0.annotations", "techdocs-conflict", "warning",
         {"backstage.io/techdocs-ref": "dir:."}),
    Case("techdocs-twice",
         model(0, annotations={"TechDocs": "https://a.io", "techdocs": "https://b.io"}),
         "models.0.annotations", "techdocs-conflict", "warning", {"TechDocs": "https://a.io"}),
    Case("annotation-key", server(annotations={"my key": "x", "example.com/ok": "y"}),
         "modelServer.annotations", "invalid-annotation-key", "error",
         {"my-key": "x", "example.com/ok": "y"}),
    Case("annotation-key-prefix", model(1, annotations={"Example.COM/team": "x"}),
         "models.1.annotations", "invalid-annotation-key", "error", {"example.com/team": "x"}),
    Case("annotation-key-newline", api(annotations={"team\n": "x"}),
         "modelServer.API.annotations", "invalid-annotation-key", "error", {"team": "x"}),
    Case("license-near-miss", model(0, license="apache 2"), "models.0.license",
         "license-unknown", "warning", "Apache-2.0"),
    Case("license-free-text", model(0, license="ask the legal team"), "models.0.license",
         "license-unknown", "warning"),
    Case("api-spec-s3-link", api(spec="s3://specs/openapi.yaml"), "modelServer.API.spec",
         "unfetchable-spec", "warning"),
    Case("api-spec-grpc-link", api(spec="GRPC://x.io:8033/spec"), "modelServer.API.spec",
         "unfetchable-spec", "warning"),
    Case("ai-layout-no-server", drop("modelServer"), "modelServer", "layout", "error",
         options=AI),
    Case("ai-layout-no-api", drop("modelServer", "API"), "modelServer.API", "layout", "error",
         options=AI),
    Case("ai-layout-default-model", server(annotations={"rhdh.io/default": "llama"}),
         "modelServer.annotations", "default-model", "error", {}, options=AI),
    Case("ai-layout-owner-annotation", server(annotations={"rhdh.io/owner": "ML Platform!"}),
         "modelServer.annotations", "invalid-owner", "error",
         {"rhdh.io/owner": "MLPlatform"}, options=AI),
    Case("ai-layout-group-owner-annotation",
         server(annotations={"rhdh.io/owner": "group:ml team!", "x.io/k": "v"}),
         "modelServer.annotations", "invalid-owner", "error",
         {"rhdh.io/owner": "group:mlteam", "x.io/k": "v"}, options=AI),
    Case("ai-layout-system-annotation", server(annotations={"rhdh.io/system": "Vision Line"}),
         "modelServer.annotations", "invalid-system", "error",
         {"rhdh.io/system": "Vision-Line"}, options=AI),
    # the pydantic adapter
    Case("missing-name", drop("models", 1, "name"), "models.1.name", "required", "error"),
    Case("missing-api-spec", drop("modelServer", "API", "spec"), "modelServer.API.spec",
         "required", "error"),
    Case("missing-models", drop("models"), "models", "required", "error"),
    Case("unknown-key", model(2, licence="MIT"), "models.2.licence", "unknown-field", "error",
         removes=True),
    Case("unknown-top-level-key", lambda d: d.update(modelSever={}), "modelSever",
         "unknown-field", "error", removes=True),
    Case("unknown-key-with-dots", model(0, **{"backstage.io/techdocs-ref": "dir:."}),
         "models.0.backstage.io/techdocs-ref", "unknown-field", "error", removes=True),
    Case("unknown-key-digits", api(**{"2": "x"}), "modelServer.API.2", "unknown-field",
         "error", removes=True),
    Case("bool-as-text", server(authentication="yes"), "modelServer.authentication", "type",
         "error"),
    Case("tag-not-text", lambda d: d["models"][2]["tags"].insert(1, 5), "models.2.tags.1",
         "type", "error"),
    Case("tags-not-a-list", model(0, tags="granite"), "models.0.tags", "type", "error"),
    Case("annotation-not-text", model(0, annotations={"example.com/n": 1}),
         "models.0.annotations", "type", "error"),
    Case("models-not-a-list", lambda d: d.update(models={"name": "x"}), "models", "type",
         "error"),
    Case("server-not-an-object", server(API="https://api.example.com"), "modelServer.API",
         "type", "error"),
    Case("unknown-api-type", api(type="soap"), "modelServer.API.type", "enum", "error"),
]  # fmt: skip


def _bad(case: Case) -> dict[str, Any]:
    document = three_models()
    case.change(document)
    return document


def _matching(issues: list[Any], case: Case) -> list[Any]:
    return [i for i in issues if i.path == case.path and i.code == case.code]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_problem_is_reported_at_its_path(case: Case) -> None:
    report = validate(_bad(case), case.options)
    found = _matching(report.issues, case)
    assert len(found) == 1, [str(i) for i in report.issues]
    issue = found[0]
    assert issue.severity == case.severity
    assert issue.message and "Traceback" not in issue.message
    assert report.ok is (not report.errors)
    if case.severity == "error":
        assert not report.ok
        assert report.entities is None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_fix_makes_the_problem_go_away(case: Case) -> None:
    document = _bad(case)
    (issue,) = _matching(validate(document, case.options).issues, case)
    if case.fixed is None and not case.removes:
        assert issue.fix is None
        return
    assert issue.fix is not None and issue.fix.label
    fixed = apply_fix(document, issue.fix)
    if case.removes:
        assert issue.fix.op == "remove"
    else:
        assert get_at(fixed, issue.fix.path) == case.fixed
    after = validate(fixed, case.options)
    assert _matching(after.issues, case) == []
    assert document == _bad(case), "apply_fix must not change its input"


def test_the_reference_examples_are_valid_with_warnings_only() -> None:
    for name in EXAMPLE_IDS:
        for options in OPTION_SETS.values():
            report = validate(example(name), options)
            assert report.ok, (name, options, [str(i) for i in report.errors])
            assert report.entities


def test_a_clean_catalog_has_no_issues_and_carries_its_entities() -> None:
    report = validate(minimal_catalog())
    assert report.issues == []
    assert report.catalog is not None
    kinds = [e["kind"] for e in report.entities or []]
    assert kinds == ["Component", "API", "Resource", "Resource"]


def test_every_problem_is_reported_at_once() -> None:
    document = three_models()
    document["models"][0]["name"] = "ibm-granite/granite-3.1-8b"
    document["models"][1]["owner"] = "kube:admin"
    document["models"][2]["name"] = "mistral-7b"
    document["models"][2]["tags"] = ["ok", "Large Language Model!"]
    document["models"][0]["artifactLocationURL"] = "example.com/granite"
    document["models"][1]["lifecycle"] = "beta"
    document["modelServer"]["API"]["type"] = "openai"
    document["modelServer"]["homepageURL"] = ""
    document["models"][0]["licence"] = "MIT"
    document["modelServer"]["authentication"] = "yes"
    report = validate(document)
    assert {(i.path, i.code) for i in report.issues} == {
        ("models.0.name", "invalid-name"),
        ("models.1.owner", "invalid-owner"),
        ("models.2.name", "duplicate-name"),
        ("models.2.tags.1", "invalid-tag"),
        ("models.0.artifactLocationURL", "invalid-url"),
        ("models.1.lifecycle", "lifecycle-unusual"),
        ("modelServer.API.type", "api-type-typo"),
        ("modelServer.homepageURL", "empty-optional"),
        ("models.0.licence", "unknown-field"),
        ("modelServer.authentication", "type"),
    }
    assert len(report.errors) == 6


def test_issues_of_one_field_are_found_by_its_path() -> None:
    document = three_models()
    document["models"][2]["tags"] = ["A B", "ok", "ok"]
    report = validate(document)
    assert [i.code for i in report.for_path("models.2.tags")] == ["tag-case", "duplicate-tag"]
    assert report.for_path("models.2.tag") == []
    assert report.for_path("models.1") == []


def test_a_third_copy_gets_the_next_free_number() -> None:
    document = three_models()
    document["models"][1]["name"] = "granite-8b"
    document["models"][2]["name"] = "granite-8b"
    fixes = [i.fix.value for i in validate(document).issues if i.code == "duplicate-name" and i.fix]
    assert fixes == ["granite-8b-2", "granite-8b-3"]


def test_a_document_that_is_not_an_object_is_one_error() -> None:
    for document in ([], "models", None, 3):
        report = validate(document)
        assert [(i.path, i.code) for i in report.issues] == [("", "not-an-object")]


def test_control_annotations_that_break_the_entity_are_reported_at_the_annotation() -> None:
    document = minimal_catalog()
    document["modelServer"]["annotations"] = {"rhdh.io/owner": "kube:admin"}
    report = validate(document, AI)
    assert not report.ok
    (issue,) = report.errors
    assert issue.path == "modelServer.annotations" and "rhdh.io/owner" in issue.message
    assert validate(document, CLASSIC).ok, "the classic layout does not read the annotation"


@pytest.mark.parametrize(
    "url", ["https://x.io/a", "wss://x.io/s", "grpc://x.io:8033", "s3://bucket/k", "oci://q.io/m"]
)
def test_url_fields_take_any_absolute_url(url: str) -> None:
    document = three_models()
    document["models"][0]["artifactLocationURL"] = url
    document["modelServer"]["API"]["url"] = url
    assert validate(document).issues == []


def test_spaces_around_a_url_are_trimmed_silently() -> None:
    document = three_models()
    document["models"][1]["howToUseURL"] = " https://docs.example.com\n"
    report = validate(document)
    assert report.issues == []
    assert report.entities is not None
    links = report.entities[3]["metadata"]["links"]
    assert links == [{"url": "https://docs.example.com", "title": "How to use"}]


def test_an_unfetchable_spec_link_is_fine_when_written_as_it_is() -> None:
    document = three_models()
    document["modelServer"]["API"]["spec"] = "s3://specs/openapi.yaml"
    (warning,) = validate(document).warnings
    assert "https" in warning.message and "paste" in warning.message
    url_mode = ConvertOptions(api_definition="url")
    assert validate(document, url_mode).issues == []
    assert validate(document, AI).ok


@pytest.mark.parametrize("url", ["example.com", "http//x", "", "granite"])
def test_url_fields_refuse_what_is_no_absolute_url(url: str) -> None:
    document = three_models()
    document["models"][0]["artifactLocationURL"] = url
    codes = [i.code for i in validate(document).for_path("models.0.artifactLocationURL")]
    assert codes == (["empty-optional"] if url == "" else ["invalid-url"])


# --- fixing everything -----------------------------------------------------------------


def _everything_fixable() -> dict[str, Any]:
    document = three_models()
    document["models"][0]["name"] = "ibm-granite/granite-3.1-8b"
    document["models"][1]["name"] = "mistral 7b"
    document["models"][2]["name"] = "mistral-7b"
    document["models"][0]["owner"] = "kube:admin"
    document["models"][2]["tags"] = ["Large Language Model!", "GEMMA", "gemma", "!!"]
    document["models"][0]["artifactLocationURL"] = "huggingface.co/ibm-granite/granite"
    document["models"][0]["howToUseURL"] = ""
    document["models"][0]["license"] = "apache 2"
    document["models"][1]["lifecycle"] = "Experimental"
    document["models"][1]["annotations"] = {"TechDocs": ""}
    document["modelServer"]["API"]["type"] = "openai"
    document["modelServer"]["annotations"] = {"bad key": "1", "worse key": "2", "ok": "3"}
    document["modelServer"]["tags"] = ["vLLM", "vllm", "x y"]
    document["models"][1]["extra"] = "unknown field"
    document["models"][1]["backstage.io/techdocs-ref"] = "dir:."
    return document


def test_fix_all_makes_a_catalog_with_fixable_problems_valid_without_warnings() -> None:
    document = _everything_fixable()
    assert len(validate(document).errors) >= 6
    fixed, report = fix_all(document)
    assert report.ok, [str(i) for i in report.issues]
    assert report.issues == []
    assert [m["name"] for m in fixed["models"]] == [
        "ibm-granite-granite-3.1-8b",
        "mistral-7b",
        "mistral-7b-2",
    ]
    assert fixed["models"][2]["tags"] == ["large-language-model", "gemma"]
    assert fixed["modelServer"]["annotations"] == {"bad-key": "1", "worse-key": "2", "ok": "3"}
    assert fixed["models"][0]["license"] == "Apache-2.0"
    assert document == _everything_fixable(), "fix_all must not change its input"


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS.keys())
def test_fix_all_works_for_every_layout(options: ConvertOptions) -> None:
    _, report = fix_all(_everything_fixable(), options)
    assert report.ok
    assert report.entities


def test_fix_all_leaves_what_only_a_person_can_decide() -> None:
    document = three_models()
    document["models"][0]["name"] = ""
    document["modelServer"]["homepageURL"] = "http//x"
    _, report = fix_all(document)
    assert {(i.path, i.code) for i in report.errors} == {
        ("models.0.name", "required-empty"),
        ("modelServer.homepageURL", "invalid-url"),
    }


def test_apply_fixes_removes_list_items_from_the_end_so_indices_stay_right() -> None:
    document = {"models": [{"tags": ["a", "b", "c", "d"]}]}
    issues = [
        Issue(
            f"models.0.tags.{i}",
            "duplicate-tag",
            "warning",
            "x",
            Fix("remove", f"models.0.tags.{i}", "drop"),
        )
        for i in (1, 3)
    ]
    assert apply_fixes(document, issues)["models"][0]["tags"] == ["a", "c"]


def test_a_fix_without_a_path_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="path"):
        apply_fix({}, Fix("set", "", "nothing"))
