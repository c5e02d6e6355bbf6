"""Issue display: one line per issue under its field, and the summary at the top.

Messages may quote what the user typed, so they are always markdown-escaped; errors
are red with an error icon, warnings orange with a warning icon.  A fixable issue gets
a button that applies its fix through :func:`ui.state.apply_fix`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from catalog.issues import Issue
from ui import state
from ui.report import Current, current
from ui.text import escape_markdown, humanize, plural

#: How many issues the summary lists before saying "and N more".
SUMMARY_LIMIT = 40

_STYLE = {
    "error": ("red", ":material/error:"),
    "warning": ("orange", ":material/warning:"),
}


_apply_fix = state.editor_callback(state.apply_fix)


def issue_markdown(issue: Issue, *, where: str = "") -> str:
    """An issue as one escaped, coloured markdown line."""
    color, icon = _STYLE.get(issue.severity, _STYLE["warning"])
    prefix = f"**{escape_markdown(where)}:** " if where else ""
    return f":{color}[{icon} {prefix}{escape_markdown(issue.message)}]"


def show_issue(issue: Issue, key: str, *, where: str = "") -> None:
    """One issue: its message and, when it has one, a button applying its fix."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(issue_markdown(issue, where=where), width="content")
        if issue.fix is not None:
            st.button(
                escape_markdown(issue.fix.label),
                key=key,
                icon=":material/auto_fix_high:",
                on_click=_apply_fix,
                args=(issue.fix,),
            )


def show_field_issues(current: Current, path: str, *, where: str = "") -> None:
    """The issues that belong under the widget at ``path`` (``where`` names the field)."""
    for n, issue in enumerate(current.index.at(path)):
        show_issue(issue, f"_fix.field:{path}:{issue.code}:{n}", where=where)


def describe_path(path: str, document: dict[str, Any]) -> str:
    """A person's name for a field path: ``models.2.name`` -> ``Model 'granite' > Name``."""
    if not path:
        return "Catalog"
    parts = path.split(".")
    words: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part == "models" and index + 1 < len(parts) and parts[index + 1].isdigit():
            number = int(parts[index + 1])
            models = document.get("models")
            item = models[number] if isinstance(models, list) and number < len(models) else {}
            name = item.get("name") if isinstance(item, dict) else None
            words.append(f"Model '{name}'" if name else f"Model {number + 1}")
            index += 2
            continue
        words.append(f"#{int(part) + 1}" if part.isdigit() else humanize(part))
        index += 1
    return " > ".join(words)


@state.editor_callback
def _fix_all(issues: list[Issue]) -> None:
    state.apply_fixes(issues)


def issues_shown(issues: list[Issue]) -> tuple[Any, ...]:
    """``issues`` as a comparable value of what a person sees of them: where each is,
    its code, severity and message, and its fix's label."""
    return tuple(
        (i.path, i.code, i.severity, i.message, i.fix.label if i.fix else None) for i in issues
    )


def summary_shown() -> tuple[Any, ...]:
    """What :func:`show_summary` shows: every issue (with its fix) and where the list
    says it is (model names), or that the catalog is empty."""
    now = current()
    if now.is_empty:
        return ()
    issues = now.report.issues
    document = state.document()
    listed = _listed(issues)[:SUMMARY_LIMIT]
    return issues_shown(issues), tuple(describe_path(i.path, document) for i in listed)


state.redraws_when(state.SUMMARY_FRAGMENT, summary_shown)


def _listed(issues: list[Issue]) -> list[Issue]:
    """The issues the summary's list shows (those of a field; the catalog's show above)."""
    return [i for i in issues if i.path]


def show_summary(current: Current) -> None:
    """Counts at the top, catalog-wide issues, and every issue in a list to act on."""
    report = current.report
    errors, warnings = report.errors, report.warnings
    fixable = [i for i in report.issues if i.fix is not None]
    with st.container(border=True, key="issue-summary"):
        with st.container(horizontal=True, vertical_alignment="center"):
            if errors:
                st.markdown(
                    f":red[:material/block: **{plural(len(errors), 'error')}** block export]",
                    width="content",
                )
            else:
                st.markdown(
                    ":green[:material/check_circle: **Ready for Backstage**]", width="content"
                )
            st.markdown(
                f":orange[:material/warning: {plural(len(warnings), 'warning')}]"
                if warnings
                else ":gray[no warnings]",
                width="stretch",
            )
            if len(fixable) > 1:
                st.button(
                    f"Apply all {len(fixable)} fixes",
                    key="_fix.all",
                    icon=":material/auto_fix_high:",
                    on_click=_fix_all,
                    args=(fixable,),
                )
        for n, issue in enumerate(current.index.at("")):
            show_issue(issue, f"_fix.catalog:{issue.code}:{n}")
        listed = _listed(report.issues)
        if listed:
            with st.expander(f"All issues ({len(listed)})", expanded=bool(errors)):
                document = state.document()
                for n, issue in enumerate(listed[:SUMMARY_LIMIT]):
                    where = describe_path(issue.path, document)
                    show_issue(issue, f"_fix.summary:{issue.path}:{issue.code}:{n}", where=where)
                if len(listed) > SUMMARY_LIMIT:
                    st.caption(f"... and {len(listed) - SUMMARY_LIMIT} more.")
