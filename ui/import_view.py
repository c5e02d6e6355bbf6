"""The Import page: read a file, show what it would bring, and only then change the catalog.

Three sources: a model catalog (JSON or YAML), a Backstage ``catalog-info.yaml`` (mapped
back by :mod:`catalog.reverse`) and a Hugging Face model card (a ``README.md`` with YAML
front matter, read by :mod:`catalog.modelcard`).  :func:`read_import` is plain Python:
bytes or text in, a :class:`Candidate` out, or one :class:`~catalog.errors.InputError`
whose message is shown as it is.  The working catalog is changed only by the two accept
buttons, through :func:`ui.state.replace` (so one Undo puts the old catalog back).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from catalog.errors import InputError
from catalog.merge import merge_catalogs
from catalog.modelcard import import_model_card
from catalog.reader import decode_text, load_document, load_documents
from catalog.reverse import import_catalog_infos
from catalog.validate import Report, validate
from ui import state
from ui.issues import describe_path, issue_markdown
from ui.text import escape_markdown, plural

AUTHOR_PAGE = "pages/author.py"
EXPORT_PAGE = "pages/export.py"

#: The import limit in MB.
MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
#: What the uploader itself takes.  The browser refuses a bigger file with nothing but
#: an icon (its reason only on hover), so a file somewhat over the limit is let through
#: for :func:`as_text` to refuse with a message in the page; the caption under the
#: uploader states the limit for anything bigger still.  The server refuses bigger
#: uploads too: ``server.maxUploadSize`` in .streamlit/config.toml is the same number.
UPLOAD_ACCEPT_MB = 4 * MAX_UPLOAD_MB
_HIDE_UPLOADER_LIMIT = (
    '<style>[class*="st-key-import-file-"] '
    '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }</style>'
)

SOURCE_KEY = "import.source"
OWNER_KEY = "import.card_owner"
REPO_KEY = "import.card_repo"
TEXT_KEY = "import.text"
SERVER_KEY = "import.server"
REPLACE_KEY = "import.replace"
NEW_KEY = "import.new"
ADD_KEY = "import.add"
UNDO_KEY = "import.undo"
_NONCE_KEY = "import._nonce"
_MEMO_KEY = "import._memo"
_DONE_KEY = "import._done"

AUTO = "auto"
MODEL_CATALOG = "model-catalog"
CATALOG_INFO = "catalog-info"
MODEL_CARD = "model-card"
SOURCES = {
    AUTO: "Detect automatically",
    MODEL_CATALOG: "Model catalog (JSON or YAML)",
    CATALOG_INFO: "Backstage catalog-info.yaml",
    MODEL_CARD: "Hugging Face model card (README.md)",
}
#: Each source as prose ("read as ...").
SOURCE_NOUNS = {
    MODEL_CATALOG: "a model catalog",
    CATALOG_INFO: "a Backstage catalog-info.yaml",
    MODEL_CARD: "a Hugging Face model card",
}
#: How many issues or left-out items the preview lists before "and N more".
LIST_LIMIT = 30
_ENTITY_KEYS = ("apiVersion", "kind")
PASTED = "pasted text"
_CATALOG_KEYS = ("models", "modelServer")


@dataclass
class Candidate:
    """What an import would bring, read and checked but not yet applied."""

    source: str
    name: str
    document: dict[str, Any]
    imported: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    detected: bool = False
    #: A catalog-info file with several model servers is several catalogs: each one's
    #: label (its server, or "models without a server") and model count, in file order.
    servers: dict[str, int] = field(default_factory=dict)

    @property
    def server(self) -> dict[str, Any] | None:
        server = self.document.get("modelServer")
        return server if isinstance(server, dict) else None

    @property
    def models(self) -> list[Any]:
        models = self.document.get("models")
        return models if isinstance(models, list) else []


# --- reading ---------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def as_text(data: bytes | str, name: str) -> str:
    """The input as text, refusing oversized, empty and binary input with one message."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{name}: it is {_size(size)}, larger than the import limit of {MAX_UPLOAD_MB} MB. "
            "A model catalog is rarely more than a few hundred KB: check that this is the "
            "right file."
        )
    if isinstance(data, bytes):
        return decode_text(data, name=name, max_bytes=MAX_UPLOAD_BYTES).lstrip("\ufeff")
    text = data.lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{name}: it is empty; expected a JSON or YAML document")
    if "\x00" in text:
        raise InputError(f"{name}: this is binary data, not JSON or YAML text")
    return text


def _front_matter(text: str) -> str | None:
    """The YAML between a leading ``---`` line and the next ``---`` line, if followed by text."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            rest = "\n".join(lines[index + 1 :])
            return "\n".join(lines[1:index]) if rest.strip() else None
    return None


def detect_source(text: str, name: str = "") -> str | None:
    """Guess the source of ``text``: a model card, a catalog-info.yaml or a model catalog."""
    if name.lower().endswith((".md", ".markdown")):
        return MODEL_CARD
    front = _front_matter(text)
    if front is not None:
        try:
            head = load_documents(front, name=name or "input", max_bytes=MAX_UPLOAD_BYTES)
        except InputError:
            head = []
        first = head[0] if len(head) == 1 else None
        if isinstance(first, dict) and not any(k in first for k in _ENTITY_KEYS + _CATALOG_KEYS):
            return MODEL_CARD
    try:
        docs = load_documents(text, name=name or "input", max_bytes=MAX_UPLOAD_BYTES)
    except InputError:
        return None
    if len(docs) == 1 and isinstance(docs[0], dict) and isinstance(docs[0].get("items"), list):
        docs = docs[0]["items"]  # Backstage's REST API: GET /entities/by-query
    elif len(docs) == 1 and isinstance(docs[0], list):
        docs = docs[0]  # Backstage's REST API: GET /entities, a JSON list of entities
    if any(isinstance(d, dict) and all(k in d for k in _ENTITY_KEYS) for d in docs):
        return CATALOG_INFO
    if len(docs) == 1 and isinstance(docs[0], dict) and any(k in docs[0] for k in _CATALOG_KEYS):
        return MODEL_CATALOG
    return None


def _not_recognised(name: str) -> InputError:
    return InputError(
        f"{name}: this is not a model catalog (no 'models' or 'modelServer'), not a "
        "catalog-info.yaml (no entity with 'apiVersion' and 'kind') and not a model card "
        "(no '---' front matter). Check the text, or choose what it is above to see what "
        "is missing."
    )


def _read_model_catalog(text: str, name: str) -> Candidate:
    document = load_document(text, name=name, max_bytes=MAX_UPLOAD_BYTES)
    if not isinstance(document, dict) or not any(k in document for k in _CATALOG_KEYS):
        raise InputError(
            f"{name}: this is not a model catalog: a model catalog is an object with "
            "'models' (and optionally 'modelServer') at the top level"
        )
    candidate = Candidate(MODEL_CATALOG, name, document)
    server = candidate.server
    if server is not None:
        candidate.imported.append(f"model server {server.get('name', '')}")
    for model in candidate.models:
        label = model.get("name", "") if isinstance(model, dict) else ""
        candidate.imported.append(f"model {label}")
    return candidate


def _imported_line(item: Any) -> str:
    """An imported item as one line (model cards give ``(field, where it came from)``)."""
    if isinstance(item, tuple) and len(item) == 2:
        return f"{item[0]}: {item[1]}"
    return str(item)


def _from_result(source: str, name: str, result: Any) -> Candidate:
    return Candidate(
        source,
        name,
        dict(result.document),
        imported=[_imported_line(item) for item in result.imported],
        left_out=list(result.left_out),
        warnings=list(getattr(result, "warnings", []) or []),
    )


@dataclass(frozen=True)
class CardOptions:
    """What a model card cannot say and the person may give: owner and Hub repo id."""

    owner: str = ""
    repo_id: str = ""


def _read(
    text: str, name: str, source: str, card: CardOptions, server: str | None = None
) -> Candidate:
    if source == MODEL_CATALOG:
        return _read_model_catalog(text, name)
    if source == CATALOG_INFO:
        results = import_catalog_infos(text, name)
        chosen = next((r for r in results if r.label == server), results[0])
        candidate = _from_result(source, name, chosen)
        if len(results) > 1:
            candidate.servers = {r.label: len(r.document.get("models") or []) for r in results}
        return candidate
    if source == MODEL_CARD:
        # A pasted card has no file name: let the card's own title name the model.
        filename = None if name == PASTED else name
        result = import_model_card(
            text,
            filename=filename,
            owner=card.owner.strip() or None,
            repo_id=card.repo_id.strip() or None,
        )
        return _from_result(source, name, result)
    raise ValueError(f"unknown import source {source!r}")


def read_import(
    data: bytes | str,
    name: str,
    source: str = AUTO,
    card: CardOptions | None = None,
    server: str | None = None,
) -> Candidate:
    """Read ``data`` as ``source`` (or the detected one) and validate what it gives.

    ``server`` chooses among the catalogs of a catalog-info file with several model
    servers (by :attr:`Candidate.servers` label); the first is read when it is None.
    """
    card = card or CardOptions()
    text = as_text(data, name)
    detected = source == AUTO
    if detected:
        found = detect_source(text, name)
        if found is None:
            # Reading as a model catalog gives the most precise message for broken input
            # (the line and column of a YAML or JSON error, or an anchor/alias refusal).
            load_documents(text, name=name, max_bytes=MAX_UPLOAD_BYTES)
            raise _not_recognised(name)
        source = found
    try:
        candidate = _read(text, name, source, card, server)
    except InputError as exc:
        guess = None if detected else detect_source(text, name)
        if guess is not None and guess != source:
            raise InputError(
                f"{exc} (This looks like {SOURCE_NOUNS[guess]}: "
                f"choose '{SOURCES[guess]}' or '{SOURCES[AUTO]}' above.)"
            ) from None
        raise
    candidate.detected = detected
    candidate.report = validate(copy.deepcopy(candidate.document))
    return candidate


# --- applying ----------------------------------------------------------------------


def _is_empty(document: dict[str, Any]) -> bool:
    return not document.get("modelServer") and not document.get("models")


def _name_of(item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) and name.strip() else "(unnamed)"


def add_note(current: dict[str, Any], candidate: Candidate) -> str:
    """What "add" does with these two catalogs, in one sentence."""
    count = len(candidate.models)
    models = "this model" if count == 1 else f"these {count} models"
    here = current.get("modelServer")
    if candidate.server is not None and isinstance(here, dict) and here:
        return (
            f"Adds {models} to the current catalog. Your current model server "
            f"'{_name_of(here)}' is kept; the imported server '{_name_of(candidate.server)}' "
            "is not added."
        )
    if candidate.server is not None:
        return f"Adds {models} and the model server to the current catalog."
    return (
        f"Adds {models} to the current catalog; a name that is already taken gets a "
        "suffix such as -2."
    )


def _accept(document: dict[str, Any], mode: str, name: str, tail: str) -> None:
    """Put the imported document into the catalog (the old one stays undoable)."""
    try:
        merged = merge_catalogs(state.document(), document, "add" if mode == "add" else "replace")
    except InputError as exc:
        st.session_state[_DONE_KEY] = {"revision": state.revision(), "error": str(exc)}
        return
    label = f"import {name}"[:80]
    state.replace(merged.document, label, as_new=mode == "new", pristine=False)
    if mode == "add":
        added = plural(len(document.get("models") or []), "model")
        lines = [f"Added {added} from {name} to the catalog. {tail}"]
    elif mode == "new":
        lines = [f"Opened {_what(document)} from {name} as a new catalog. {tail}"]
    else:
        lines = [f"Replaced the catalog with {_what(document)} from {name}. {tail}"]
    lines += [f"Renamed '{old}' to '{new}': the name was taken." for old, new in merged.renamed]
    lines += [note[:1].upper() + note[1:] + "." for note in merged.notes]
    st.session_state[_DONE_KEY] = {"revision": state.revision(), "lines": lines}
    _clear_inputs()


def _what(document: dict[str, Any]) -> str:
    parts = []
    server = document.get("modelServer")
    if isinstance(server, dict):
        parts.append(f"the model server '{_name_of(server)}'")
    models = document.get("models")
    if isinstance(models, list) and len(models) == 1:
        parts.append(f"the model '{_name_of(models[0])}'")
    elif isinstance(models, list) and models:
        parts.append(plural(len(models), "model"))
    return " and ".join(parts) or "an empty catalog"


def _clear_inputs() -> None:
    st.session_state[_NONCE_KEY] = int(st.session_state.get(_NONCE_KEY, 0)) + 1
    st.session_state[TEXT_KEY] = ""
    st.session_state.pop(_MEMO_KEY, None)
    st.session_state.pop(SERVER_KEY, None)


def _undo() -> None:
    state.undo()
    st.session_state[_DONE_KEY] = {"revision": state.revision(), "undone": True}


# --- drawing -----------------------------------------------------------------------


def _done_notice() -> bool:
    """The outcome of the last accept or undo, while the catalog is as it left it."""
    done = st.session_state.get(_DONE_KEY)
    if not done or done.get("revision") != state.revision():
        st.session_state.pop(_DONE_KEY, None)
        return False
    if done.get("error"):
        st.error(escape_markdown(done["error"]), icon=":material/error:")
        return False
    if done.get("undone"):
        st.info("The import was undone: the catalog is back as it was.", icon=":material/undo:")
        return True
    with st.container(border=True, key="import-done"):
        st.success(
            "  \n".join(escape_markdown(line) for line in done["lines"]),
            icon=":material/check_circle:",
        )
        with st.container(horizontal=True, vertical_alignment="center"):
            st.page_link(
                AUTHOR_PAGE, label="Open it on the Author page", icon=":material/edit_note:"
            )
            st.page_link(EXPORT_PAGE, label="Export it", icon=":material/download:")
            if state.can_undo():
                st.button(
                    "Undo the import",
                    key=UNDO_KEY,
                    icon=":material/undo:",
                    on_click=_undo,
                    help="Put back the catalog you had before this import.",
                )
    return True


def _inputs() -> tuple[bytes | str, str] | None:
    st.radio(
        "What are you importing?",
        list(SOURCES),
        format_func=SOURCES.__getitem__,
        key=SOURCE_KEY,
        horizontal=True,
        help="Leave it on 'Detect automatically' unless the detection gets it wrong.",
    )
    upload_column, paste_column = st.columns(2, gap="large")
    with upload_column:
        uploaded = st.file_uploader(
            "Upload a file",
            key=f"import.file.{st.session_state.get(_NONCE_KEY, 0)}",
            max_upload_size=UPLOAD_ACCEPT_MB,
        )
        # The uploader would say "20MB per file": the caption says the limit that counts.
        st.html(_HIDE_UPLOADER_LIMIT)
        st.caption(f"JSON, YAML or Markdown, up to {MAX_UPLOAD_MB} MB.")
    with paste_column:
        text = st.text_area(
            "... or paste its text",
            key=TEXT_KEY,
            height=150,
            placeholder="A model catalog, a catalog-info.yaml or a README.md with front matter",
        )
    if uploaded is not None:
        if text.strip():
            st.caption("Using the uploaded file; remove it to use the pasted text instead.")
        return uploaded.getvalue(), uploaded.name
    if text.strip():
        return text, PASTED
    return None


def _candidate(
    data: bytes | str, name: str, source: str, card: CardOptions, server: str | None
) -> Candidate:
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    key = (hashlib.sha256(raw).hexdigest(), name, source, card, server)
    memo = st.session_state.get(_MEMO_KEY)
    if memo is None or memo[0] != key:
        try:
            memo = (key, read_import(data, name, source, card, server))
        except InputError as exc:
            memo = (key, exc)
        st.session_state[_MEMO_KEY] = memo
    if isinstance(memo[1], InputError):
        raise memo[1]
    result: Candidate = memo[1]
    return result


def _server_choice(candidate: Candidate) -> None:
    """Several model servers in one file: each is its own catalog, the person picks one."""
    labels = list(candidate.servers)
    chosen = candidate.server["name"] if candidate.server is not None else labels[-1]
    if st.session_state.get(SERVER_KEY) not in labels:
        st.session_state[SERVER_KEY] = chosen
    with st.container(border=True):
        st.radio(
            f"This file holds {len(labels)} model servers, each a catalog with its own "
            "models. Which one do you import?",
            labels,
            key=SERVER_KEY,
            format_func=lambda label: f"{label} ({plural(candidate.servers[label], 'model')})",
            help="Models go with the server the file's relations name (dependsOn, "
            "dependencyOf). Import the others the same way, one at a time.",
        )


def _card_inputs() -> None:
    with st.container(border=True):
        st.markdown(
            "**A model card names no Backstage owner.** Give one here, or change it later "
            "on the Author page."
        )
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Owner",
                key=OWNER_KEY,
                placeholder="guest",
                help="A Backstage user or group, e.g. group:ai-platform or jdoe.",
            )
        with right:
            st.text_input(
                "Hugging Face repo id (optional)",
                key=REPO_KEY,
                placeholder="org/model-name",
                help="Names the model (before the card's own names) and gives it its "
                "artifact link, https://huggingface.co/<repo id>.",
            )


def _lines(items: list[str]) -> str:
    shown = [f"- {escape_markdown(item)}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        shown.append(f"- ... and {len(items) - LIST_LIMIT} more")
    return "\n".join(shown)


def _summary_rows(candidate: Candidate) -> list[dict[str, str]]:
    rows = []
    items: list[tuple[str, Any]] = []
    if candidate.server is not None:
        items.append(("Model server", candidate.server))
    items += [("Model", m) for m in candidate.models]
    for what, item in items:
        item = item if isinstance(item, dict) else {}
        description = str(item.get("description", "") or "")
        rows.append(
            {
                "What": what,
                "Name": str(item.get("name", "") or ""),
                "Owner": str(item.get("owner", "") or ""),
                "Lifecycle": str(item.get("lifecycle", "") or ""),
                "Description": description if len(description) <= 120 else description[:119] + "…",
            }
        )
    return rows


def _preview(candidate: Candidate) -> None:
    how = "detected automatically" if candidate.detected else "as you chose"
    st.subheader("What will be imported", anchor=False)
    st.markdown(
        f"From **{escape_markdown(candidate.name)}**, read as "
        f"{escape_markdown(SOURCE_NOUNS[candidate.source])} ({how}). "
        "Nothing has changed yet: check it, then choose below."
    )
    report = candidate.report
    cols = st.columns(4)
    cols[0].metric("Model server", "1" if candidate.server is not None else "none")
    cols[1].metric("Models", len(candidate.models))
    cols[2].metric("Left out", len(candidate.left_out))
    cols[3].metric("Errors to fix", len(report.errors))
    rows = _summary_rows(candidate)
    if rows:
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            key="import.summary",
            column_config={
                "What": st.column_config.TextColumn(width=110),
                "Name": st.column_config.TextColumn(width="medium"),
                "Owner": st.column_config.TextColumn(width="medium"),
                "Lifecycle": st.column_config.TextColumn(width=110),
            },
        )
    if report.ok:
        message = "It is a valid model catalog: it can be exported as it is"
        if report.warnings:
            message += f" (with {plural(len(report.warnings), 'warning')})"
        st.success(message + ".", icon=":material/check_circle:")
    else:
        st.warning(
            f"After the import, {plural(len(report.errors), 'error')} must be fixed before "
            "export. The Author page shows each one under its field, most with a one-click "
            "fix.",
            icon=":material/warning:",
        )
    issues = report.errors + report.warnings
    if issues:
        with st.expander(f"Validation: {plural(len(issues), 'issue')}", expanded=not report.ok):
            for issue in issues[:LIST_LIMIT]:
                where = describe_path(issue.path, candidate.document) if issue.path else ""
                st.markdown(issue_markdown(issue, where=where))
            if len(issues) > LIST_LIMIT:
                st.caption(f"... and {len(issues) - LIST_LIMIT} more.")
    imported_column, left_out_column = st.columns(2, gap="large")
    with imported_column, st.expander(f"Imported ({len(candidate.imported)})", expanded=True):
        st.markdown(_lines(candidate.imported) or "Nothing.")
    with left_out_column, st.expander(f"Left out ({len(candidate.left_out)})", expanded=True):
        if candidate.left_out:
            st.caption("These have no place in a model catalog and will not be exported:")
            st.markdown(_lines(candidate.left_out))
        else:
            st.markdown("Nothing: everything in the file has a place in the catalog.")
    if candidate.warnings:
        with st.expander(f"Notes ({len(candidate.warnings)})", expanded=True):
            st.markdown(_lines(candidate.warnings))


def _choices(candidate: Candidate) -> None:
    current = state.document()
    st.subheader("Accept it", anchor=False)
    if _is_empty(current):
        st.markdown("Your current catalog is empty.")
    else:
        server = current.get("modelServer")
        models = current.get("models") if isinstance(current.get("models"), list) else []
        parts = []
        if isinstance(server, dict) and server:
            parts.append(f"the model server **{escape_markdown(_name_of(server))}**")
        parts.append(f"{plural(len(models or []), 'model')}")
        st.markdown(f"Your current catalog has {' and '.join(parts)}.")
    tail = _tail(candidate)
    # With a catalog open, the least destructive choice leads: a new catalog of its own.
    open_one = state.session().needs_choice()
    if open_one:
        new_column, replace_column, add_column = st.columns(3, gap="large")
        with new_column:
            st.button(
                "Open as a new catalog",
                key=NEW_KEY,
                type="primary",
                icon=":material/note_add:",
                on_click=_accept,
                args=(candidate.document, "new", candidate.name, tail),
            )
            st.caption("The open catalog stays as it is in the Library.")
    else:
        replace_column, add_column = st.columns(2, gap="large")
    with replace_column:
        st.button(
            "Replace the current catalog",
            key=REPLACE_KEY,
            type="secondary" if open_one else "primary",
            icon=":material/swap_horiz:",
            on_click=_accept,
            # With nothing open, replacing is opening it as a new catalog anyway.
            args=(candidate.document, "replace", candidate.name, tail),
        )
        st.caption("The catalog becomes exactly what you see above. You can undo this right after.")
    with add_column:
        can_add = bool(candidate.models) and not _is_empty(current)
        st.button(
            "Add these models to it",
            key=ADD_KEY,
            icon=":material/playlist_add:",
            on_click=_accept,
            args=(candidate.document, "add", candidate.name, tail),
            disabled=not can_add,
        )
        if not candidate.models:
            st.caption("There are no models to add: this file holds only a model server.")
        elif _is_empty(current):
            st.caption("The current catalog is empty: use Replace.")
        else:
            st.caption(escape_markdown(add_note(current, candidate)))


def _tail(candidate: Candidate) -> str:
    if candidate.report.ok:
        return "It is ready to export."
    return f"It has {plural(len(candidate.report.errors), 'error')} to fix on the Author page."


def render() -> None:
    """Draw the Import page."""
    st.title("Import a catalog", anchor=False)
    st.caption(
        "Start from what you already have: a model catalog, a Backstage catalog-info.yaml "
        "or a Hugging Face model card. You see what it brings before anything changes."
    )
    done = _done_notice()
    given = _inputs()
    if given is None and not done:
        st.info(
            "Upload a file or paste its text. Your current catalog stays as it is until you "
            "accept the import.",
            icon=":material/info:",
        )
        return
    if given is None:
        return
    data, name = given
    try:
        card = CardOptions(
            str(st.session_state.get(OWNER_KEY) or ""), str(st.session_state.get(REPO_KEY) or "")
        )
        server = st.session_state.get(SERVER_KEY)
        candidate = _candidate(data, name, st.session_state.get(SOURCE_KEY, AUTO), card, server)
    except InputError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        return
    if candidate.servers:
        _server_choice(candidate)
    if candidate.source == MODEL_CARD:
        _card_inputs()
    _preview(candidate)
    _choices(candidate)
