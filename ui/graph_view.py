"""The Graph page's parts: what can be drawn of a catalog, the controls, the chart, the downloads.

Drawing never needs a valid catalog.  :func:`drawing_for` validates the document and, when
errors block the export, still draws what it can: a model or server that does not fit the
schema is repaired where that is harmless (a missing text becomes empty, a value of the
wrong type is left out) or else left out of the picture with a note.  A broken reference
then shows as graph.py draws it: a red dashed "not in catalog" node.

Reusable outside the page: :func:`show_graph` draws DOT text as a zoomable chart
(``ui.graph_zoom``) with the legend beside it and the downloads below (the Library page
feeds it ``library_to_dot``); a click on a folded group opens it (``<key>.expanded``).
:func:`draw_entities` does the same for a list of entities, and :func:`render_image`
renders SVG/PNG once per DOT text.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import streamlit as st
from pydantic import BaseModel, ValidationError

from catalog import checks
from catalog.convert import ConvertOptions, Layout, entity_name, to_entities
from catalog.errors import CatalogError
from catalog.graph import (
    MAX_DOT_BYTES,
    GraphError,
    GraphOptions,
    GroupBy,
    ImageFormat,
    count_models,
    dot_available,
    fold_group,
    render,
    safe_svg,
    to_dot,
)
from catalog.issues import Issue
from catalog.schema import Model, ModelCatalog, ModelServer
from catalog.validate import Report, validate
from ui import state
from ui.graph_zoom import zoomable_svg
from ui.text import escape_markdown, humanize, plural

KEY = "graph"
AUTHOR_PAGE = "pages/author.py"
CACHE_KEY = "_graph.drawing"
FOLD_THRESHOLD = 30
LAYOUTS: dict[str, str] = {"classic": "Classic", "ai-model-server": "AI model server"}
DIRECTIONS: dict[str, str] = {"LR": "Left to right", "TB": "Top to bottom"}
MIME = {"dot": "text/vnd.graphviz", "svg": "image/svg+xml", "png": "image/png"}
_COMMON = (
    "- :gray[**+ N more models**]: folded; click it to show them\n"
    "- :red[**⚠ N errors**] (red border): fix them on the Author page\n"
    "- :red[**red dashed box**]: not in the catalog, a broken reference\n"
)
LEGENDS: dict[str, str] = {
    "classic": "**How to read it**\n\n"
    "- :blue[**blue box**]: the model server (a Component)\n"
    "- :orange[**orange hexagon**]: the API it provides\n"
    "- :green[**green cylinders**]: its models (Resources), in one dashed box per owner, "
    "lifecycle or tag\n"
    "- :violet[**pink**]: owners\n" + _COMMON + "\n**Arrows**: :blue[blue] *depends on* · "
    ":orange[orange] *provides API* · :violet[dashed pink] *owned by* · dotted: the "
    "inverse relations. An arrow to a dashed box goes to every model in it.",
    "ai-model-server": "**How to read it**\n\n"
    "- :blue[**blue box**]: the AI model server entity\n"
    "- :green[**green cylinders**]: the models it serves; the double border and thick "
    "arrow mark the default model\n"
    "- :violet[**pink**]: owners\n" + _COMMON + "\n**Arrows**: :green[green] *serves* · "
    ":violet[dashed pink] *owned by*. An arrow to a dashed box goes to every model in it.",
}
LEGEND = LEGENDS["classic"]
_REPAIR_ROUNDS = 4
INLINE_ERRORS, MAX_LISTED = 3, 50  # errors listed as they are / at most, in an expander
# Chart sizing (CSS px): see chart_height.
MAX_ZOOM, TARGET_WIDTH, SCREEN_HEIGHT = 1.4, 1000.0, 760.0
MIN_HEIGHT, MAX_HEIGHT = 160, 8000
# The zoomable chart (CSS px): its width at a 1400 px wide window, its height limits.
VIEW_WIDTH, MIN_VIEW, MAX_VIEW = 760.0, 220, 600
GROUPINGS: dict[str, str] = {
    "owner": "Owner",
    "lifecycle": "Lifecycle",
    "tag": "Tag",
    "none": "None",
}
_SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"')
_FILE_STEM = re.compile(r"[^A-Za-z0-9_.-]+")
_Schema = TypeVar("_Schema", bound=BaseModel)


# -- what can be drawn --------------------------------------------------------------------


@dataclass
class Drawing:
    """The entities to draw for one document and layout, and why anything is missing."""

    report: Report
    catalog: ModelCatalog | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing to draw at all."""
        return not self.entities


def drawing_for(document: Any, layout: Layout = "classic") -> Drawing:
    """Validate ``document`` and return what can be drawn of it in ``layout``."""
    options = ConvertOptions(layout=layout)
    report = validate(document, options)
    if report.entities:
        return Drawing(report, report.catalog, list(report.entities))
    drawing = Drawing(report)
    if not isinstance(document, dict):
        return drawing
    catalog = report.catalog
    if catalog is None:
        catalog, drawing.notes = _salvage(checks.without_api_type_typo(document))
    drawing.catalog = catalog
    if catalog is None or (catalog.modelServer is None and not catalog.models):
        return drawing
    try:
        entities = to_entities(catalog, options)
    except CatalogError:  # the layout cannot show this catalog: the report says why
        return drawing
    for entity in entities:
        if not str(entity["metadata"].get("name") or "").strip():
            drawing.notes.append(f"A {entity['kind']} without a name is not drawn.")
            continue
        drawing.entities.append(_without_blank_refs(entity))
    return drawing


def _without_blank_refs(entity: dict[str, Any]) -> dict[str, Any]:
    """Drop references to a blank name (``user:``, ``resource:``): a name not typed yet."""
    spec = entity["spec"]
    if str(spec.get("owner", "")).endswith(":"):
        del spec["owner"]
    for key in ("dependsOn", "dependencyOf", "providesApis"):
        if isinstance(spec.get(key), list):
            spec[key] = [r for r in spec[key] if not str(r).endswith((":", "/"))]
    return entity


def _salvage(document: dict[str, Any]) -> tuple[ModelCatalog | None, list[str]]:
    """The parts of a document that fit the schema (after small repairs), with notes."""
    notes: list[str] = []
    server = None
    raw_server = document.get("modelServer")
    if raw_server is not None:
        server = _repaired(raw_server, ModelServer)
        if server is None:
            notes.append("The model server is not drawn until its errors are fixed.")
    models: list[Model] = []
    raw_models = document.get("models")
    for index, raw in enumerate(raw_models if isinstance(raw_models, list) else []):
        model = _repaired(raw, Model)
        if model is None:
            name = raw.get("name") if isinstance(raw, dict) else None
            label = f"Model {index + 1}" + (f" ({name})" if isinstance(name, str) and name else "")
            notes.append(f"{label} is not drawn until its errors are fixed.")
        else:
            models.append(model)
    if server is None and not models:
        return None, notes
    return ModelCatalog(modelServer=server, models=models), notes


def _repaired(data: Any, model: type[_Schema]) -> _Schema | None:
    """``data`` as ``model``: a missing text becomes empty, a wrong value is left out."""
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    for _ in range(_REPAIR_ROUNDS):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        # Deepest and last first, so removing a list item does not shift the next one.
        for error in sorted(errors, key=lambda e: _sort_key(e["loc"]), reverse=True):
            _repair_at(data, tuple(error["loc"]), error["type"] == "missing")
    return None


def _sort_key(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    return tuple(f"{p:08d}" if isinstance(p, int) else str(p) for p in loc)


def _repair_at(data: Any, loc: tuple[int | str, ...], missing: bool) -> None:
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = loc[-1] if loc else None
    if missing and isinstance(parent, dict):
        parent[last] = ""
    elif isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        del parent[last]


def problems_of(report: Report, document: Any) -> tuple[tuple[str, int], ...]:
    """Error counts by entity name, for the models and the server that have errors.

    The graph marks those nodes, as the Author page badges them.
    """
    if not isinstance(document, dict):
        return ()
    counts: dict[str, int] = {}
    models = document.get("models") if isinstance(document.get("models"), list) else []
    server = document.get("modelServer")
    for issue in report.errors:
        parts = issue.path.split(".")
        item: Any = None
        if parts[0] == "models" and len(parts) > 1 and parts[1].isdigit():
            index = int(parts[1])
            item = models[index] if index < len(models) else None
        elif parts[0] == "modelServer":
            item = server
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and entity_name(name):
            counts[entity_name(name)] = counts.get(entity_name(name), 0) + 1
    return tuple(counts.items())


def renamed(documents: Sequence[Any]) -> list[tuple[str, str]]:
    """(name as typed, entity name) for every server or model whose name loses whitespace."""
    found: dict[tuple[str, str], None] = {}
    for document in documents:
        if not isinstance(document, dict):
            continue
        models = document.get("models") if isinstance(document.get("models"), list) else []
        for item in [document.get("modelServer"), *models]:
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name.strip() and entity_name(name) != name.strip():
                found.setdefault((name.strip(), entity_name(name)), None)
    return list(found)


def renamed_note(documents: Sequence[Any]) -> None:
    """Say which names the graph shows differently, in the Author page's words."""
    pairs = renamed(documents)
    if not pairs:
        return
    shown = ", ".join(
        f"“{escape_markdown(typed)}” as “{escape_markdown(name)}”" for typed, name in pairs[:5]
    )
    more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
    st.caption(
        f":material/info: Whitespace is removed from names, as the Author page warns: the "
        f"entity names are what the graph shows ({shown}{more})."
    )


def summary(catalog: ModelCatalog | None) -> str:
    """One plain-language sentence (escaped markdown): who serves what, through what, owned by."""
    if catalog is None:
        return ""
    models = [entity_name(m.name) for m in catalog.models if entity_name(m.name)]
    shown = ", ".join(models[:5]) + (f" and {len(models) - 5} more" if len(models) > 5 else "")
    what = plural(len(models), "model")
    server = catalog.modelServer
    owners = _owners(catalog)
    if server is None:
        text = f"{what} ({escape_markdown(shown)}), with no model server." if models else ""
    else:
        name = escape_markdown(entity_name(server.name) or "The unnamed server")
        text = f"**{name}** serves **{what}**"
        text += f" ({escape_markdown(shown)})" if models else ""
        if server.API is not None:
            text += f" through its **{escape_markdown(str(server.API.type))}** API"
        else:
            text += ", with no API given"
        text += "."
    if owners:
        who = ", ".join(escape_markdown(o) for o in owners)
        text += f" {'Owner' if len(owners) == 1 else 'Owners'}: {who}."
    return text.strip()


def _owners(catalog: ModelCatalog) -> list[str]:
    items = [catalog.modelServer, *catalog.models] if catalog.modelServer else catalog.models
    found: dict[str, None] = {}
    for item in items:
        if item is not None and item.owner.strip():
            found.setdefault(item.owner.strip(), None)
    return list(found)


# -- rendering pictures -------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def render_image(dot_source: str, fmt: ImageFormat) -> bytes:
    """``render(dot_source, fmt)``, run once per DOT text and format (process-wide, bounded).

    Shared by every session and by the download callables Streamlit runs in its own
    threads; a failure is not cached, so the next click tries again.
    """
    return render(dot_source, fmt)


def image_problem(dot_source: str) -> str | None:
    """Why SVG/PNG cannot be offered for ``dot_source`` (None when they can)."""
    if not dot_available():
        return (
            "SVG and PNG need the Graphviz `dot` program, which is not installed where this "
            "app runs. Download the DOT file instead: any Graphviz viewer opens it, or "
            "install Graphviz (e.g. `apt-get install graphviz`)."
        )
    if len(dot_source.encode("utf-8")) > MAX_DOT_BYTES:
        return "This graph is too large to render as SVG or PNG; download the DOT file instead."
    return None


def chart_height(dot_source: str) -> int | None:
    """A chart height (px) that shows the laid-out graph a little larger than life.

    A full-width chart keeps the graph's aspect ratio, so a small graph would be blown
    up to giant boxes and a tall one squeezed.  The height comes from Graphviz's own
    layout (the SVG a download would get, so it is cached), zoomed at most ``MAX_ZOOM``
    (and only while it fits ``SCREEN_HEIGHT``), never wider than ``TARGET_WIDTH``.
    None when ``dot`` cannot say.
    """
    if image_problem(dot_source) is not None:
        return None
    try:
        head = render_image(dot_source, "svg")[:2048].decode("utf-8", "replace")
    except GraphError:
        return None
    found = _SVG_SIZE.search(head)
    if found is None:
        return None
    width, height = (float(v) * 4 / 3 for v in found.groups())  # pt -> CSS px
    # Zoom in only while the result still fits a screen; never wider than the page.
    zoom = min(MAX_ZOOM, max(1.0, SCREEN_HEIGHT / max(height, 1.0)))
    zoom = min(zoom, TARGET_WIDTH / width) if width > 0 else zoom
    return int(min(MAX_HEIGHT, max(MIN_HEIGHT, height * zoom + 16)))


# -- Streamlit ----------------------------------------------------------------------------


def file_stem(name: str | None, fallback: str = "catalog") -> str:
    """A safe file name stem from user text (``My server/1`` -> ``My-server-1``)."""
    stem = _FILE_STEM.sub("-", name or "").strip("-.")[:60]
    return stem or fallback


def show_graph(
    dot_source: str,
    *,
    key: str = KEY,
    name: str = "catalog-graph",
    alt: str | None = None,
    caption: str | None = LEGEND,
) -> None:
    """Draw ``dot_source`` zoomable with the legend beside it, then the downloads.

    Without ``dot`` (or for a graph too large to render) the browser draws the DOT
    itself with ``st.graphviz_chart``, without zoom.
    """
    st.session_state[f"{key}.dot"] = dot_source  # what the chart shows, for the tests too
    svg = _page_svg(dot_source)
    chart, legend = st.columns([5, 1.3], gap="small") if caption else (st.container(), None)
    with chart:
        if svg is None:
            height = chart_height(dot_source)
            st.graphviz_chart(dot_source, width="stretch", height=height or "content", alt=alt)
        else:
            zoomable_svg(
                svg,
                key=f"{key}.chart",
                label=alt or "Relationship graph",
                height=view_height(svg),
                on_expand=lambda: _expand_clicked(key),
            )
            st.caption(
                "Zoom with the + and − buttons, Ctrl+scroll or a double click; drag to "
                "move; **Fit** shows it all again. Click a “more models” box to show its "
                "models."
            )
            opened = len(expanded_groups(key))
            if opened:
                st.button(
                    f"Fold the {plural(opened, 'opened group')} again",
                    key=f"{key}.refold",
                    icon=":material/unfold_less:",
                    on_click=lambda: st.session_state.pop(f"{key}.expanded", None),
                )
    if legend is not None and caption:
        legend.caption(caption)
    downloads(dot_source, key=key, name=name)


def _page_svg(dot_source: str) -> str | None:
    """The SVG to show on the page (sanitised), or None when ``dot`` cannot draw it."""
    if image_problem(dot_source) is not None:
        return None
    try:
        return _sanitised(dot_source)
    except GraphError:
        return None


@functools.lru_cache(maxsize=16)
def _sanitised(dot_source: str) -> str:
    """``safe_svg`` of the rendered SVG, once per DOT text (reruns redraw the same)."""
    return safe_svg(render_image(dot_source, "svg"))


def view_height(svg: str) -> int:
    """The chart's height (px): the picture at life size, fitted to ``VIEW_WIDTH`` wide,
    between ``MIN_VIEW`` and ``MAX_VIEW`` (zoom shows the rest)."""
    found = _SVG_SIZE.search(svg[:2048])
    if found is None:
        return MAX_VIEW
    width, height = (float(v) * 4 / 3 for v in found.groups())  # pt -> CSS px
    scale = min(1.0, VIEW_WIDTH / max(width, 1.0))
    return int(min(MAX_VIEW, max(MIN_VIEW, height * scale + 8)))


def expanded_groups(key: str = KEY) -> frozenset[str]:
    """The folded groups the user opened by clicking their "more models" node."""
    return frozenset(st.session_state.get(f"{key}.expanded", ()))


def _expand_clicked(key: str) -> None:
    """A fold node was clicked: remember its group as expanded (runs before the rerun)."""
    result = st.session_state.get(f"{key}.chart")
    clicked = getattr(result, "expand", None)
    if clicked is None and isinstance(result, dict):
        clicked = result.get("expand")
    token = fold_group(clicked) if isinstance(clicked, str) else None
    if token is not None:
        st.session_state[f"{key}.expanded"] = sorted(expanded_groups(key) | {token})


def downloads(dot_source: str, *, key: str = KEY, name: str = "catalog-graph") -> None:
    """Download buttons: DOT always, SVG and PNG rendered by ``dot`` only when clicked."""
    problem = image_problem(dot_source)
    columns = st.columns([1, 1, 1, 3], vertical_alignment="center")
    columns[0].download_button(
        "Download DOT",
        dot_source.encode("utf-8"),
        file_name=f"{name}.dot",
        mime=MIME["dot"],
        key=f"{key}.download.dot",
        on_click="ignore",
        icon=":material/download:",
        help="The graph as Graphviz DOT text",
        width="stretch",
    )
    for column, fmt in zip(columns[1:3], ("svg", "png"), strict=True):
        image_format = cast(ImageFormat, fmt)
        column.download_button(
            f"Download {fmt.upper()}",
            _deferred(dot_source, image_format),
            file_name=f"{name}.{fmt}",
            mime=MIME[fmt],
            key=f"{key}.download.{fmt}",
            on_click="ignore",
            icon=":material/image:",
            disabled=problem is not None,
            help=problem or f"The picture as {fmt.upper()}, drawn by Graphviz",
            width="stretch",
        )
    if problem:
        columns[3].info(problem, icon=":material/info:")


def _deferred(dot_source: str, fmt: ImageFormat) -> Callable[[], bytes]:
    """A download callable: Streamlit runs it only when the button is clicked."""
    return lambda: render_image(dot_source, fmt)


def draw_entities(
    entities: Sequence[dict[str, Any]],
    options: GraphOptions | None = None,
    *,
    key: str = KEY,
    name: str = "catalog-graph",
    caption: str | None = LEGEND,
) -> str:
    """Draw ``entities`` with ``options`` and offer the downloads; return the DOT text."""
    dot_source = to_dot(entities, options)
    show_graph(dot_source, key=key, name=name, alt=alt_text(entities), caption=caption)
    return dot_source


def alt_text(entities: Sequence[dict[str, Any]]) -> str:
    """A one-line description of the picture for screen readers."""
    kinds: dict[str, int] = {}
    for entity in entities:
        kinds[str(entity.get("kind"))] = kinds.get(str(entity.get("kind")), 0) + 1
    counted = ", ".join(plural(n, kind) for kind, n in kinds.items())
    return f"Relationship graph of the catalog: {counted or 'nothing'}."


@dataclass(frozen=True)
class Choices:
    """What the controls chose: the entity layout and how to draw it."""

    layout: Layout
    options: GraphOptions


def controls(
    model_count: Callable[[Layout], int],
    *,
    key: str = KEY,
    with_layout: bool = True,
    follow: Layout = "classic",
) -> Choices:
    """The compact row of graph controls, keyed ``<key>.direction`` / ``.layout`` / ...

    ``model_count(layout)`` says how many models the graph would draw: the "show all"
    toggle appears only when some are folded.  The entity layout starts at ``follow``
    (the layout chosen for export) and goes back to it whenever that changes; a layout
    picked here only changes the drawing.
    """
    keep: dict[str, Any] = {"persist_state": "session"}  # survives a visit to another page
    followed, layout_key = f"{key}.layout_follows", f"{key}.layout"
    if with_layout and (
        layout_key not in st.session_state or st.session_state.get(followed) != follow
    ):
        st.session_state[layout_key] = follow
    st.session_state[followed] = follow
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium", key=key)
    direction = row.segmented_control(
        "Direction",
        list(DIRECTIONS),
        format_func=DIRECTIONS.__getitem__,
        default="LR",
        required=True,
        key=f"{key}.direction",
        **keep,
    )
    layout: Layout = "classic"
    if with_layout:
        layout = row.segmented_control(
            "Entity layout",
            list(LAYOUTS),
            format_func=LAYOUTS.__getitem__,
            required=True,
            key=layout_key,
            help="**Classic**: a Component for the server, an API, and a Resource per "
            "model. **AI model server**: one entity that lists its models, as Red Hat "
            "Developer Hub reads it. Starts at the layout chosen for export; a change "
            "here only changes the drawing.",
            **keep,
        )
    owners = row.toggle(
        "Owners", value=True, key=f"{key}.owners", help="Draw who owns each entity", **keep
    )
    inverse = row.toggle(
        "Inverse relations",
        key=f"{key}.inverse",
        help="Also draw the relations Backstage adds the other way round "
        "(dependencyOf, apiProvidedBy), as dotted arrows",
        **keep,
    )
    group_by = row.segmented_control(
        "Group models by",
        list(GROUPINGS),
        format_func=GROUPINGS.__getitem__,
        default="owner",
        required=True,
        key=f"{key}.group",
        help="One box per owner, lifecycle or (first) tag, its models in a grid"
        if layout != "ai-model-server"
        else "The AI model server entity lists its models by name only, so they are "
        "drawn in one box per server",
        disabled=layout == "ai-model-server",
        **keep,
    )
    models = model_count(layout or "classic")
    expand = False
    if models > FOLD_THRESHOLD:
        expand = row.toggle(
            f"All {models} models",
            key=f"{key}.expand",
            help=f"Beyond {FOLD_THRESHOLD} models, each group shows a few and folds the "
            "rest into a '+ N more models' box (click one to open its group); switch on "
            "to draw every model",
            **keep,
        )
    options = GraphOptions(
        direction=direction or "LR",
        show_owners=owners,
        show_inverse=inverse,
        fold_threshold=FOLD_THRESHOLD,
        expand_all=expand,
        show_legend=False,  # the legend beside the chart explains shapes and arrows
        group_by=cast(GroupBy, group_by or "owner"),
        expanded=expanded_groups(key),
    )
    return Choices(layout or "classic", options)


def is_blank(document: Any) -> bool:
    """Nothing entered yet: no server and no models."""
    return not isinstance(document, dict) or (
        not document.get("modelServer") and not document.get("models")
    )


def model_count(layout: Layout) -> int:
    """How many models the working document's graph draws in ``layout``."""
    return count_models(current_drawing(layout).entities)


def current_drawing(layout: Layout) -> Drawing:
    """:func:`drawing_for` the working document, computed once per revision and layout."""
    token = (state.revision(), layout)
    cached = st.session_state.get(CACHE_KEY)
    if isinstance(cached, tuple) and cached[0] == token:
        drawing: Drawing = cached[1]
        return drawing
    drawing = drawing_for(state.document(), layout)
    st.session_state[CACHE_KEY] = (token, drawing)
    return drawing


def author_link(label: str = "Open the Author page") -> None:
    """A link to the Author page, where the catalog is edited and examples are loaded."""
    st.page_link(AUTHOR_PAGE, label=label, icon=":material/edit:")


def where(path: str) -> str:
    """Where an issue is, for people: ``models.1.name`` -> ``Model 2 › name``."""
    parts = path.split(".") if path else []
    words: list[str] = []
    for index, part in enumerate(parts):
        if part.isdigit() and index > 0 and parts[index - 1] == "models":
            words[-1] = f"Model {int(part) + 1}"
        elif part == "modelServer":
            words.append("Model server")
        else:
            word = humanize(part)
            words.append(word if index == 0 or word.isupper() else word[:1].lower() + word[1:])
    return " › ".join(words) or "Catalog"


def _issue_list(issues: Sequence[Issue]) -> str:
    """A markdown list of issues, user text escaped: ``- Model 2 › name: message``."""
    return "\n".join(
        f"- **{escape_markdown(where(i.path))}**: {escape_markdown(i.message)}" for i in issues
    )


def errors_notice(report: Report, notes: Sequence[str], *, drawn: bool = True) -> None:
    """Say that errors block the export, what is not drawn, and where to fix them."""
    errors: list[Issue] = report.errors
    if not errors and not notes:
        return
    with st.container(border=True, key=f"{KEY}.errors"):
        if errors:
            then = "The graph shows what can be drawn." if drawn else "Fix them to see a graph."
            count = plural(len(errors), "error")
            st.markdown(
                f":red[:material/error:] This catalog has **{count}**, so it cannot be "
                f"exported yet. {then}"
            )
        for note in notes:
            st.markdown(f":material/visibility_off: {escape_markdown(note)}")
        if 0 < len(errors) <= INLINE_ERRORS:
            st.markdown(_issue_list(errors))
        elif errors:
            with st.expander(f"Show the {plural(len(errors), 'error')}", expanded=False):
                st.markdown(_issue_list(errors[:MAX_LISTED]))
                if len(errors) > MAX_LISTED:
                    st.caption(f"… and {len(errors) - MAX_LISTED} more.")
        author_link()
