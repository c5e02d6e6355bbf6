"""The Backstage page: register what the Studio publishes, see what Backstage made of it.

Publishing tab: a dry run first (what Backstage would create), then registering the
library's Location or one catalog, then Backstage's own report: every entity, the
relations it computed and each processing error next to its entity.  Import tab: the
model servers a running Backstage knows, opened in the editor (:mod:`ui.backstage_import`).

Every network call runs on a click, under a progress indicator, and its outcome is kept
in session state (keys start with ``backstage.``), so a rerun never calls Backstage.
Text from Backstage is shown escaped or in code blocks, never as HTML.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from catalog import backstage_api as api
from catalog.errors import CatalogError
from catalog.publish import LOCATION_PATH, PUBLIC_URL_ENV, Publisher, catalog_path, public_base
from catalog.reader import load_documents
from catalog.session import is_empty
from catalog.store import StoreError
from catalog.validate import Report
from ui import backstage_import, persistence, report, state
from ui.text import escape_markdown

DEFAULT_PUBLIC_URL = "http://localhost:8501"
#: Backstage's words when it cannot fetch a location's URL (the Studio's, here).
UNABLE_TO_READ = re.compile(r"Unable to read (https?://\S+?),")
NOT_REGISTERED = "This is not registered in Backstage yet: a dry run, then Register, adds it."

WHAT_KEY = "backstage.what"
DRY_RUN_KEY = "backstage.dry_run"
REGISTER_KEY = "backstage.register"
CHECK_KEY = "backstage.check"
REFRESH_KEY = "backstage.refresh"
_WHAT_KEY = "backstage._what"
_OUTCOME_KEY = "backstage._outcome"

LIBRARY, CATALOG = "library", "catalog"
#: The most refresh requests one click sends (a location's refresh covers its entities).
MAX_REFRESH = 200
#: The relations the page lists for each entity, in this order, with their readings.
RELATIONS = {
    "dependsOn": "depends on",
    "dependencyOf": "dependency of",
    "providesApi": "provides API",
    "apiProvidedBy": "API provided by",
    "consumesApi": "consumes API",
    "ownedBy": "owned by",
    "partOf": "part of",
    "hasPart": "has part",
}
STATES = {
    "processed": "in the catalog",
    "pending": "not in the catalog (not processed)",
    "failed": "not in the catalog (processing failed)",
}


@dataclass
class Outcome:
    """What the page last learned from Backstage about one target."""

    target: str
    dry_run: api.DryRun | None = None
    #: A dry run was asked for (it may have been refused: registering then shows why).
    tried: bool = False
    unreadable: list[str] = field(default_factory=list)
    location: api.Location | None = None
    report: api.LocationReport | None = None
    problem: api.BackstageError | None = None
    note: str = ""
    #: The refs Backstage does not show as last saved (None: not compared).
    behind: list[str] | None = None


def entities(count: int) -> str:
    """``1 entity``, ``2 entities``."""
    return f"{count} {'entity' if count == 1 else 'entities'}"


# -- configuration ------------------------------------------------------------------------


def public_url() -> str:
    """How Backstage reaches the Studio (``MODEL_CATALOG_PUBLIC_URL``), without a slash."""
    return public_base(os.environ.get(PUBLIC_URL_ENV)) or DEFAULT_PUBLIC_URL


def library_target() -> str:
    """The library's Location, served by the Studio (:mod:`catalog.publish`)."""
    return public_url() + LOCATION_PATH


def catalog_target(catalog_id: str) -> str:
    """One catalog's last saved revision, served by the Studio."""
    return public_url() + catalog_path(catalog_id)


def _how_to_configure(problem: str = "") -> None:
    if problem:
        st.error(escape_markdown(problem), icon=":material/error:")
    else:
        st.info(
            "**Backstage is not configured.** Start the Studio with the address of your "
            "Backstage and a static token it accepts, then open this page again:",
            icon=":material/settings:",
        )
    st.code(
        f"export {api.ENV_URL}=http://localhost:7007   # Backstage's base URL\n"
        f"export {api.ENV_TOKEN}=<token>               # a static external-access token\n"
        f"export {PUBLIC_URL_ENV}={public_url()}   # how Backstage reaches the Studio\n"
        "./dev app",
        language="bash",
    )
    host = api.allow_host(public_url())
    st.markdown("In Backstage's `app-config.yaml`, the token and the Studio's host:")
    st.code(
        "backend:\n"
        "  auth:\n"
        "    externalAccess:\n"
        "      - type: static\n"
        "        options:\n"
        "          token: <token>\n"
        "          subject: model-catalog-studio\n"
        "  reading:\n"
        "    allow:\n"
        f"      - host: {host if ':' not in host else json.dumps(host)}\n"
        "catalog:\n"
        "  rules:\n"
        "    - allow: [Component, API, Resource, Location]",
        language="yaml",
    )


def _client() -> api.Backstage | None:
    try:
        client = api.from_environment(os.environ)
    except api.BackstageError as exc:
        _how_to_configure(f"{api.ENV_URL}: {exc}")
        return None
    if client is None:
        _how_to_configure()
    return client


def show_problem(exc: api.BackstageError) -> None:
    """One plain message; for a host Backstage may not read, the config lines too."""
    if isinstance(exc, api.ReadingNotAllowed):
        st.error(
            f"Backstage is not allowed to read **{escape_markdown(exc.host)}**, so it cannot "
            f"read {escape_markdown(exc.url)}. Ask its administrator to add these lines to "
            "Backstage's app-config.yaml and restart it:",
            icon=":material/block:",
        )
        st.code(exc.config_lines, language="yaml")
        return
    icon = ":material/key_off:" if isinstance(exc, api.BackstageAuthError) else ":material/error:"
    if isinstance(exc, api.BackstageUnreachable):
        icon = ":material/cloud_off:"
    unread = UNABLE_TO_READ.search(str(exc))
    studio = public_base(os.environ.get(PUBLIC_URL_ENV)) or DEFAULT_PUBLIC_URL
    if unread and unread.group(1).startswith(studio):
        # Backstage cannot fetch the Studio itself: the one setting to look at first.
        st.error(
            f"Backstage could not read the Studio at {escape_markdown(unread.group(1))}. "
            f"Set {PUBLIC_URL_ENV} to the Studio's address as Backstage reaches it (now "
            f"{escape_markdown(os.environ.get(PUBLIC_URL_ENV) or 'not set')}), check that "
            "the Studio answers there, then try again.",
            icon=":material/link_off:",
        )
        st.caption(f"Backstage said: {escape_markdown(str(exc))}")
        return
    st.error(escape_markdown(str(exc)), icon=icon)


# -- publishing ---------------------------------------------------------------------------


def _outcomes() -> dict[str, Outcome]:
    found = st.session_state.setdefault(_OUTCOME_KEY, {})
    assert isinstance(found, dict)
    return found


def _outcome(target: str) -> Outcome:
    outcomes = _outcomes()
    if target not in outcomes:
        outcomes[target] = Outcome(target)
    found: Outcome = outcomes[target]
    return found


def _dry_run(client: api.Backstage, target: str, urls: list[str]) -> None:
    """Check the ``$text`` hosts first (a refused one sinks the whole API), then dry-run."""
    outcome = _outcome(target)
    outcome.problem, outcome.dry_run, outcome.unreadable = None, None, []
    outcome.tried, outcome.note = True, ""
    with st.status("Asking Backstage what it would create…", expanded=False) as status:
        try:
            published_urls = api.text_urls(published(target) or [])
            for url in dict.fromkeys([*urls, *published_urls]):
                status.update(label=f"Checking that Backstage may read {escape_markdown(url)}…")
                if not api.reading_allowed(client, url):
                    outcome.unreadable.append(url)
            status.update(label="Asking Backstage what it would create…")
            outcome.dry_run = client.dry_run(target)
        except api.BackstageError as exc:
            # A refused $text host is warned about on its own: no second message for it.
            if not (
                isinstance(exc, api.ReadingNotAllowed)
                and any(api.allow_host(u) == exc.host for u in outcome.unreadable)
            ):
                outcome.problem = exc
            status.update(label="Backstage refused the dry run", state="error")
            return
        status.update(label="Dry run done", state="complete")


def _register(client: api.Backstage, target: str) -> None:
    outcome = _outcome(target)
    outcome.problem = None
    with st.status("Registering in Backstage…", expanded=False) as status:
        try:
            outcome.location = client.register(target)
            status.update(label="Registered; waiting for Backstage to process it…")
            expected = published(target)
            outcome.report = client.settle(target, until=_in_step(expected))
            outcome.behind = _behind(expected, outcome.report)
        except api.BackstageError as exc:
            outcome.problem = exc
            status.update(label="Registering failed", state="error")
            return
        status.update(label="Backstage has processed the location", state="complete")
    outcome.note = (
        "It was registered already: this is what Backstage has."
        if outcome.location.existed
        else "Registered."
    )


def _check(client: api.Backstage, target: str) -> None:
    outcome = _outcome(target)
    outcome.problem = None
    with st.spinner("Asking Backstage what it has…"):
        try:
            outcome.location = client.find_location(target)
            outcome.report = client.report(target) if outcome.location else None
            if outcome.report is not None:
                outcome.behind = _behind(published(target), outcome.report)
        except api.BackstageError as exc:
            outcome.problem = exc
            return
    outcome.note = "" if outcome.location else NOT_REGISTERED


def published(target: str) -> list[dict[str, Any]] | None:
    """The entities the Studio publishes at ``target`` now (None: cannot tell)."""
    try:
        publisher = Publisher(persistence.store(), public_url())
        if target == library_target():
            texts = [p.yaml for p in publisher.statuses() if p.yaml is not None]
        else:
            catalog_id = target.removeprefix(public_url() + "/published/").split("/")[0]
            summary = persistence.store().summary(catalog_id)
            text = publisher.status(catalog_id, summary.name, summary.revision).yaml
            texts = [text] if text is not None else []
        return [e for t in texts for e in load_documents(t, name=target) if isinstance(e, dict)]
    except (StoreError, CatalogError):
        return None


def _behind(expected: list[dict[str, Any]] | None, found: api.LocationReport) -> list[str] | None:
    return api.out_of_step(expected, found) if expected else None


def _in_step(
    expected: list[dict[str, Any]] | None,
) -> Any:
    """A :meth:`~catalog.backstage_api.Backstage.settle` condition: Backstage shows it all."""
    if not expected:
        return None  # nothing to compare with: wait until Backstage's report holds still
    return lambda found: not api.out_of_step(expected, found)


def _to_refresh(expected: list[dict[str, Any]] | None, found: api.LocationReport) -> list[str]:
    """The locations (Backstage then re-reads their files) and the entities not in step.

    Without a comparison, every entity; at most :data:`MAX_REFRESH` requests either way.
    """
    behind = set(_behind(expected, found) or [e.ref for e in found.entities])
    refs = [e.ref for e in found.entities if e.kind == "Location"]
    refs += [e.ref for e in found.entities if e.kind != "Location" and e.ref in behind]
    return refs[:MAX_REFRESH]


def _refresh(client: api.Backstage, target: str) -> None:
    outcome = _outcome(target)
    outcome.problem = None
    with st.status("Asking Backstage to read it again…", expanded=False) as status:
        try:
            expected = published(target)
            before = client.report(target)
            for ref in _to_refresh(expected, before):
                client.refresh(ref)
            status.update(label="Waiting for Backstage to process the change…")
            outcome.report = client.settle(target, timeout=20.0, until=_in_step(expected))
            outcome.behind = _behind(expected, outcome.report)
        except api.BackstageError as exc:
            outcome.problem = exc
            status.update(label="Refresh failed", state="error")
            return
        status.update(label="Refreshed", state="complete")
    outcome.note = "Backstage has read it again."


def _in_step_notice(outcome: Outcome) -> None:
    behind = outcome.behind
    if behind is None:
        return
    if not behind:
        st.success(
            "Backstage shows the last saved revision, exactly as the Studio publishes it.",
            icon=":material/task_alt:",
        )
        return
    st.warning(
        f"Backstage does not show the last saved revision of {entities(len(behind))} yet: "
        + ", ".join(escape_markdown(ref) for ref in behind[:10])
        + (" …" if len(behind) > 10 else "")
        + ". It re-reads locations regularly; Refresh in Backstage asks now, and an entity "
        "with errors below stays behind until they are fixed.",
        icon=":material/sync_problem:",
    )


def _entity_rows(entities: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for entity in entities:
        meta = entity.get("metadata") or {}
        spec = entity.get("spec") or {}
        rows.append(
            {
                "Kind": str(entity.get("kind", "")),
                "Name": str(meta.get("name", "")),
                "Type": str(spec.get("type", "")),
                "Owner": str(spec.get("owner", "")),
                "Lifecycle": str(spec.get("lifecycle", "")),
            }
        )
    return rows


def _show_dry_run(outcome: Outcome) -> None:
    dry = outcome.dry_run
    if dry is None:
        return
    st.markdown(
        f"**Dry run: Backstage would create {entities(len(dry.entities))}**"
        + (" (this location is registered already)" if dry.exists else "")
    )
    ordered = sorted(
        dry.entities, key=lambda e: (api.KIND_ORDER.get(str(e.get("kind")), 9), api.entity_ref(e))
    )
    st.dataframe(_entity_rows(ordered), hide_index=True, width="stretch", key="backstage.dry")


def _relation_lines(entity: api.EntityReport) -> str:
    order = list(RELATIONS)
    shown = sorted(
        (r for r in entity.relations if r[0] in RELATIONS), key=lambda r: (order.index(r[0]), r[1])
    )
    return "\n".join(f"- {RELATIONS[kind]} **{escape_markdown(ref)}**" for kind, ref in shown)


def _show_report(found: api.LocationReport) -> None:
    entities = found.entities
    columns = st.columns(4)
    columns[0].metric("Entities", len(entities))
    columns[1].metric("In the catalog", sum(e.state == "processed" for e in entities))
    columns[2].metric("Still processing", len(found.processing))
    columns[3].metric("With errors", len(found.with_errors))
    if not found.sees_unprocessed:
        st.caption(
            "This Backstage has no unprocessed-entities module: an entity that never "
            "validated is not listed here (add @backstage/plugin-catalog-backend-module-"
            "unprocessed to see its errors)."
        )
    if found.processing:
        st.info(
            f"Backstage is still processing {entities(len(found.processing))}: "
            "check again in a few seconds.",
            icon=":material/hourglass_top:",
        )
    if found.unreadable:
        st.error(
            "Backstage may not read "
            + ", ".join(escape_markdown(u) for u in found.unreadable)
            + ". Ask its administrator to add these lines to its app-config.yaml and "
            "restart it, then refresh:",
            icon=":material/block:",
        )
        st.code(api.reading_allow_config(found.unreadable), language="yaml")
    rows = [
        {"Entity": e.ref, "Relation": RELATIONS[kind], "To": target}
        for e in entities
        for kind, target in e.relations
        if kind in RELATIONS
    ]
    if rows:
        st.markdown("**Relations Backstage computed**")
        st.dataframe(rows, hide_index=True, width="stretch", key="backstage.relations")
    st.markdown("**Each entity, with Backstage's errors under it**")
    for entity in entities:
        icon = ":material/check_circle:" if entity.ok else ":material/error:"
        if entity in found.processing:
            icon = ":material/hourglass_top:"
        label = f"{entity.kind} {entity.name}"
        with st.expander(escape_markdown(label), expanded=bool(entity.errors), icon=icon):
            st.caption(escape_markdown(f"{entity.ref}: {STATES.get(entity.state, entity.state)}"))
            description = (entity.entity.get("metadata") or {}).get("description")
            if isinstance(description, str) and description.strip():
                st.markdown(escape_markdown(description[:500]))
            for error in entity.errors:
                st.error(escape_markdown(error), icon=":material/error:")
            lines = _relation_lines(entity)
            st.markdown(lines or "No relations.")


def _catalog_entities() -> tuple[Report | None, list[dict[str, Any]]]:
    """The open catalog's report and entities (for the ``$text`` check)."""
    current = report.current()
    return current.report, list(current.report.entities or [])


def _publish_tab(client: api.Backstage) -> None:
    catalog_id = persistence.catalog_id()
    choices = {LIBRARY: "The whole library (one Location for every saved catalog)"}
    if catalog_id:
        choices[CATALOG] = "Only this catalog (its last saved revision)"
    # A widget's value goes when another page runs: keep the choice in a copy of its own.
    chosen = st.session_state.get(_WHAT_KEY, st.session_state.get(WHAT_KEY))
    st.session_state[WHAT_KEY] = chosen if chosen in choices else LIBRARY
    what = st.radio(
        "What should Backstage read?",
        list(choices),
        format_func=choices.__getitem__,
        key=WHAT_KEY,
        on_change=lambda: st.session_state.update({_WHAT_KEY: st.session_state[WHAT_KEY]}),
        help="The library's Location is registered once: every catalog saved later appears "
        "in Backstage on its own.",
    )
    target = library_target() if what == LIBRARY or not catalog_id else catalog_target(catalog_id)
    st.markdown("Backstage will read:")
    st.code(target, language=None)
    if not public_base(os.environ.get(PUBLIC_URL_ENV)):
        st.caption(
            f"{PUBLIC_URL_ENV} is not set: this assumes Backstage reaches the Studio at "
            f"{DEFAULT_PUBLIC_URL}. Set it to the Studio's address as Backstage sees it."
        )
    if not catalog_id and is_empty(state.document()):
        st.caption(
            "No catalog is open: open one on the Library page, or start one on the Author "
            "page, to publish it alone."
        )
    elif not catalog_id:
        st.caption("This catalog is not saved in the library yet: save it to publish it alone.")
    elif persistence.has_unsaved_changes():
        st.warning(
            "This catalog has unsaved changes. Backstage reads the last saved revision: "
            "save first to publish them.",
            icon=":material/save:",
        )
    own_report, entities = _catalog_entities()
    if own_report is not None and not own_report.ok and catalog_id:
        st.warning(
            "This catalog has errors: it is not published until they are fixed and saved.",
            icon=":material/warning:",
        )
    urls = api.text_urls(entities)
    outcome = _outcome(target)
    buttons = st.container(horizontal=True)
    if buttons.button("1. Dry run", key=DRY_RUN_KEY, icon=":material/preview:", type="primary"):
        _dry_run(client, target, urls)
    if buttons.button(
        "2. Register in Backstage",
        key=REGISTER_KEY,
        icon=":material/cloud_upload:",
        disabled=not outcome.tried,
        help="Run the dry run first." if not outcome.tried else None,
    ):
        _register(client, target)
    if buttons.button("Check what Backstage has", key=CHECK_KEY, icon=":material/sync:"):
        _check(client, target)
    if outcome.location is not None and buttons.button(
        "Refresh in Backstage",
        key=REFRESH_KEY,
        icon=":material/refresh:",
        help="After saving an edit: Backstage reads the location again now.",
    ):
        _refresh(client, target)
    if outcome.problem is not None:
        show_problem(outcome.problem)
        if isinstance(outcome.problem, api.BackstageRefused) and outcome.report is None:
            st.caption(
                "A dry run stops at Backstage's first problem. Register anyway to see every "
                "entity with its own errors."
            )
    for url in outcome.unreadable:
        st.warning(
            f"The API definition {escape_markdown(url)} is on a host Backstage may not read: "
            'Backstage would refuse the whole API entity ("Placeholder \\$text could not '
            'read location"). Add these lines to its app-config.yaml, or embed the '
            "definition:",
            icon=":material/warning:",
        )
        st.code(api.reading_allow_config([url]), language="yaml")
    if outcome.note == NOT_REGISTERED:
        st.info(escape_markdown(outcome.note), icon=":material/info:")
    elif outcome.note:
        st.success(escape_markdown(outcome.note), icon=":material/info:")
    _show_dry_run(outcome)
    if outcome.report is not None:
        st.subheader("What Backstage reports", anchor=False)
        _in_step_notice(outcome)
        _show_report(outcome.report)


def render() -> None:
    """Draw the Backstage page."""
    st.title("Backstage", anchor=False)
    st.caption(
        "Let Backstage itself judge what the Studio publishes: a dry run, then register, "
        "then every entity, relation and error as Backstage reports them."
    )
    client = _client()
    if client is None:
        return
    st.caption(f"Backstage: {escape_markdown(client.url)}")
    publish_tab, import_tab = st.tabs(["Publish to Backstage", "Import from Backstage"])
    with client:  # its connections close when the page is drawn
        with publish_tab:
            _publish_tab(client)
        with import_tab:
            backstage_import.render_tab(client, show_problem)
