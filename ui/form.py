"""The form renderer: walks a pydantic model's fields and draws each with its widget.

:func:`render_form` is the entry point.  :class:`Form` is what widgets get as their
context (render nested fields, show a field's issues, count issues, suggest tags), and
:func:`arrange` is the template that lays fields out: required before optional, short
fields side by side, long ones full width, sections and lists last.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from pydantic import BaseModel

from catalog.issues import join_path
from ui import sections, state
from ui import widgets as _widgets  # noqa: F401 - importing registers the leaf widgets
from ui.issues import issues_shown, show_field_issues
from ui.registry import FieldSpec, check_form, field_specs, widget_for
from ui.report import Current, current
from ui.text import humanize, plural

_SHORT = frozenset({"text", "url", "enum", "bool"})
_CONTAINERS = frozenset({"model", "model_list"})


def _group(spec: FieldSpec) -> int:
    if spec.shape in _CONTAINERS:
        return 4
    short = spec.kind in _SHORT
    if spec.required:
        return 0 if short else 1
    return 2 if short else 3


def arrange(specs: tuple[FieldSpec, ...]) -> Iterator[list[FieldSpec]]:
    """Yield rows of fields: required short fields three to a row, optional two."""
    ordered = sorted(specs, key=_group)  # stable: schema order within a group
    row: list[FieldSpec] = []
    for spec in ordered:
        group = _group(spec)
        width = 3 if group == 0 else 2
        if group in (0, 2):
            if row and (_group(row[0]) != group or len(row) == width):
                yield row
                row = []
            row.append(spec)
            continue
        if row:
            yield row
            row = []
        yield [spec]
    if row:
        yield row


def _key_class(path: str) -> str:
    """Streamlit's CSS class for the element of widget key ``path``."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", path)


def required_marks(paths: list[str]) -> str:
    """A style sheet putting a red asterisk after the labels of the widgets at ``paths``.

    The mark is CSS generated content with an empty alternative text: people see it,
    screen readers announce only the label (a label written ``Name :red[*]`` was read
    out as "Name colon red star").
    """
    rules = "".join(
        f".{_key_class(path)} label p::after{{content:' *' / '';color:#e5484d}}" for path in paths
    )
    return f"<style>{rules}</style>"


@dataclass
class Form:
    """The render context handed to every widget."""

    current: Current
    #: The required widgets drawn so far, for :func:`required_marks`.
    required: list[str] = field(default_factory=list)
    #: Paths of the nested sections shown as tabs of their own (drawn there, not inside
    #: their parent section).
    tabs: frozenset[str] = frozenset()

    def render_fields(self, model: type[BaseModel], prefix: str) -> None:
        """Render ``model``'s fields under ``prefix``, laid out by :func:`arrange`.

        Fields side by side get their issues right below their row, at full width and
        named by their label, so a long message does not squeeze into one column.
        """
        for row in arrange(field_specs(model)):
            row = [spec for spec in row if join_path(prefix, spec.name) not in self.tabs]
            if not row:
                continue
            if len(row) == 1 and row[0].kind not in _SHORT:
                self.render_field(row[0], prefix)
                continue
            # One flex row, not st.columns: a column is one more element per field that
            # every rerun sends again, and the row's fields share its width alike.
            with st.container(horizontal=True, gap="medium"):
                for spec in row:
                    self.render_field(spec, prefix, issues=False)
            for spec in row:
                path = join_path(prefix, spec.name)
                show_field_issues(self.current, path, where=spec.label)

    def render_field(self, spec: FieldSpec, prefix: str, *, issues: bool = True) -> None:
        """Render one field with its registered widget and, unless told not to, its issues."""
        path = join_path(prefix, spec.name)
        if spec.required and spec.shape not in _CONTAINERS:
            self.required.append(path)
        widget_for(spec).render(spec, path, self)
        if issues and spec.shape not in _CONTAINERS:
            self.field_issues(path)

    def field_issues(self, path: str) -> None:
        """Show the issues of the widget at ``path`` right under it."""
        show_field_issues(self.current, path)

    def issue_counts(self, path: str) -> tuple[int, int]:
        """``(errors, warnings)`` at or under ``path``."""
        return self.current.index.count(path)

    def tag_options(self) -> tuple[str, ...]:
        """Every tag already used in the catalog, first use first."""
        return _used_tags(self.current.revision)

    def is_tab(self, path: str) -> bool:
        """Whether ``path`` is a nested section with a tab of its own."""
        return path in self.tabs

    def part(self) -> Form:
        """The form for a part of it that reruns on its own (a model, in a fragment): the
        catalog as it is now (the fragment may rerun long after the form drew it), and a
        list of required fields of its own, which the part marks itself."""
        return Form(current(), tabs=self.tabs)

    def mark_required(self) -> None:
        """Draw the style sheet marking the required fields drawn so far."""
        if self.required:
            st.html(required_marks(self.required))


def _collect_tags(node: Any, found: dict[str, None]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tags" and isinstance(value, list):
                found.update((t, None) for t in value if isinstance(t, str) and t.strip())
            else:
                _collect_tags(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect_tags(item, found)


def _used_tags(revision: int) -> tuple[str, ...]:
    key = state.form_key("tags", "")
    cached = st.session_state.get(key)
    if cached and cached[0] == revision:
        return tuple(cached[1])
    found: dict[str, None] = {}
    _collect_tags(state.document(), found)
    st.session_state[key] = (revision, list(found))
    return tuple(found)


def _skeleton(node: Any) -> Any:
    """``node`` without its free text: the form's structure, names and switches."""
    if isinstance(node, dict):
        return tuple(
            (key, value if key == "name" else _skeleton(value)) for key, value in node.items()
        )
    if isinstance(node, list):
        return tuple(_skeleton(item) for item in node)
    return None if isinstance(node, str) else node


def form_signature(current: Current) -> tuple[Any, ...]:
    """Everything the form draws from the document besides the widgets' own values: the
    issues under fields and on tabs and titles, the sections switched on, the lists and
    their names, the tags offered.  When an edit leaves it alone, the edited widget
    already shows all there is, and the form need not be drawn again."""
    issues = issues_shown(current.report.issues)
    return issues, _skeleton(state.document()), _used_tags(current.revision)


#: Which root section is shown; form memory, so a new document picks its own default.
SECTION_KEY = state.form_key("section", "")


@dataclass(frozen=True)
class Tab:
    """One root section of the form, or a section nested in one (the server's API)."""

    spec: FieldSpec
    path: str
    #: The section it belongs to ("" for a root section).
    parent: str = ""
    #: Paths of its nested sections that have tabs of their own.
    children: tuple[str, ...] = ()


def tabs_of(containers: list[FieldSpec]) -> list[Tab]:
    """The form's tabs: each root section, followed by the sections nested in it.

    A nested section (the model server's API, its own Backstage entity) gets a tab of
    its own, so each tab is one entity kind and draws only its own widgets.
    """
    found: list[Tab] = []
    for spec in containers:
        nested = []
        if spec.shape == "model" and spec.model is not None:
            nested = [
                Tab(s, join_path(spec.name, s.name), parent=spec.name)
                for s in field_specs(spec.model)
                if s.shape == "model"
            ]
        found.append(Tab(spec, spec.name, children=tuple(t.path for t in nested)))
        found.extend(nested)
    return found


def _tab_counts(tab: Tab, current: Current) -> tuple[int, int]:
    errors, warnings = current.index.count(tab.path)
    for child in tab.children:  # counted on their own tab
        child_errors, child_warnings = current.index.count(child)
        errors, warnings = errors - child_errors, warnings - child_warnings
    return errors, warnings


def _section_label(tab: Tab, current: Current) -> str:
    items = state.get(tab.path)
    count = f" ({len(items)})" if isinstance(items, list) else ""
    errors, warnings = _tab_counts(tab, current)
    badge = f" :red-badge[{plural(errors, 'error')}]" if errors else ""
    if not errors and warnings:
        badge = f" :orange-badge[{plural(warnings, 'warning')}]"
    return f"{tab.spec.label}{count}{badge}"


def _choose_section(name: str) -> None:
    st.session_state[SECTION_KEY] = name


def _section_switcher(tabs: list[Tab], current: Current) -> Tab:
    """Buttons that show one tab at a time; returns the chosen one.

    Buttons, not a segmented control: a control's value travels as its label, and these
    labels carry live issue counts, so a changing count would reset the choice.  A
    nested section's tab is off while its parent section is switched off.
    """
    paths = [t.path for t in tabs]
    chosen = st.session_state.get(SECTION_KEY)
    usable = [t.path for t in tabs if not t.parent or isinstance(state.get(t.parent), dict)]
    if chosen not in usable:
        present = [t.path for t in tabs if not t.parent and state.get(t.path)]
        chosen = st.session_state[SECTION_KEY] = present[0] if present else paths[0]
    with st.container(horizontal=True, gap="small", key="section-switcher"):
        for tab in tabs:
            off = tab.path not in usable
            st.button(
                _section_label(tab, current),
                key=f"_author.show:{tab.path}",
                icon=sections.ICONS.get(tab.spec.name),
                type="primary" if tab.path == chosen else "secondary",
                disabled=off,
                help=f"Switch on the {humanize(tab.parent).lower()} first" if off else None,
                on_click=_choose_section,
                args=(tab.path,),
            )
    return next(t for t in tabs if t.path == chosen)


def render_form(model: type[BaseModel], current: Current) -> None:
    """Render the whole form for ``model`` (the catalog root) from the working document.

    The root's sections (model server, models), and the sections nested in them (the
    server's API), are shown one at a time, picked with buttons whose labels carry each
    tab's issue counts: the page stays short, and only the chosen tab builds widgets.
    """
    check_form(model)
    specs = field_specs(model)
    containers = [s for s in specs if s.shape in _CONTAINERS]
    if len(containers) < 2:
        form = Form(current)
        form.render_fields(model, "")
    else:
        tabs = tabs_of(containers)
        form = Form(current, tabs=frozenset(t.path for t in tabs if t.parent))
        chosen = _section_switcher(tabs, current)
        leaves = tuple(s for s in specs if s.shape not in _CONTAINERS)
        for row in arrange(leaves):
            for spec in row:
                form.render_field(spec, "")
        form.render_field(chosen.spec, chosen.parent)
        for tab in tabs:
            if tab.spec.shape == "model_list" and tab is not chosen:
                sections.forget_hidden(tab.path, [])
    form.mark_required()
