"""Leaf widgets: one function per field kind, each keyed by its field path.

Every widget follows one pattern.  Before it is drawn, :func:`_seed` copies the
document's value into ``st.session_state[path]`` when the key is missing (first run,
or after :func:`ui.state.forget_widgets`), so the widget never gets a ``value=`` that
would fight its key.  Its ``on_change`` callback turns the widget value back into a
document value (blank optional fields become ``None``, which removes them) and writes
it with :func:`ui.state.set`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from ui import state
from ui.registry import FieldSpec, FormContext, register
from ui.sections import badges, tracked_expander
from ui.text import escape_markdown

if TYPE_CHECKING:  # pandas takes about half a second to import: only the table needs it
    import pandas as pd

LONGTEXT_HEIGHT = 110
#: Commit a text input after this pause in typing, so issues follow the user's keystrokes.
LIVE = "400ms"


def label(spec: FieldSpec) -> str:
    """The widget label: plain text, which is also what a screen reader announces.

    Required fields get their red asterisk from a style sheet instead
    (:func:`ui.form.required_marks`), drawn but not read out as part of the name.
    """
    return spec.label


def _seed(path: str, to_widget: Callable[[Any], Any]) -> None:
    if path not in st.session_state:
        st.session_state[path] = to_widget(state.get(path))


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _text_value(value: Any, required: bool) -> str | None:
    text = value or ""
    if not text.strip():
        # Required fields keep their (blank) value so the issue names the field;
        # a blank optional field leaves the document.
        return text if required else None
    return str(text)


@state.editor_callback
def _commit_text(path: str, required: bool) -> None:
    state.set(path, _text_value(st.session_state.get(path), required), from_widget=True)


@register("text", "str")
def text(spec: FieldSpec, path: str, form: FormContext) -> None:
    """One line of text; a combo box when the schema suggests values (lifecycle)."""
    if spec.suggestions:
        _combo(spec, path)
        return
    _seed(path, _as_text)
    st.text_input(
        label(spec),
        key=path,
        help=spec.help,
        placeholder=spec.placeholder,
        on_change=_commit_text,
        args=(path, spec.required),
        live=LIVE,
    )


def _combo(spec: FieldSpec, path: str) -> None:
    _seed(path, lambda v: _as_text(v) or None)
    current = st.session_state.get(path)
    options = list(spec.suggestions)
    if current and current not in options:
        options.append(current)
    st.selectbox(
        label(spec),
        options,
        index=None,
        key=path,
        help=spec.help,
        placeholder=spec.placeholder or "Choose or type a value",
        accept_new_options=True,
        on_change=_commit_text,
        args=(path, spec.required),
    )


@register("url", "str")
def url(spec: FieldSpec, path: str, form: FormContext) -> None:
    """An absolute URL (checked by validation, not by the browser, so it can be wrong)."""
    _seed(path, _as_text)
    st.text_input(
        label(spec),
        key=path,
        help=spec.help,
        placeholder=spec.placeholder or "e.g. https://example.com/...",
        icon=":material/link:",
        on_change=_commit_text,
        args=(path, spec.required),
        live=LIVE,
    )


@register("longtext", "str")
def longtext(spec: FieldSpec, path: str, form: FormContext) -> None:
    """Multi-line text (descriptions, usage, ethics, a pasted API spec)."""
    _seed(path, _as_text)
    st.text_area(
        label(spec),
        key=path,
        help=spec.help,
        placeholder=spec.placeholder,
        height=LONGTEXT_HEIGHT,
        on_change=_commit_text,
        args=(path, spec.required),
    )


@state.editor_callback
def _commit_choice(path: str) -> None:
    state.set(path, st.session_state.get(path) or None, from_widget=True)


@register("enum", "choice", "str")
def enum(spec: FieldSpec, path: str, form: FormContext) -> None:
    """One of a fixed set of values (the API type)."""
    _seed(path, lambda v: v if v not in (None, "") else None)
    current = st.session_state.get(path)
    options = list(spec.options or spec.suggestions)
    if current is not None and current not in options:
        # A value outside the set (an imported typo such as "openai") stays visible,
        # with validation saying what is wrong, instead of crashing the select box.
        options.append(current)
    st.selectbox(
        label(spec),
        options,
        index=None,
        key=path,
        help=spec.help,
        placeholder="Choose one",
        on_change=_commit_choice,
        args=(path,),
    )


@state.editor_callback
def _commit_bool(path: str) -> None:
    state.set(path, bool(st.session_state.get(path)), from_widget=True)


@register("bool", "bool")
def toggle(spec: FieldSpec, path: str, form: FormContext) -> None:
    """A yes/no switch (authentication)."""
    _seed(path, bool)
    st.toggle(label(spec), key=path, help=spec.help, on_change=_commit_bool, args=(path,))


def _as_tags(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    # The multiselect cannot show one option twice; conversion drops duplicates anyway.
    return list(dict.fromkeys(_as_text(v) for v in value))


@state.editor_callback
def _commit_tags(path: str) -> None:
    tags = [t for t in st.session_state.get(path) or [] if t.strip()]
    state.set(path, tags or None, from_widget=True)


@register("tags", "str_list")
def tags(spec: FieldSpec, path: str, form: FormContext) -> None:
    """A list of tags: pick one already used in the catalog or type a new one."""
    _seed(path, _as_tags)
    current = st.session_state.get(path) or []
    options = list(dict.fromkeys([*current, *form.tag_options()]))
    st.multiselect(
        label(spec),
        options,
        key=path,
        help=spec.help,
        placeholder="Type a tag and press Enter",
        accept_new_options=True,
        on_change=_commit_tags,
        args=(path,),
    )


# -- key-value map -----------------------------------------------------------------------
# st.data_editor reports edits as a delta against the table it was given, so that table
# must stay the same while the widget lives: it is kept as form memory (the "kv" base)
# and taken again from the document whenever the widget's state is gone.  The edited
# table the editor returns is the field's value; when it differs from the document the
# document is updated and the page runs again, so issues and preview follow at once.


def _cell(value: Any) -> str:
    # Cells of rows just added are None (or NaN) until typed into.
    return value if isinstance(value, str) else ""


def table_rows(table: pd.DataFrame) -> list[tuple[str, str]]:
    """The ``(key, value)`` rows of an edited annotations table."""
    return [(_cell(k), _cell(v)) for k, v in zip(table["key"], table["value"], strict=True)]


def rows_to_mapping(rows: list[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    """Rows as a mapping plus notes on what the mapping cannot keep (duplicates, blanks)."""
    mapping: dict[str, str] = {}
    notes: list[str] = []
    for key, value in rows:
        if not key.strip():
            if value.strip():
                notes.append("A row without a key is not saved: give it a key.")
            continue
        if key in mapping:
            notes.append(f"Key '{key}' appears twice: only the last value is kept.")
        mapping[key] = value
    return mapping, notes


def _entries(value: Any) -> str:
    count = len(value) if isinstance(value, dict) else 0
    return "empty" if not count else f"{count} {'entry' if count == 1 else 'entries'}"


@register("keyvalue", "str_map")
def keyvalue(spec: FieldSpec, path: str, form: FormContext) -> None:
    """A string-to-string map (annotations): a closed expander, a table once opened.

    The table (``st.data_editor``) is the heaviest widget a browser draws: drawn only
    while its expander is open, a section with two of them opens and reruns in about
    two thirds of the time (``benchmarks/bench_browser.py``).  The expander's title
    says how many entries the map holds and its issues.
    """
    title = f"{escape_markdown(label(spec))} ({_entries(state.get(path))})"
    expander = tracked_expander(
        f"{title} {badges(*form.issue_counts(path))}".strip(),
        state.form_key("open", path),
        icon=":material/label:",
    )
    if expander.open:
        with expander:
            _table(spec, path)


def _table(spec: FieldSpec, path: str) -> None:
    """The map as an editable two-column table; an edit updates the document at once."""
    base_key = state.form_key("kv", path)
    if path not in st.session_state or base_key not in st.session_state:
        value = state.get(path)
        st.session_state[base_key] = (
            {_as_text(k): _as_text(v) for k, v in value.items()} if isinstance(value, dict) else {}
        )
    base: dict[str, str] = st.session_state[base_key]
    import pandas as pd  # loaded when the first table is drawn

    table = pd.DataFrame({"key": list(base), "value": list(base.values())}, dtype="object")
    if spec.help:
        st.caption(escape_markdown(spec.help))
    edited = st.data_editor(
        table,
        key=path,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "key": st.column_config.TextColumn("Key", width="medium"),
            "value": st.column_config.TextColumn("Value", width="large"),
        },
    )
    mapping, notes = rows_to_mapping(table_rows(edited))
    for note in notes:
        st.caption(f":orange[:material/warning: {escape_markdown(note)}]")
    current = state.get(path)
    if mapping != (current if isinstance(current, dict) else {}):
        state.set(path, mapping or None, from_widget=True)
        st.rerun()
