"""Our own YAML emitter: what it writes reads back as exactly what it was given.

``yaml.safe_load`` (libyaml and pure Python) of the output must give back the input for
any tree of dicts, lists and text, and every plain scalar must also be text to a YAML 1.2
reader (Backstage reads catalog-info.yaml with one).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from core_helpers import EXAMPLE_IDS, OPTION_SETS, example, minimal_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.convert import to_entities
from catalog.emit import scalar, to_json, to_yaml, to_yaml_document
from catalog.schema import ModelCatalog

C_LOADER = yaml.CSafeLoader
PY_LOADER = yaml.SafeLoader

# The YAML 1.2 core schema's non-text plain scalars (yaml.org/spec/1.2.2, 10.3.2).
_YAML12_NOT_TEXT = re.compile(
    r"(?:null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))?\Z"
)


def load(text: str, loader: Any = C_LOADER) -> Any:
    return yaml.load(text, Loader=loader)


def load_all(text: str, loader: Any = C_LOADER) -> list[Any]:
    return list(yaml.load_all(text, Loader=loader))


def plain_scalars(text: str) -> list[str]:
    """Every scalar written without quotes or block style."""
    return [
        event.value
        for event in yaml.parse(text, Loader=C_LOADER)
        if isinstance(event, yaml.ScalarEvent) and event.style is None
    ]


def assert_reads_back(tree: dict[str, Any]) -> str:
    text = to_yaml_document(tree)
    assert load(text, C_LOADER) == tree
    assert load(text, PY_LOADER) == tree
    for value in plain_scalars(text):
        assert not _YAML12_NOT_TEXT.match(value), f"a YAML 1.2 reader sees {value!r} as no text"
    return text


# --- entities --------------------------------------------------------------------------


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS.keys())
@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_entities_read_back_exactly(name: str, options: Any) -> None:
    entities = to_entities(ModelCatalog.model_validate(example(name)), options)
    text = to_yaml(entities)
    assert load_all(text, C_LOADER) == entities
    assert load_all(text, PY_LOADER) == entities


def test_documents_are_separated_and_keys_come_in_backstage_order() -> None:
    entities = to_entities(ModelCatalog.model_validate(minimal_catalog()))
    text = to_yaml(entities)
    documents = text.split("---\n")
    assert len(documents) == len(entities) == 4
    for document in documents:
        top_level = [line.split(":")[0] for line in document.splitlines() if line[:1].isalpha()]
        assert top_level == ["apiVersion", "kind", "metadata", "spec"]
    assert text.startswith("apiVersion: backstage.io/v1alpha1\nkind: Component\n")
    assert "  owner: user:jdoe\n" in text


def test_output_looks_hand_written() -> None:
    text = to_yaml_document(
        {"metadata": {"name": "granite", "tags": ["a", "b"], "links": [{"url": "https://x.io"}]}}
    )
    assert text == (
        "metadata:\n  name: granite\n  tags:\n    - a\n    - b\n  links:\n    - url: https://x.io\n"
    )


def test_multi_line_text_is_a_literal_block() -> None:
    definition = '{\n  "openapi": "3.1.0",\n\n  "paths": {}\n}\n'
    text = assert_reads_back({"spec": {"definition": definition}})
    assert text == (
        'spec:\n  definition: |\n    {\n      "openapi": "3.1.0",\n\n      "paths": {}\n    }\n'
    )


@pytest.mark.parametrize(
    ("value", "header"),
    [
        ("one\ntwo", "|-"),
        ("one\ntwo\n", "|"),
        ("  indented first\nsecond", "|2-"),
        ("\n  after a blank line\n", "|2"),
        ("\tafter a tab\nx", "|2-"),
    ],
)
def test_literal_block_headers_keep_every_character(value: str, header: str) -> None:
    text = assert_reads_back({"usage": value})
    assert text.startswith(f"usage: {header}\n")


@pytest.mark.parametrize(
    "value",
    ["two trailing newlines\n\n", "trailing space \nx", "carriage\r\nreturn", "\n"],
)
def test_text_a_block_cannot_hold_exactly_is_quoted(value: str) -> None:
    text = assert_reads_back({"usage": value})
    assert text.startswith('usage: "')


def test_long_single_line_text_is_folded() -> None:
    description = " ".join(
        ["Granite-8B-Code-Instruct is a code model fine-tuned on permissive data"] * 4
    )
    text = assert_reads_back({"description": description})
    lines = text.splitlines()
    assert lines[0] == "description: >-"
    assert len(lines) > 2
    assert all(len(line) <= 2 + 80 for line in lines[1:])


@pytest.mark.parametrize(
    "value",
    ["x" * 500, "a  double  space " * 10, "ends with a space " * 10, "tab\tinside " * 10],
)
def test_long_text_that_cannot_be_folded_exactly_stays_on_one_line(value: str) -> None:
    text = assert_reads_back({"description": value})
    assert len(text.splitlines()) == 1


def test_the_same_list_twice_is_written_out_twice_never_as_an_alias() -> None:
    shared = ["granite", "vllm"]
    owner = {"kind": "Group"}
    tree = {"a": {"tags": shared, "owner": owner}, "b": {"tags": shared, "owner": owner}}
    text = assert_reads_back(tree)
    for line in text.splitlines():
        value = line.split(": ", 1)[1] if ": " in line else line.strip().removeprefix("- ")
        assert not value.startswith(("&", "*")), line
    assert text.count("- granite") == 2


# Strings a YAML reader would take for something else, or could not read, if unquoted.
SPECIAL = [
    "yes", "no", "on", "off", "y", "n", "true", "False", "null", "Null", "~", "",
    "1.0", "10", "0x1F", "0o17", "1e3", "1_000", ".5", "+1", "-1", ".inf", ".NaN", "12:30:00",
    "2024-01-01", "2024-01-01 10:00:00",
    ": ", "a: b", "a:", "a #b", "#x", " leading", "trailing ", " ",
    "@x", "`x", "*x", "&x", "!x", "%x", "- x", "-", "? x", "?", "[x", "]x", "{x", "}x",
    ",x", "'x", '"x', "|x", ">x", "=", "<<",
    "tab\there", "\t", "cr\rhere", "nel\x85here", "line\u2028sep", "para\u2029sep",
    "\ufeffbom", "zero\x00byte", "bell\x07", "del\x7f", "c1\x9f", "\ufffe", "\uffff",
    "emoji 🤖 ok", "日本語", "\u00a0nbsp", "x" * 2000, "word " * 300,
    "back\\slash", "quote\"inside", "apostrophe's",
]  # fmt: skip


@pytest.mark.parametrize("value", SPECIAL, ids=[repr(v[:12]) for v in SPECIAL])
def test_special_strings_read_back_as_the_same_text(value: str) -> None:
    assert_reads_back({"value": value, "list": [value], value[:200]: "as a key"})


@pytest.mark.parametrize(
    "value", ["yes", "null", "1.0", "0x1F", "2024-01-01", "~", "1e3", "0o17", "@x", "- x"]
)
def test_lookalikes_are_quoted(value: str) -> None:
    assert scalar(value) == json.dumps(value)


@pytest.mark.parametrize(
    "value", ["granite-8b", "user:jdoe", "https://example.com/a?b=c#d", "backstage.io/x", "7b"]
)
def test_ordinary_values_stay_plain(value: str) -> None:
    assert scalar(value) == value


def test_keys_longer_than_yaml_allows_for_simple_keys_are_written_explicitly() -> None:
    tree = {"k" * 2000: "v", "é" * 600: {"nested": ["x"]}, "short": "s"}
    text = assert_reads_back(tree)
    assert text.startswith("? ")


def test_numbers_booleans_and_null_keep_their_type() -> None:
    tree = {
        "int": 42,
        "negative": -7,
        "float": 1.5,
        "big": 1e16,
        "small": 1e-7,
        "inf": float("inf"),
        "yes": True,
        "no": False,
        "none": None,
        "empty": {},
        "nothing": [],
        "nested": [[], {}, [1, [2]]],
    }
    assert_reads_back(tree)


def test_an_empty_mapping_is_still_a_mapping() -> None:
    assert load(to_yaml_document({})) == {}


def test_values_yaml_cannot_represent_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        to_yaml_document({"when": object()})


# --- any tree of dicts, lists and text -------------------------------------------------

TEXT = st.text()
# Text built from the characters that matter to YAML, so that the rare cases come up often.
YAML_TEXT = st.lists(
    st.sampled_from(
        [
            " ", "  ", "\t", "\n", "\r", "\x85", "\u2028", "\ufeff", "\x00", "\x7f", "\xa0",
            ":", ": ", "#", " #", "-", "- ", "?", "&", "*", "!", "|", ">", "'", '"', "%", "@",
            "`", "[", "]", "{", "}", ",", "~", "=", "<<", "\\", "0", "1.0", "0x1F", "1e3",
            "yes", "null", "2024-01-01", "a", "word", "x" * 90,
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip
STRINGS = st.one_of(TEXT, YAML_TEXT)
TREES = st.recursive(
    STRINGS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(STRINGS, children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(STRINGS, TREES, max_size=6))
def test_any_tree_of_text_reads_back_exactly(tree: dict[str, Any]) -> None:
    assert_reads_back(tree)


JSON_LEAVES = st.one_of(
    st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()
)
JSON_TREES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(), JSON_TREES, max_size=6))
def test_any_json_document_reads_back_exactly(tree: dict[str, Any]) -> None:
    assert_reads_back(tree)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_TREES)
def test_to_json_writes_exactly_what_json_dumps_does(tree: Any) -> None:
    assert to_json(tree) == json.dumps(tree, indent=2, ensure_ascii=False) + "\n"


def test_to_json_falls_back_to_json_dumps_for_what_it_does_not_write_itself() -> None:
    tree = {"ids": {1: "one", None: "none"}, "pair": ("a", "b")}
    assert to_json(tree) == json.dumps(tree, indent=2, ensure_ascii=False) + "\n"
    with pytest.raises(TypeError):
        to_json({"when": object()})
