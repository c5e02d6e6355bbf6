"""Container widgets: a nested model that can be switched off, and the list of models.

The list renders each model as an expander that tracks its own open state, and only
an open expander builds its widgets.  Each model is a fragment of its own
(:data:`ui.state.MODEL_FRAGMENT`): opening or closing one reruns that model, not the
form around it.  A list longer than :data:`PAGE_SIZE` is paged, with a filter by name:
with a hundred models, a field edit reruns a page of ten one-line titles and one
model's form, not 1,300 widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st
from pydantic import BaseModel

from ui import state
from ui.registry import FieldSpec, FormContext, blank, register
from ui.text import escape_markdown, plural

#: Models per page: a long list is paged so a rerun draws at most this many expanders.
PAGE_SIZE = 10
#: Section and list icons by field name (presentation only; unknown names get none).
ICONS = {"modelServer": ":material/dns:", "API": ":material/api:", "models": ":material/neurology:"}


@state.editor_callback
def _toggle_section(path: str, model: type[BaseModel]) -> None:
    stash_key = state.form_key("stash", path)
    if st.session_state.get(path):
        restored = st.session_state.pop(stash_key, None)
        state.set(path, restored if isinstance(restored, dict) else blank(model), from_widget=True)
    else:
        # Switching a section off keeps what was typed, so switching it on brings it back.
        current = state.get(path)
        state.set(path, None, from_widget=True)
        if isinstance(current, dict):
            st.session_state[stash_key] = current


@register("section", "model")
def section(spec: FieldSpec, path: str, form: FormContext) -> None:
    """A nested model in a bordered container, with a switch to include it or not."""
    assert spec.model is not None
    present = isinstance(state.get(path), dict)
    if path not in st.session_state:
        st.session_state[path] = present
    with st.container(border=True, key=f"section-{path}"):
        with st.container(horizontal=True, vertical_alignment="center"):
            title = f"{ICONS.get(spec.name, '')} {spec.label}".strip()
            top = "." not in path or form.is_tab(path)  # drawn as a page of its own
            if top:
                st.subheader(title, help=spec.help, width="stretch", anchor=False)
            else:
                st.markdown(f"**{title}**", help=spec.help, width="stretch")
            st.toggle(
                f"Include {spec.label.lower() if '.' not in path else spec.label}",
                key=path,
                on_change=_toggle_section,
                args=(path, spec.model),
            )
        form.field_issues(path)
        if present:
            form.render_fields(spec.model, path)
        elif spec.help:
            st.caption(f"Switched off. {escape_markdown(spec.help)}.")


def tracked_expander(title: str, key: str, *, icon: str | None = None) -> Any:
    """An expander whose open state lives at ``key`` and whose toggling reruns the page,
    so the caller builds its body only while it is open.

    An expander's identity includes its title, which changes with what it shows (a
    model's name, a count, badges): the open state is re-asserted so that a new title
    does not collapse it.
    """
    st.session_state[key] = bool(st.session_state.get(key, False))
    return st.expander(title, key=key, icon=icon, on_change="rerun")


def _open_key(path: str, index: int) -> str:
    return state.form_key("open", f"{path}.{index}")


def _page_key(path: str) -> str:
    return state.form_key("page", path)


def _filter_key(path: str) -> str:
    return state.form_key("filter", path)


@state.editor_callback
def _change_list(path: str, action: str, index: int) -> None:
    """Run a list action; the model's open state and its page follow it."""
    count = len(state.get(path) or [])
    opened = {i for i in range(count) if st.session_state.get(_open_key(path, i))}
    focus = index
    if action == "add":
        # The new model is the one to fill in: open it alone, and let no filter hide it.
        focus = state.add_model()
        opened = {focus}
        st.session_state.pop(_filter_key(path), None)
    elif action == "duplicate":
        focus = state.duplicate_model(index)
        opened = {focus}
    elif action == "remove":
        state.remove_model(index)
        opened = {i - 1 if i > index else i for i in opened if i != index}
        focus = max(0, index - 1)
    elif action in ("up", "down"):
        focus = state.move_model(index, -1 if action == "up" else 1)
        if focus != index:
            swap = {index: focus, focus: index}
            opened = {swap.get(i, i) for i in opened}
    for i in range(count + 1):
        st.session_state[_open_key(path, i)] = i in opened
    if not st.session_state.get(_filter_key(path)):
        st.session_state[_page_key(path)] = focus // PAGE_SIZE + 1


def _title(item: Any, index: int) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    if isinstance(name, str) and name.strip():
        return escape_markdown(name.strip())
    return f"*Model {index + 1} (no name yet)*"


def badges(errors: int, warnings: int) -> str:
    """An expander title's issue badges (empty when there is none)."""
    parts = []
    if errors:
        parts.append(f":red-badge[:material/error: {plural(errors, 'error')}]")
    if warnings:
        parts.append(f":orange-badge[:material/warning: {plural(warnings, 'warning')}]")
    return " ".join(parts)


def _toolbar(path: str, index: int, count: int) -> None:
    with st.container(horizontal=True, horizontal_alignment="right", gap="small"):
        buttons = (
            ("up", "Move up", ":material/arrow_upward:", index == 0),
            ("down", "Move down", ":material/arrow_downward:", index == count - 1),
            ("duplicate", "Duplicate", ":material/content_copy:", False),
            ("remove", "Remove", ":material/delete:", False),
        )
        for action, text, icon, disabled in buttons:
            st.button(
                text,
                key=state.form_key(action, f"{path}.{index}"),
                icon=icon,
                type="tertiary",
                disabled=disabled,
                on_click=_change_list,
                args=(path, action, index),
            )


@register("models", "model_list")
def model_list(spec: FieldSpec, path: str, form: FormContext) -> None:
    """The catalog's models: one expander each, built only while open."""
    assert spec.model is not None
    items = state.get(path)
    items = items if isinstance(items, list) else []
    with st.container(horizontal=True, vertical_alignment="center"):
        title = f"{ICONS.get(spec.name, '')} {spec.label} ({len(items)})".strip()
        st.subheader(title, help=spec.help, width="stretch", anchor=False)
        st.button(
            "Add model",
            key=state.form_key("add", path),
            icon=":material/add:",
            on_click=_change_list,
            args=(path, "add", len(items)),
        )
    form.field_issues(path)
    if not items:
        st.caption("No models yet: add one, or load an example.")
    visible = _visible(path, items)
    for index in visible:
        _model(spec, path, index, form)
    forget_hidden(path, visible)


def forget_hidden(path: str, drawn: Iterable[int]) -> None:
    """Forget what this run of the form does not draw of the models at ``path`` (it
    drew the models ``drawn``): the widget values of every model not drawn open, and
    that a model not drawn at all was open.

    Streamlit forgets the widgets a fragment's run does not draw, but a model's widgets
    belong to the model's own fragment, which it does not count in a run of the form
    around it.  Their values stayed while the browser forgot them, and drawn again
    (another tab, another page of the list, and back) they came back empty and wiped the
    model's fields.  A model the form did not draw comes back closed, as before models
    were fragments: the Models tab draws only what was opened since.
    """
    shown = {f"{path}.{index}" for index in drawn}
    opened = {model for model in shown if st.session_state.get(state.form_key("open", model))}
    depth = path.count(".") + 2  # the parts of a model's path: models.3
    for key, field, purpose in state.form_keys(path):
        model = ".".join(field.split(".")[:depth])
        if field == path or purpose not in (None, "open"):
            continue  # the list's own memory (its page, its filter), or other memory
        if field == model:  # the model's own expander
            forget = purpose == "open" and model not in shown
        else:
            forget = model not in opened
        if forget:
            del st.session_state[key]


def _visible(path: str, items: list[Any]) -> range | list[int]:
    """The indices to draw: all of a short list; a filtered page of a long one."""
    if len(items) <= PAGE_SIZE:
        return range(len(items))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        needle = st.text_input(
            "Find a model",
            key=_filter_key(path),
            placeholder="Part of a name",
            icon=":material/search:",
            live=True,
        )
        needle = (needle or "").strip().lower()
        matches = [
            i
            for i, item in enumerate(items)
            if not needle
            or needle in str(item.get("name", "") if isinstance(item, dict) else "").lower()
        ]
        pages = max(1, -(-len(matches) // PAGE_SIZE))
        page_key = _page_key(path)
        if not 1 <= int(st.session_state.get(page_key, 1)) <= pages:
            st.session_state[page_key] = 1
        page = st.pagination(pages, key=page_key)
    first = (page - 1) * PAGE_SIZE
    shown = matches[first : first + PAGE_SIZE]
    if not matches:
        st.caption("No model name contains that text.")
    else:
        st.caption(f"Showing {len(shown)} of {len(matches)} matching models ({len(items)} in all).")
    return shown


@st.fragment(key=state.MODEL_FRAGMENT)
def _model(spec: FieldSpec, path: str, index: int, form: FormContext) -> None:
    """One model as an expander, a fragment of its own: its widgets are built only while
    it is open, and opening or closing it reruns only this.

    Rerun on its own, it is called with the arguments of the form's last run, so it
    reads the model and its issues afresh (:meth:`FormContext.part`).  A change that
    reshapes the list (add, remove, move) reruns the form, which draws the models anew.
    """
    assert spec.model is not None
    state.init()
    items = state.get(path)
    if not isinstance(items, list) or index >= len(items):
        return  # gone since the form drew it; the form's next run drops this fragment
    part = form.part()
    item = items[index]
    item_path = f"{path}.{index}"
    errors, warnings = part.issue_counts(item_path)
    expander = tracked_expander(
        f"{_title(item, index)} {badges(errors, warnings)}".strip(), _open_key(path, index)
    )
    if expander.open:
        with expander:
            _toolbar(path, index, len(items))
            part.field_issues(item_path)
            if isinstance(item, dict):
                part.render_fields(spec.model, item_path)
            part.mark_required()
