"""Backstage's rules for names, tags, keys, references and URLs, and the slugs that fix them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.rules import (
    is_valid_annotation_key,
    is_valid_dns_label,
    is_valid_entity_name,
    is_valid_entity_ref,
    is_valid_kind,
    is_valid_tag,
    is_valid_url,
    parse_entity_ref,
    slug,
    strip_whitespace,
    tag_slug,
)

# (value, valid) tables, as Backstage's catalog-model tests write them.
ENTITY_NAMES = [
    ("granite-8b", True),
    ("ibm-granite-granite-3.1-8b", True),
    ("a", True),
    ("A_b.c-D", True),
    ("a" * 63, True),
    ("a" * 64, False),
    ("", False),
    ("-granite", False),
    ("granite-", False),
    ("granite.", False),
    ("ibm-granite/granite-3.1-8b", False),
    ("kube:admin", False),
    ("my model", False),
    ("granite\n", False),
    ("grånite", False),
]
TAGS = [
    ("vllm", True),
    ("auth-required", True),
    ("c++", True),
    ("c#", True),
    ("k8s:prod", True),
    ("a" * 63, True),
    ("a" * 64, False),
    ("", False),
    ("vLLM", False),
    ("two words", False),
    ("a--b", False),
    ("-a", False),
    ("a_b", False),
    ("a.b", False),
    ("vllm\n", False),
]
ANNOTATION_KEYS = [
    ("backstage.io/techdocs-ref", True),
    ("example.com/team", True),
    ("some-string", True),
    ("rhdh.io/serverType", True),
    ("TechDocs", True),
    ("a/b/c", False),
    ("Example.com/team", False),
    ("/team", False),
    ("example.com/", False),
    ("bad key", False),
    ("key\n", False),
    ("x" * 254 + "/a", False),
]
KINDS = [
    ("Component", True),
    ("AiModelServerAPI", True),
    ("API", True),
    ("ai-model", False),
    ("1API", False),
    ("", False),
]
NAMESPACES = [("default", True), ("team-a", True), ("Default", False), ("a_b", False)]
REFS = [
    ("user:jdoe", True),
    ("group:default/ai-platform", True),
    ("jdoe", True),
    ("resource:granite-8b", True),
    ("api:default/developer-model-service", True),
    ("user:kube:admin", False),
    ("user:Team/x", False),
    ("us-er:jdoe", False),
    ("user:", False),
    ("user:a/b/c", False),
]
URLS = [
    ("https://huggingface.co/ibm-granite/granite-8b", True),
    ("http://localhost:8000/v1", True),
    ("wss://stream.example.com/socket", True),
    ("grpc://models.internal:8033", True),
    ("s3://bucket/models/granite", True),
    ("oci://quay.io/org/model:1.0", True),
    ("https://[::1]:8080/x", True),
    ("https://example.com/a b", False),
    (" https://example.com", False),
    ("https://example.com\n", False),
    ("example.com", False),
    ("http//x", False),
    ("https://", False),
    ("mailto:someone@example.com", False),
    ("/relative/path", False),
    ("", False),
    ("https://[::1/x", False),
]


def _ids(table: list[tuple[str, bool]]) -> list[str]:
    return [f"{value[:20]!r}-{'ok' if ok else 'bad'}" for value, ok in table]


@pytest.mark.parametrize(("value", "valid"), ENTITY_NAMES, ids=_ids(ENTITY_NAMES))
def test_entity_names(value: str, valid: bool) -> None:
    assert is_valid_entity_name(value) is valid


@pytest.mark.parametrize(("value", "valid"), TAGS, ids=_ids(TAGS))
def test_tags(value: str, valid: bool) -> None:
    assert is_valid_tag(value) is valid


@pytest.mark.parametrize(("value", "valid"), ANNOTATION_KEYS, ids=_ids(ANNOTATION_KEYS))
def test_annotation_keys(value: str, valid: bool) -> None:
    assert is_valid_annotation_key(value) is valid


@pytest.mark.parametrize(("value", "valid"), KINDS, ids=_ids(KINDS))
def test_kinds(value: str, valid: bool) -> None:
    assert is_valid_kind(value) is valid


@pytest.mark.parametrize(("value", "valid"), NAMESPACES, ids=_ids(NAMESPACES))
def test_namespaces(value: str, valid: bool) -> None:
    assert is_valid_dns_label(value) is valid


@pytest.mark.parametrize(("value", "valid"), REFS, ids=_ids(REFS))
def test_entity_references(value: str, valid: bool) -> None:
    assert is_valid_entity_ref(value) is valid


@pytest.mark.parametrize(("value", "valid"), URLS, ids=_ids(URLS))
def test_urls(value: str, valid: bool) -> None:
    assert is_valid_url(value) is valid


def test_entity_references_split_into_kind_namespace_and_name() -> None:
    assert parse_entity_ref("group:default/ai-platform") == ("group", "default", "ai-platform")
    assert parse_entity_ref("jdoe") == (None, "default", "jdoe")
    assert parse_entity_ref("granite", "resource") == ("resource", "default", "granite")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ibm-granite/granite-3.1-8b", "ibm-granite-granite-3.1-8b"),
        ("kube:admin", "kube-admin"),
        ("My Model  v2", "My-Model-v2"),
        ("--granite--", "granite"),
        ("!!!", "unnamed"),
        ("a" * 70, "a" * 63),
        ("a" * 62 + "-b", "a" * 62),
    ],
)
def test_slug_makes_a_valid_name_from_any_text(text: str, expected: str) -> None:
    assert slug(text) == expected
    assert is_valid_entity_name(slug(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hello World!", "hello-world"), ("vLLM", "vllm"), ("  ", ""), ("C++ / Rust", "c++-rust")],
)
def test_tag_slug_makes_a_valid_tag_or_nothing(text: str, expected: str) -> None:
    assert tag_slug(text) == expected


def test_strip_whitespace_removes_every_kind_of_space() -> None:
    assert strip_whitespace(" granite\t 8b\n\u00a0x\u3000") == "granite8bx"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_slugs_are_always_valid(text: str) -> None:
    assert is_valid_entity_name(slug(text))
    fixed = tag_slug(text)
    assert fixed == "" or is_valid_tag(fixed)
    assert slug(slug(text)) == slug(text)
