"""Reading untrusted JSON and YAML: plain data in, or one clear InputError out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from core_helpers import CATALOG_INFO, EXAMPLES

from catalog import reader
from catalog.errors import InputError
from catalog.reader import MAX_DEPTH, check_shape, decode_text, load_document, load_documents

CATALOG = {"models": [{"name": "granite", "owner": "jdoe", "lifecycle": "p", "description": "d"}]}
CATALOG_YAML = """\
# a model catalog in YAML
models:
  - name: granite
    owner: jdoe
    lifecycle: p
    description: d
"""

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_json_files_read_as_json(path: Path) -> None:
    data = path.read_bytes()
    assert load_document(data) == json.loads(data)


def test_yaml_is_detected_by_content() -> None:
    assert load_document(CATALOG_YAML.encode()) == CATALOG
    assert load_document(CATALOG_YAML) == CATALOG


def test_json_with_leading_space_and_a_byte_order_mark_is_still_json() -> None:
    text = "\ufeff \n " + json.dumps(CATALOG)
    assert load_document(text.encode("utf-8")) == CATALOG
    assert load_document(text) == CATALOG


def test_a_catalog_info_stream_reads_as_many_documents() -> None:
    documents = load_documents(CATALOG_INFO.read_bytes())
    assert [d["kind"] for d in documents] == ["Component", "Resource", "API"]


def test_a_yaml_stream_of_json_documents_reads_as_yaml() -> None:
    # Each document is a JSON object, separated by '---': valid YAML, and Backstage reads it.
    text = '{"kind": "Component", "metadata": {"name": "a"}}\n---\n{"kind": "Resource"}\n'
    assert load_documents(text) == [
        {"kind": "Component", "metadata": {"name": "a"}},
        {"kind": "Resource"},
    ]


def test_broken_json_keeps_the_json_message_when_yaml_cannot_read_it_either() -> None:
    with pytest.raises(InputError, match=r"line 1, column \d+: invalid JSON"):
        load_documents('{"models": [}\n')


def test_a_json_stream_with_a_broken_second_document_gets_yaml_s_message() -> None:
    with pytest.raises(InputError, match=r"line 4.*invalid YAML"):
        load_documents('{"a": 1}\n---\n{"b": [1,\n')


def test_yaml_reads_values_as_yaml_does() -> None:
    assert load_document("a: yes\nb: '1.0'\nc: 1.0\nd: ~\n") == {
        "a": True,
        "b": "1.0",
        "c": 1.0,
        "d": None,
    }


def test_paired_surrogate_escapes_are_one_character() -> None:
    assert load_document(b'{"name": "robot \\ud83e\\udd16"}') == {"name": "robot 🤖"}
    assert load_document(b'{"name": "not an escape: \\\\ud800"}') == {
        "name": "not an escape: \\ud800"
    }


def _error(data: bytes | str, **kwargs: int) -> str:
    with pytest.raises(InputError) as caught:
        load_document(data, name="catalog.json", **kwargs)
    message = str(caught.value)
    assert message.startswith("catalog.json: ")
    assert "\n" not in message
    return message


BROKEN: list[tuple[str, bytes | str, list[str]]] = [
    ("invalid-utf8", b'{"models": []}\n{"x": "\xff\xfe"}', ["line 2", "not UTF-8"]),
    ("truncated-json", b'{"models": [{"name": "x",\n "owner": "y"', ["line 2", "cut short"]),
    ("json-syntax", b'{"models": [}\n', ["line 1", "invalid JSON"]),
    ("yaml-syntax", b"a: 1\nb: [1, 2\nc: 3\n", ["line 3", "invalid YAML"]),
    ("yaml-tab-indent", b"models:\n\t- name: x\n", ["line 2", "invalid YAML"]),
    ("python-tag", b"a: !!python/object/apply:os.system ['echo hi']\n",
     ["line 1", "tag", "python/object/apply:os.system"]),
    ("custom-tag", b"a: !secret x\n", ["line 1", "tag", "!secret"]),
    ("billion-laughs", BILLION_LAUGHS.encode(), ["anchors and aliases"]),
    ("one-alias", b"a: &x [1]\nb: *x\n", ["anchors and aliases"]),
    ("deep-json", b"[" * 200_000 + b"]" * 200_000, ["nested too deeply"]),
    ("deep-yaml", b"a: " + b"[" * 200_000 + b"]" * 200_000, ["nest"]),
    ("deep-yaml-blocks", "".join(f"{'  ' * i}k:\n" for i in range(70)).encode(),
     ["nested too deeply"]),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", ["binary"]),
    ("nul-bytes", b"models:\x00\x00\x00", ["binary"]),
    ("empty", b"", ["empty"]),
    ("whitespace", b" \n\t\n", ["empty"]),
    ("only-comments", b"# nothing here\n---\n", ["no document"]),
    ("two-documents", b"a: 1\n---\nb: 2\n", ["expected one document but found 2"]),
    ("number-key", b"1: x\n", ["key 1 is not text"]),
    ("lone-surrogate", b'{"models": [\n{"name": "bad \\ud800 name"}]}', ["line 2", "surrogate"]),
    ("lone-low-surrogate", b'{"a": "\\udc00"}', ["line 1", "surrogate"]),
]  # fmt: skip


@pytest.mark.parametrize(("_id", "data", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_input_is_one_clear_error(_id: str, data: bytes, words: list[str]) -> None:
    message = _error(data)
    for word in words:
        assert word in message


def test_lone_surrogates_in_pasted_text_are_refused_too() -> None:
    assert "surrogate" in _error('{"name": "bad \ud800"}')


def test_input_over_the_size_limit_is_refused_before_parsing() -> None:
    message = _error(b"[" * 2048, max_bytes=1024)
    assert "larger than the limit" in message
    assert "larger than the limit" in _error("x" * 2048, max_bytes=1024)


def test_the_size_limit_is_read_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 100)
    assert "larger than the limit of 100 bytes" in _error(b"{" + b" " * 200 + b"}")


def test_decode_text_names_the_line_of_the_bad_byte() -> None:
    with pytest.raises(InputError, match="line 3"):
        decode_text(b"a\nb\n\xc3(", name="x")


def test_nesting_up_to_the_limit_is_fine() -> None:
    ok = json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    check_shape(ok)
    too_deep = json.loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(InputError, match="nested too deeply"):
        check_shape(too_deep)


def test_too_many_documents_are_refused_with_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_DOCUMENTS", 3)
    with pytest.raises(InputError, match="4 documents, more than the limit of 3"):
        reader.load_documents("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n")


# --- duplicate keys: refused, never silently the last one ---------------------------------

DUPLICATE_KEYS: list[tuple[str, str, list[str]]] = [
    ("json-top-level", '{\n  "name": "a",\n  "owner": "me",\n  "name": "b"\n}\n',
     ['line 4, column 3: the key "name" appears twice', "(first on line 2)"]),
    ("json-in-a-model",
     '{"models": [\n  {"name": "a", "owner": "me"},\n  {"name": "b",\n'
     '   "owner": "you",\n   "owner": "them"}\n]}\n',
     ['line 5, column 4: the key "owner" appears twice', "(first on line 4)"]),
    ("json-one-line", '{"models": [{"name": "a", "name": "b"}]}',
     ['line 1, column 27: the key "name" appears twice', "(first on line 1, column 14)"]),
    ("json-escaped-spelling", '{"name": "a",\n "n\\u0061me": "b"}',
     ['line 2, column 2: the key "name" appears twice', "(first on line 1)"]),
    ("yaml-top-level", "name: a\nowner: me\nname: b\n",
     ['line 3, column 1: the key "name" appears twice', "(first on line 1)"]),
    ("yaml-in-a-model",
     "models:\n  - name: a\n    owner: me\n  - name: b\n    owner: you\n    owner: them\n",
     ['line 6, column 5: the key "owner" appears twice', "(first on line 5)"]),
    ("yaml-quoted-and-plain", "name: a\n'name': b\n",
     ['line 2, column 1: the key "name" appears twice', "(first on line 1)"]),
    ("yaml-flow", "models: [{name: a, name: b}]\n",
     ['line 1, column 20: the key "name" appears twice', "(first on line 1, column 11)"]),
    ("yaml-second-document", "name: a\n---\nname: b\nowner: me\nname: c\n",
     ['line 5, column 1: the key "name" appears twice', "(first on line 3)"]),
    ("yaml-yes-and-true", "models:\n  - {name: x, yes: 1, true: 2}\n",
     ["the key true appears twice", "first on line 2, column 15; YAML reads yes, no, on "
      "and off as true: quote such keys"]),
    ("yaml-local-twice-after-a-merge",
     "base: &base {owner: me}\nmodel:\n  <<: *base\n  name: a\n  name: b\n",
     ['line 5, column 3: the key "name" appears twice', "(first on line 4)"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("_id", "text", "words"), DUPLICATE_KEYS, ids=[d[0] for d in DUPLICATE_KEYS]
)
def test_a_key_twice_in_one_mapping_names_the_key_and_both_lines(
    _id: str, text: str, words: list[str]
) -> None:
    for data in (text, text.encode("utf-8")):
        with pytest.raises(InputError) as caught:
            load_documents(data, name="catalog.yaml")
        message = str(caught.value)
        assert message.startswith("catalog.yaml: line ")
        assert message.endswith("; keep one of them")
        assert "\n" not in message
        for word in words:
            assert word in message


def test_a_list_as_a_key_is_named_as_such_not_as_a_tag() -> None:
    with pytest.raises(InputError) as caught:
        load_documents("models:\n  - ? [a, b]\n    : 1\n", name="catalog.yaml")
    assert str(caught.value) == (
        "catalog.yaml: line 2, column 7: a key is a list or a mapping (YAML's '? ' form); "
        "keys must be plain text"
    )


def test_a_duplicate_key_in_a_model_card_front_matter_names_the_file_line() -> None:
    from catalog.modelcard import import_model_card

    card = b"---\nlicense: mit\ntags: [a]\nlicense: apache-2.0\n---\n# Model\n\nText.\n"
    with pytest.raises(InputError, match=r'line 4, column 1: the key "license" appears twice'):
        import_model_card(card, filename="README.md", owner="group:x")


def test_an_odd_key_is_shown_quoted_on_one_line() -> None:
    message = _error('{"a\\nb": 1, "a\\nb": 2}')
    assert '"a\\nb" appears twice' in message
    long_key = "k" * 500
    message = _error(json.dumps({"x": 1}).replace('"x": 1', f'"{long_key}": 1, "{long_key}": 2'))
    assert "appears twice" in message and len(message) < 300


def test_yaml_merge_keys_may_be_overridden_locally() -> None:
    text = """\
base: &base {owner: group:ai, lifecycle: production}
defaults:
  server: &server
    <<: *base
    owner: group:servers
server:
  <<: *server
  name: a
models:
  - <<: [*server, *base]
    name: b
    lifecycle: experimental
"""
    assert load_document(text) == {
        "base": {"owner": "group:ai", "lifecycle": "production"},
        "defaults": {"server": {"owner": "group:servers", "lifecycle": "production"}},
        "server": {"owner": "group:servers", "lifecycle": "production", "name": "a"},
        "models": [{"owner": "group:servers", "lifecycle": "experimental", "name": "b"}],
    }


def test_keys_that_differ_in_case_are_different_keys() -> None:
    assert load_document('{"Name": "a", "name": "b"}') == {"Name": "a", "name": "b"}
    assert load_document("Name: a\nname: b\nNAME: c\n") == {"Name": "a", "name": "b", "NAME": "c"}


def test_a_number_and_a_quoted_number_are_different_yaml_keys() -> None:
    message = _error("1: a\n'1': b\n")
    assert "appears twice" not in message
    assert "key 1 is not text" in message


def test_each_yaml_document_and_each_model_may_have_its_own_name() -> None:
    stream = "name: a\nowner: me\n---\nname: b\nowner: me\n"
    assert load_documents(stream) == [{"name": "a", "owner": "me"}, {"name": "b", "owner": "me"}]
    catalog = '{"name": "s", "models": [{"name": "a"}, {"name": "b", "x": {"name": "c"}}]}'
    assert load_document(catalog)["models"][1] == {"name": "b", "x": {"name": "c"}}
