"""``to_dot`` quotes through the graphviz package's hooks with a faster path: the same text.

The graphviz package writes every DOT statement; ``catalog.graph`` only swaps in faster
versions of its ``_quote``, ``_quote_edge``, ``_attr_list`` and ``_a_list`` hooks.  These tests hold
them to the package's own functions as the oracle, on any text and on whole graphs.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import graphviz
import pytest
from graphviz import quoting
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import graph
from catalog.convert import ConvertOptions, to_entities
from catalog.graph import GraphOptions, library_to_dot, to_dot
from catalog.schema import ModelCatalog

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "reference/model-catalog/examples").glob("*.json"))
EXAMPLES += sorted((ROOT / "examples").glob("*.json"))

# Characters DOT and the package treat specially, mixed with anything at all.
SPECIAL = st.sampled_from(['"', "\\", "<", ">", "\n", " ", "-", ".", "_", ":", "0", "a", "é"])
TEXT = st.one_of(
    st.text(),
    st.lists(SPECIAL, max_size=12).map("".join),
    st.sampled_from(["node", "EDGE", "Graph", "digraph", "subgraph", "strict", "", "-4.2", ".5"]),
    st.builds(lambda s: f"<{s}>", st.text(max_size=8)),
)
# Either plain text (may be read as an HTML label) or wrapped in nohtml (never).
LABEL = st.one_of(TEXT, TEXT.map(quoting.nohtml))


def package_quote(text: str) -> tuple[str, list[str]]:
    """What the package writes for ``text``, and the warnings it gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quoted = quoting.quote(text)
    return quoted, [str(w.message) for w in caught]


@settings(max_examples=3000, deadline=None)
@given(LABEL)
def test_quote_writes_what_the_package_writes_and_warns_alike(text: str) -> None:
    expected, expected_warnings = package_quote(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert graph._quote(text) == expected
    assert [str(w.message) for w in caught] == expected_warnings


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_an_edge_end_is_a_whole_node_id_quoted_like_a_name(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert graph._quote_edge(name) == quoting.quote(quoting.nohtml(name))


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(st.none(), LABEL),
    st.dictionaries(TEXT, st.one_of(st.none(), LABEL), max_size=4),
    st.one_of(
        st.none(),
        st.dictionaries(TEXT, st.one_of(st.none(), LABEL), max_size=3),
        st.lists(st.tuples(TEXT, st.one_of(st.none(), LABEL)), max_size=3),
    ),
)
def test_attribute_lists_are_what_the_package_writes(
    label: str | None, kwargs: dict[str, Any], attributes: Any
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = quoting.attr_list(label, kwargs=kwargs, attributes=attributes)
        assert graph._attr_list(label, kwargs=kwargs, attributes=attributes) == expected


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(st.none(), LABEL),
    st.dictionaries(TEXT, st.one_of(st.none(), LABEL), max_size=4),
    st.one_of(st.none(), st.dictionaries(TEXT, st.one_of(st.none(), LABEL), max_size=3)),
)
def test_graph_attribute_lists_are_what_the_package_writes(
    label: str | None, kwargs: dict[str, Any], attributes: Any
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = quoting.a_list(label, kwargs=kwargs, attributes=attributes)
        assert graph._a_list(label, kwargs=kwargs, attributes=attributes) == expected


class PackageDigraph(graphviz.Digraph):  # type: ignore[misc]
    """The package's Digraph with its own quoting; only edge ends are whole ids."""

    _quote_edge = staticmethod(lambda name: quoting.quote(quoting.nohtml(name)))


HOSTILE = [
    'quote " inside \\" and \\\\"',
    "<b>bold</b>",
    "<<b>html label</b>>",
    "ends with a backslash\\",
    "back\\slash \\N \\G \\l \\n",
    'a"]; evil [shape=none]; b -> c; {',
    "node",
    "x" * 300,
    "line\nbreak\r\nand\ttab",
    "ünïcødé 日本語 🙂",
]


SERVER = {
    "modelServer": {
        "name": "srv",
        "owner": "team",
        "lifecycle": "production",
        "description": "serves",
        "API": {"url": "https://x.example", "type": "openapi", "spec": "https://x/y"},
    },
    "models": [
        {"name": f"m{i}", "owner": "team", "lifecycle": "production", "description": "a model"}
        for i in range(3)
    ],
}


def graphs() -> list[tuple[str, Any]]:
    """(title, entities) pairs: every example in both layouts, and hostile text."""
    cases: list[tuple[str, Any]] = []
    for path in EXAMPLES:
        catalog = ModelCatalog.model_validate(json.loads(path.read_text()))
        for layout in ("classic", "ai-model-server"):
            try:
                entities = to_entities(catalog, ConvertOptions(layout=layout))
            except Exception:  # noqa: BLE001 - a layout an example cannot take
                continue
            cases.append((f"{path.stem}-{layout}", entities))
    for i, text in enumerate(HOSTILE):
        entities = to_entities(ModelCatalog.model_validate(SERVER))
        for entity in entities:
            entity["metadata"]["description"] = text
            entity["spec"]["owner"] = text
        entities[0]["spec"]["dependsOn"].append(text)  # a dangling reference
        entities[0]["metadata"]["name"] = text
        cases.append((f"hostile-{i}", entities))
    return cases


OPTIONS = [
    GraphOptions(),
    GraphOptions(direction="TB", show_owners=True, show_inverse=True),
    GraphOptions(fold_threshold=1),
    GraphOptions(expand_all=True, show_legend=False, show_owners=True),
    GraphOptions(group_by="none", fold_threshold=1, show_owners=True),
    GraphOptions(group_by="lifecycle", fold_threshold=2, problems=(("m1", 2), ("srv", 1))),
    GraphOptions(group_by="tag", direction="TB", expanded=frozenset({"|", "0|"})),
]


def test_to_dot_writes_what_the_package_writes_with_its_own_quoting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases = graphs()
    assert len(cases) >= len(EXAMPLES) + len(HOSTILE)
    library = {f"<b>{title}</b> \\": entities for title, entities in cases}
    ours = [to_dot(entities, o) for _, entities in cases for o in OPTIONS]
    ours += [library_to_dot(library, o) for o in OPTIONS]
    monkeypatch.setattr(graph, "_Digraph", PackageDigraph)
    theirs = [to_dot(entities, o) for _, entities in cases for o in OPTIONS]
    theirs += [library_to_dot(library, o) for o in OPTIONS]
    assert len(ours) == len(theirs)
    for mine, package in zip(ours, theirs, strict=True):
        assert mine == package


@settings(max_examples=2000, deadline=None)
@given(LABEL)
def test_a_label_line_taken_as_it_is_is_what_escaping_would_give(text: str) -> None:
    # _label_line skips the work for a usual name; the result is the same either way.
    assert graph._label_line(text) == graph._label_line_changed(text)
