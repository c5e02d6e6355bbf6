"""The Backstage page's Import tab: a running Backstage's model servers, into the editor.

The servers are Backstage's Components of type ``model-server``; one is read with its
models (``dependsOn`` Resources) and APIs (``providesApi``), without what Backstage adds
while processing, and mapped back by the reverse import (:func:`catalog.reverse.
from_entities`).  It opens as a new catalog through :func:`ui.state.replace`: the open one
stays in the library, and one Undo puts it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from catalog import backstage_api as api
from catalog.errors import CatalogError
from catalog.reverse import from_entities
from catalog.validate import Report, validate
from ui import persistence, state
from ui.text import escape_markdown, plural

AUTHOR_PAGE = Path(__file__).resolve().parent.parent / "pages" / "author.py"
SERVERS_KEY = "backstage.servers"
SERVER_KEY = "backstage.server"
READ_KEY = "backstage.read"
OPEN_KEY = "backstage.open"
_SERVERS_KEY = "backstage._servers"
_CANDIDATE_KEY = "backstage._candidate"
_OPENED_KEY = "backstage._opened"
#: Where an entity the server names is missing from: Backstage has not (yet) processed it.
NOT_IN_BACKSTAGE = (
    "Backstage's catalog (not processed yet, or its processing failed: the Publish to "
    "Backstage tab shows why)"
)


@dataclass
class Candidate:
    """A model server read from Backstage, mapped to a catalog, not yet opened."""

    ref: str
    document: dict[str, Any]
    imported: list[str]
    left_out: list[str]
    report: Report


def read_server(client: api.Backstage, server: dict[str, Any]) -> Candidate:
    """A model server with its models and APIs, as a model catalog (reverse import)."""
    entities = [api.published_entity(e) for e in client.server_entities(server)]
    result = from_entities(entities, source=NOT_IN_BACKSTAGE)
    return Candidate(
        api.entity_ref(server),
        result.document,
        list(map(str, result.imported)),
        list(result.left_out),
        validate(dict(result.document)),
    )


def _server_rows(servers: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for server in servers:
        relations = server.get("relations") or []
        meta, spec = server.get("metadata") or {}, server.get("spec") or {}
        rows.append(
            {
                "Name": str(meta.get("name", "")),
                "Owner": str(spec.get("owner", "")),
                "Lifecycle": str(spec.get("lifecycle", "")),
                "Models": str(
                    sum(
                        1
                        for r in relations
                        if r.get("type") == "dependsOn"
                        and str(r.get("targetRef", "")).startswith("resource:")
                    )
                ),
                "APIs": ", ".join(
                    str(r.get("targetRef", "")).split("/")[-1]
                    for r in relations
                    if r.get("type") == "providesApi"
                ),
                "Description": str(meta.get("description", ""))[:120],
            }
        )
    return rows


def _open(candidate: Candidate) -> None:
    """Open the candidate in the editor; the catalog open until now stays in the library."""
    before = persistence.catalog_name() or "the previous catalog"
    kept = persistence.catalog_id() is not None
    state.replace(candidate.document, f"open {candidate.ref} from Backstage", as_new=True)
    st.session_state[_OPENED_KEY] = {
        "revision": state.revision(),
        "ref": candidate.ref,
        "kept": before if kept else "",
    }
    st.session_state.pop(_CANDIDATE_KEY, None)


def _opened_notice() -> None:
    opened = st.session_state.get(_OPENED_KEY)
    if not opened or opened.get("revision") != state.revision():
        return
    text = f"Opened {opened['ref']} from Backstage in the editor."
    if opened.get("kept"):
        text += f" {opened['kept']} is still in the library, as you left it."
    else:
        text += " Undo on the Author page puts your previous catalog back."
    st.success(escape_markdown(text), icon=":material/check_circle:")
    st.page_link(AUTHOR_PAGE, label="Edit it on the Author page", icon=":material/edit_note:")


def render_tab(client: api.Backstage, show_problem: Callable[[api.BackstageError], None]) -> None:
    """The Import tab: list Backstage's model servers, read one, open it in the editor."""
    st.caption(
        "The model servers this Backstage knows (Components of type model-server), with "
        "their models and APIs. Open one to edit it here, then publish it back."
    )
    _opened_notice()
    if st.button("List the model servers", key=SERVERS_KEY, icon=":material/dns:"):
        with st.spinner("Asking Backstage for its model servers…"):
            try:
                st.session_state[_SERVERS_KEY] = client.model_servers()
            except api.BackstageError as exc:
                show_problem(exc)
                return
    servers: list[dict[str, Any]] | None = st.session_state.get(_SERVERS_KEY)
    if servers is None:
        return
    if not servers:
        st.info("This Backstage has no model servers.", icon=":material/info:")
        return
    st.dataframe(_server_rows(servers), hide_index=True, width="stretch", key="backstage.list")
    by_ref = {api.entity_ref(s): s for s in servers}
    ref = st.selectbox("Model server", list(by_ref), key=SERVER_KEY)
    if st.button("Read it from Backstage", key=READ_KEY, icon=":material/download:"):
        with st.spinner("Reading the server, its models and APIs…"):
            try:
                st.session_state[_CANDIDATE_KEY] = read_server(client, by_ref[ref])
            except (api.BackstageError, CatalogError) as exc:
                st.error(escape_markdown(str(exc)), icon=":material/error:")
                return
    candidate: Candidate | None = st.session_state.get(_CANDIDATE_KEY)
    if candidate is None or candidate.ref != ref:
        return
    models = candidate.document.get("models") or []
    st.markdown(
        f"**{escape_markdown(ref)}**: {plural(len(models), 'model')}, "
        f"{plural(len(candidate.report.errors), 'error')} to fix after opening."
    )
    left, right = st.columns(2)
    with left.expander(f"Imported ({len(candidate.imported)})", expanded=True):
        st.markdown("\n".join(f"- {escape_markdown(i)}" for i in candidate.imported) or "Nothing.")
    with right.expander(f"Left out ({len(candidate.left_out)})", expanded=bool(candidate.left_out)):
        st.markdown(
            "\n".join(f"- {escape_markdown(i)}" for i in candidate.left_out)
            or "Nothing: everything has a place in the catalog."
        )
    st.button(
        "Open it in the editor",
        key=OPEN_KEY,
        type="primary",
        icon=":material/edit_note:",
        on_click=_open,
        args=(candidate,),
        help="Opens as a new catalog: the one open now stays in the library as it is.",
    )
