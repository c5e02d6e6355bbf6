"""Draw catalog entities as a relationship graph: Graphviz DOT text, and SVG/PNG via ``dot``.

``to_dot(entities)`` draws one node per entity, shaped and coloured by kind, with edges for
``dependsOn``, ``providesApi`` and (optionally) ``ownedBy`` and the inverse relations.
A reference to an entity that is not in the list becomes a dashed red node, so mistakes
show.  ``library_to_dot`` draws several catalogs at once, one cluster each.

Models are grouped (``GraphOptions.group_by``: owner by default, lifecycle, first tag, or
none): one dashed cluster per group, its models in a grid of rank sets sized to fit the
Graph page's chart, and an edge that reaches every model of a group drawn once, to the
cluster.  Beyond ``fold_threshold`` models each group keeps its share and folds the rest
into a "+ N more models" node whose tooltip names them; the one server and its API lead
the picture; models with validation errors (``problems``) are marked.

Node ids are entity references (``component:default/developer-model-service``), so the
``<title>`` of each SVG node names its entity.  Other node ids: ``model:<ns>/<name>`` for a
model listed by an ``ai-model-server`` entity, ``fold:group/<token>`` for a group's folded
models (:func:`fold_group` reads the token back), ``fold:<anchor>`` for folded ungrouped
models and ``legend:...`` for the legend.  User text is never markup: every label and
tooltip is plain text, escaped for DOT by the graphviz package.  ``render`` runs the
``dot`` program, and :func:`safe_svg` keeps only drawing from its SVG for a web page::

    GraphError (a CatalogError)
     +-- DotNotFoundError     the Graphviz ``dot`` program is not installed
     +-- RenderError          ``dot`` failed, timed out, or the graph is too large
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple
from xml.etree import ElementTree

import graphviz
from defusedxml import ElementTree as SafeElementTree
from graphviz import quoting

from catalog.errors import CatalogError

Entity = Mapping[str, Any]
Direction = Literal["LR", "TB"]
GroupBy = Literal["owner", "lifecycle", "tag", "none"]
GROUP_BY: tuple[str, ...] = ("owner", "lifecycle", "tag", "none")
ImageFormat = Literal["svg", "png"]
ExportFormat = Literal["dot", "svg", "png"]
EXPORT_FORMATS: tuple[str, ...] = ("dot", "svg", "png")

MAX_LABEL_CHARS = 40
MAX_TOOLTIP_CHARS = 300
MAX_DOT_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
INSTALL_HINT = "install Graphviz (e.g. `apt-get install graphviz`, `brew install graphviz`)"

# Okabe-Ito hues: told apart with colour-blindness.  Nodes are filled light with dark
# text, so labels read the same on a white or a dark page; lines and outside text use
# mid tones with at least 3:1 contrast against both white and #0e1117 (Streamlit dark).
_TEXT = "#1A1A1A"
_MUTED = "#8A8A8A"


def _look(shape: str, fill: str, line: str, style: str = "filled") -> dict[str, str]:
    return {"shape": shape, "style": style, "fillcolor": fill, "color": line}


_NODE_STYLES: dict[str, dict[str, str]] = {
    "component": _look("box", "#56B4E9", "#3A87D0", "rounded,filled"),
    "server": _look("box3d", "#56B4E9", "#3A87D0"),
    "resource": _look("cylinder", "#8FD0C0", "#009E73"),
    "model": _look("cylinder", "#8FD0C0", "#009E73"),
    "api": _look("hexagon", "#F2B950", "#C77C00"),
    "user": _look("ellipse", "#E7A9CC", "#B565A0"),
    "group": _look("tab", "#D99BC2", "#B565A0"),
    "other": _look("box", "#DDDDDD", _MUTED),
    "fold": _look("note", "#DDDDDD", _MUTED),
    "missing": {
        **_look("box", "#FDE0DC", "#E0352B", "dashed,filled"),
        "fontcolor": "#8B1A10",
        "penwidth": "2",
    },
}
_LEGEND_NODES = {
    "component": ("Component", "model-server"),
    "server": ("AI model server", "ai-model-server"),
    "resource": ("Resource", "ai-model"),
    "model": ("Model", "served by the server"),
    "api": ("API",),
    "user": ("User", "owner"),
    "group": ("Group", "owner"),
    "other": ("Other kind",),
    "fold": ("Folded models", "expand to show"),
    "missing": ("Not in catalog", "dangling reference"),
}
_DEPENDS, _PROVIDES, _SERVES, _OWNED = "dependsOn", "providesApi", "serves", "ownedBy"
_INVERSE = {_DEPENDS: "dependencyOf", _PROVIDES: "apiProvidedBy"}
_EDGE_STYLES: dict[str, dict[str, str]] = {
    _DEPENDS: {"color": "#3A87D0"},
    _PROVIDES: {"color": "#C77C00", "penwidth": "1.5"},
    _SERVES: {"color": "#009E73"},
    _OWNED: {"color": "#B565A0", "style": "dashed"},
    # Inverse edges repeat a forward one: dotted, and no say in the layout.
    "dependencyOf": {"color": "#3A87D0", "style": "dotted", "constraint": "false"},
    "apiProvidedBy": {"color": "#C77C00", "style": "dotted", "constraint": "false"},
}
_SAFE_ID = re.compile(r"[A-Za-z0-9_.~:/-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class GraphError(CatalogError):
    """The graph could not be drawn or rendered."""


class DotNotFoundError(GraphError):
    """The Graphviz ``dot`` program is not installed (or not on ``PATH``)."""


class RenderError(GraphError):
    """``dot`` failed, took too long, or the graph or picture is too large."""


@dataclass(frozen=True)
class GraphOptions:
    """What the graph shows: the Graph page's controls.

    ``group_by`` puts the models in one cluster per owner, lifecycle or first tag (or
    ``"none"``), laid out as a grid.  Beyond ``fold_threshold`` models in all, each
    group shows its share and folds the rest into one "N more models" node, unless
    ``expand_all`` or the group's token (see :func:`fold_group`) is in ``expanded``.
    ``problems`` maps a model's or server's entity name to its validation error count:
    those nodes are marked.
    """

    direction: Direction = "LR"
    show_owners: bool = False
    show_inverse: bool = False
    fold_threshold: int = 30
    expand_all: bool = False
    show_legend: bool = True
    group_by: GroupBy = "owner"
    expanded: frozenset[str] = frozenset()
    problems: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if self.direction not in ("LR", "TB"):
            raise ValueError(f"direction must be 'LR' or 'TB', not {self.direction!r}")
        if self.group_by not in GROUP_BY:
            choices = ", ".join(GROUP_BY)
            raise ValueError(f"group_by must be one of {choices}, not {self.group_by!r}")
        if self.fold_threshold < 0:
            raise ValueError("fold_threshold must be 0 or more")


class Ref(NamedTuple):
    """A parsed entity reference ``kind:namespace/name`` (kind lower-cased, as Backstage)."""

    kind: str
    namespace: str
    name: str

    @property
    def id(self) -> str:
        """The node id: the full reference, percent-encoded outside ``[A-Za-z0-9_.~:/-]``."""
        return _safe_id(f"{self.kind}:{self.namespace}/{self.name}")


def parse_ref(text: str, default_kind: str = "unknown", default_namespace: str = "default") -> Ref:
    """Parse ``[kind:][namespace/]name``; a missing kind becomes ``default_kind``."""
    kind, sep, rest = text.strip().partition(":")
    if not sep:
        kind, rest = default_kind, kind
    namespace, sep, name = rest.partition("/")
    if not sep:
        namespace, name = default_namespace, namespace
    return Ref(kind.lower() or default_kind, namespace or default_namespace, name)


def entity_ref(entity: Entity) -> Ref:
    """The reference naming ``entity`` (``ValueError`` without a kind or a name)."""
    meta = entity.get("metadata") or {}
    kind, name = entity.get("kind"), meta.get("name")
    if not isinstance(kind, str) or not kind or not isinstance(name, str) or not name:
        raise ValueError("an entity needs a kind and metadata.name")
    return Ref(kind.lower(), str(meta.get("namespace") or "default"), name)


def count_models(entities: Iterable[Entity]) -> int:
    """How many model nodes the entities draw (fold when above ``fold_threshold``)."""
    seen: set[str] = set()
    for entity in entities:
        spec = entity.get("spec") or {}
        if spec.get("type") == "ai-model":
            seen.add(entity_ref(entity).id.lower())
        elif spec.get("type") == "ai-model-server":
            ns = entity_ref(entity).namespace
            seen.update(_model_ref(ns, m).id.lower() for m in _available(spec))
    return len(seen)


def to_dot(entities: Iterable[Entity], options: GraphOptions | None = None) -> str:
    """Return DOT text drawing ``entities`` (duplicates by reference drawn once)."""
    return _draw([(None, list(entities))], options or GraphOptions())


def library_to_dot(
    catalogs: Mapping[str, Sequence[Entity]], options: GraphOptions | None = None
) -> str:
    """Return DOT text for several catalogs at once, each in a cluster titled by its key."""
    return _draw(
        [(name, list(group)) for name, group in catalogs.items()], options or GraphOptions()
    )


def dot_available() -> bool:
    """Whether the Graphviz ``dot`` program is on ``PATH``."""
    return shutil.which("dot") is not None


def render(dot_source: str, fmt: ImageFormat = "svg", *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Lay out ``dot_source`` with the ``dot`` program and return the SVG or PNG bytes.

    Only for DOT this module wrote: DOT can name local image files to embed.
    """
    if fmt not in ("svg", "png"):
        raise ValueError(f"fmt must be 'svg' or 'png', not {fmt!r}")
    data = dot_source.encode("utf-8")
    if len(data) > MAX_DOT_BYTES:
        raise RenderError(
            f"the graph is too large to render ({len(data) // 1024} KiB of DOT, limit "
            f"{MAX_DOT_BYTES // 1024} KiB); fold the models or download the DOT text"
        )
    exe = shutil.which("dot")
    if exe is None:
        raise DotNotFoundError(
            f"cannot render {fmt.upper()}: the Graphviz `dot` program was not found; "
            f"{INSTALL_HINT}, or download the DOT text instead"
        )
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}"], input=data, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz took longer than {timeout:g} s to lay out the graph; "
            "fold the models or download the DOT text"
        ) from None
    except OSError as exc:
        raise RenderError(f"could not run Graphviz `dot`: {exc.strerror or exc}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz `dot` failed: {lines[0] if lines else 'no message'}")
    if len(done.stdout) > MAX_IMAGE_BYTES:
        raise RenderError("the rendered picture is too large; fold the models or use SVG")
    return done.stdout


def export(
    entities: Iterable[Entity], fmt: ExportFormat = "dot", options: GraphOptions | None = None
) -> bytes:
    """The graph as a downloadable file: DOT text (UTF-8) or a rendered SVG/PNG."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    source = to_dot(entities, options)
    return source.encode("utf-8") if fmt == "dot" else render(source, fmt)


# -- building the scene -------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    id: str
    style: str
    lines: tuple[str, ...]
    tooltip: tuple[str, ...]  # lines
    cluster: int | None = None
    namespace: str = "default"
    external: bool = False  # owner or dangling target: drawn only when an edge reaches it
    is_model: bool = False
    default: bool = False
    name: str = ""
    is_server: bool = False
    group: str | None = None  # the group's token (models and fold nodes only)
    errors: int = 0


Edge = tuple[str, str, str]  # (tail id, relation, head id)


@dataclass(slots=True)
class _Group:
    """One cluster of models: its title and members, in order."""

    token: str
    title: str
    cluster: int | None
    members: list[_Node]
    hidden: list[str]  # names of the folded models


class _Scene:
    """Nodes and edges as plain data, before any DOT is written."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.by_key: dict[str, str] = {}  # lower-cased id -> id: references ignore case
        self.edges: dict[Edge, bool] = {}  # ordered set; value: drawn emphasised
        self.resolved: dict[tuple[str, str, bool], str] = {}  # the same refs recur a lot
        self.group_titles: dict[str, str] = {}  # token -> cluster title

    def add(self, node: _Node) -> bool:
        key = node.id.lower()
        if key in self.by_key:
            return False
        self.by_key[key] = node.id
        self.nodes[node.id] = node
        return True

    def target(self, text: Any, default_kind: str, owner: bool = False) -> str:
        """The node id for a reference, adding an owner or a dangling node if needed."""
        memo = (str(text), default_kind, owner)
        if memo not in self.resolved:
            self.resolved[memo] = self._resolve(str(text), default_kind, owner)
        return self.resolved[memo]

    def _resolve(self, text: str, default_kind: str, owner: bool) -> str:
        ref = parse_ref(text, default_kind)
        found = self.by_key.get(ref.id.lower())
        if found is not None:
            return found
        if owner:
            style = ref.kind if ref.kind in ("user", "group") else "other"
            lines: tuple[str, ...] = (ref.kind.capitalize(), ref.name)
            self.add(_Node(ref.id, style, lines, (f"{ref.kind}:{ref.namespace}/{ref.name}",)))
        else:
            tip = (text, "is referenced but is not in the catalog")
            self.add(_Node(ref.id, "missing", ("not in catalog", text), tip))
        self.nodes[self.by_key[ref.id.lower()]].external = True
        return self.by_key[ref.id.lower()]


def _draw(groups: list[tuple[str | None, list[Entity]]], options: GraphOptions) -> str:
    scene = _Scene()
    kept: list[tuple[_Node, Entity]] = []
    for index, (name, entities) in enumerate(groups):
        cluster = None if name is None else index
        for entity in entities:
            node = _entity_node(entity, cluster)
            if scene.add(node):
                kept.append((node, entity))
                if node.is_model and options.group_by != "none":
                    _assign_group(scene, node, *_group_of(entity, options.group_by))
    for node, entity in kept:
        _add_relations(scene, node, entity, options)
    _mark_problems(scene, options)
    folded = _fold(scene, options)
    return _emit(scene, [name for name, _ in groups], options, folded)


_STYLE_OF_KIND = {k: k for k in ("component", "resource", "api", "user", "group")}
_SERVER_TYPES = ("model-server", "ai-model-server")


def _entity_node(entity: Entity, cluster: int | None) -> _Node:
    kind, namespace, name = entity_ref(entity)
    meta, spec = entity["metadata"], entity.get("spec") or {}
    etype = spec.get("type")
    style = "server" if etype == "ai-model-server" else _STYLE_OF_KIND.get(kind, "other")
    lines = (entity["kind"], name, str(etype)) if etype else (entity["kind"], name)
    title = f"{kind}:{namespace}/{name}"
    description = meta.get("description")
    if description:
        tooltip: tuple[str, ...] = (title, _truncate(_plain(str(description)), MAX_TOOLTIP_CHARS))
    else:
        tooltip = (title,)
    node = _Node(
        _safe_id(title), style, lines, tooltip, cluster, namespace, False, etype == "ai-model"
    )
    node.name, node.is_server = name, etype in _SERVER_TYPES
    return node


def _group_of(entity: Entity, group_by: str) -> tuple[str, str]:
    """A model entity's group: (key, cluster title)."""
    spec, meta = entity.get("spec") or {}, entity.get("metadata") or {}
    if group_by == "owner":
        return _owner_group(str(spec.get("owner") or "").strip())
    if group_by == "lifecycle":
        lifecycle = str(spec.get("lifecycle") or "").strip()
        return lifecycle.lower(), f"Lifecycle: {lifecycle}" if lifecycle else "No lifecycle"
    tags = [str(t).strip() for t in meta.get("tags") or () if str(t).strip()]
    return (tags[0].lower(), f"Tag: {tags[0]}") if tags else ("", "No tags")


@functools.lru_cache(maxsize=1024)  # a catalog has few owners and many models
def _owner_group(owner: str) -> tuple[str, str]:
    if not owner:
        return "", "No owner"
    ref = parse_ref(owner, "group")
    ns = "" if ref.namespace == "default" else f"{ref.namespace}/"
    return f"{ref.kind}:{ns}{ref.name}".lower(), f"Owner: {ref.kind}:{ns}{ref.name}"


def _assign_group(scene: _Scene, node: _Node, key: str, title: str) -> None:
    token = f"{'' if node.cluster is None else node.cluster}|{key}"
    node.group = token
    scene.group_titles.setdefault(token, title)


def _add_relations(scene: _Scene, node: _Node, entity: Entity, options: GraphOptions) -> None:
    spec = entity.get("spec") or {}
    edges, target = scene.edges, scene.target
    # Most entities are models with none of these: test before building anything.
    if spec.get("dependsOn"):
        for ref in _strings(spec["dependsOn"]):
            edges[(node.id, _DEPENDS, target(ref, "unknown"))] = False
    if spec.get("dependencyOf"):
        for ref in _strings(spec["dependencyOf"]):
            edges[(target(ref, "unknown"), _DEPENDS, node.id)] = False
    if spec.get("providesApis"):
        for ref in _strings(spec["providesApis"]):
            edges[(node.id, _PROVIDES, target(ref, "api"))] = False
    if spec.get("type") == "ai-model-server":
        _add_served_models(scene, node, spec, options)
    # Grouped by owner, a model's cluster already names its owner.
    by_owner = node.is_model and options.group_by == "owner"
    if options.show_owners and spec.get("owner") and not by_owner:
        edges[(node.id, _OWNED, target(spec["owner"], "group", owner=True))] = False


def _add_served_models(
    scene: _Scene, node: _Node, spec: Mapping[str, Any], options: GraphOptions
) -> None:
    if spec.get("apiEntityRef"):
        scene.edges[(node.id, _PROVIDES, scene.target(spec["apiEntityRef"], "api"))] = False
    models = spec.get("models") or {}
    default = models.get("default") if isinstance(models, Mapping) else None
    server_name = node.lines[1]
    for name in _available(spec):
        model_id = _model_ref(node.namespace, name).id
        tip = (f"model {name}", f"served by {node.tooltip[0]}")
        if scene.add(_Node(model_id, "model", ("Model", name), tip, node.cluster, name=name)):
            model = scene.nodes[model_id]
            if options.group_by != "none":  # the server's entity says nothing per model
                _assign_group(scene, model, f"served-by:{node.id}", f"Served by {server_name}")
        model = scene.nodes[scene.by_key[model_id.lower()]]
        model.is_model = True
        if name == default:
            model.default = True
            model.lines = ("Model", name, "default")
        scene.edges[(node.id, _SERVES, model.id)] = name == default


def _mark_problems(scene: _Scene, options: GraphOptions) -> None:
    """Mark models and servers with validation errors, as the Author page badges them."""
    if not options.problems:
        return
    counts = {name.lower(): count for name, count in options.problems if count > 0}
    for node in scene.nodes.values():
        if (node.is_model or node.is_server) and node.name.lower() in counts:
            node.errors = counts[node.name.lower()]
            errors = f"{node.errors} error" + ("" if node.errors == 1 else "s")
            node.tooltip = (*node.tooltip, f"{errors}: fix them on the Author page")


_MIN_SHOWN = 3  # a group folds to no fewer models than this


def _fold(scene: _Scene, options: GraphOptions) -> dict[str, list[str]]:
    """Fold models beyond the threshold: one "N more models" node per group (or server).

    Returns the fold node ids and the names of the models each hides.
    """
    models = [n for n in scene.nodes.values() if n.is_model]
    if options.expand_all or len(models) <= options.fold_threshold:
        return {}
    if options.group_by == "none":
        folded, fold_of = _fold_by_server(scene, models[options.fold_threshold :])
    else:
        folded, fold_of = _fold_by_group(scene, models, options)
    if not folded:
        return {}
    members: dict[str, list[_Node]] = {}
    for model_id, model in folded.items():
        members.setdefault(fold_of[model_id], []).append(model)
        del scene.nodes[model_id]
    edges: dict[Edge, bool] = {}
    for (tail, relation, head), emphasis in scene.edges.items():
        if relation == _OWNED and tail in folded and options.group_by == "none":
            continue
        edge = (fold_of.get(tail, tail), relation, fold_of.get(head, head))
        if edge[0] != edge[2]:
            edges[edge] = edges.get(edge, False) or emphasis
    scene.edges = edges
    hidden: dict[str, list[str]] = {}
    for fold_id, group in members.items():
        names = hidden[fold_id] = [m.name or m.lines[1] for m in group]
        anchor = scene.nodes.get(fold_id.removeprefix("fold:"), group[0])
        more = [f"… and {len(names) - _TIP_NAMES} more"] if len(names) > _TIP_NAMES else []
        tooltip = (f"{len(names)} more models (click to show them):", *names[:_TIP_NAMES], *more)
        label = ("Folded", f"{len(names)} more models")
        if group[0].group is not None:
            label = (f"+ {len(names)} more models", "click to show")
        node = _Node(fold_id, "fold", label, tooltip, anchor.cluster, group=group[0].group)
        node.name = f"{len(names)} more models"
        scene.add(node)
    return hidden


_TIP_NAMES = 40


def _fold_by_server(
    scene: _Scene, folded_models: list[_Node]
) -> tuple[dict[str, _Node], dict[str, str]]:
    folded = {n.id: n for n in folded_models}
    fold_of: dict[str, str] = {}
    for tail, relation, head in scene.edges:
        anchored = head in fold_of or tail in folded
        if head in folded and not anchored and relation in (_DEPENDS, _SERVES):
            fold_of[head] = f"fold:{tail}"
    for model_id, model in folded.items():
        cluster = "" if model.cluster is None else f"-{model.cluster}"
        fold_of.setdefault(model_id, f"fold:unattached{cluster}")
    return folded, fold_of


def _fold_by_group(
    scene: _Scene, models: list[_Node], options: GraphOptions
) -> tuple[dict[str, _Node], dict[str, str]]:
    groups: dict[str, list[_Node]] = {}
    for model in models:
        groups.setdefault(model.group or "", []).append(model)
    # Each group's share of the threshold, its "N more models" node included.
    shown = max(_MIN_SHOWN, options.fold_threshold // max(1, len(groups)) - 1)
    folded: dict[str, _Node] = {}
    fold_of: dict[str, str] = {}
    for token, group in groups.items():
        if token in options.expanded or len(group) <= shown + 1:  # never fold just one
            continue
        # Keep the default model and models with errors in sight.
        ordered = sorted(group, key=lambda n: not (n.default or n.errors))
        fold_id = fold_node_id(token)
        for model in ordered[shown:]:
            folded[model.id] = model
            fold_of[model.id] = fold_id
    return folded, fold_of


def fold_node_id(token: str) -> str:
    """The node id (the SVG ``<title>``) of the node folding group ``token``."""
    return "fold:" + _safe_id(f"group/{token}")


def fold_group(node_id: str) -> str | None:
    """The group token a fold node's id stands for (None for any other id)."""
    prefix = "fold:group/"
    if not node_id.startswith(prefix):
        return None
    return urllib.parse.unquote(node_id.removeprefix(prefix))


# -- writing DOT --------------------------------------------------------------------------


def _quote(text: str) -> str:
    """The text ``graphviz.quoting.quote(text)`` gives, without its cost in the usual case.

    The package runs two regular expressions over every string, to escape quotes and to
    warn about a final backslash; that was most of the time ``to_dot`` took.  Text with
    no ``"``, no final ``\\`` and no chance of being an HTML label (``<...>`` not wrapped
    in ``nohtml``) needs neither, so only the rest goes to the package.  Property tests
    check the two agree on any text.
    """
    if (
        '"' in text
        or text.endswith(("\\", "\\\n"))  # the package's "$" also matches before a final \n
        or (text.startswith("<") and not isinstance(text, quoting.NoHtml))
    ):
        quoted: str = quoting.quote(text)
        return quoted
    if _is_dot_id(text) and text.lower() not in quoting.KEYWORDS:
        return text
    return f'"{text}"'


_is_dot_id = quoting.ID.match


@functools.lru_cache(maxsize=4096)  # every edge repeats two node ids
def _quote_edge(name: str) -> str:
    """An edge end: a whole node id, never ``node:port`` nor HTML."""
    return _quote(quoting.nohtml(name))


# Attribute names come from this module and recur on every line; typed keeps a NoHtml
# name apart from an equal plain one.
_quote_name = functools.lru_cache(maxsize=64, typed=True)(_quote)


def _a_list(
    label: str | None = None,
    kwargs: Mapping[str, Any] | None = None,
    attributes: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
) -> str:
    """``graphviz.quoting.a_list`` over ``_quote``: the same ``label=... k=v`` text."""
    parts = [] if label is None else [f"label={_quote(label)}"]
    for given in (kwargs, attributes):
        if not given:
            continue
        items: Iterable[tuple[str, Any]]
        if type(given) is dict:  # the package sorts plain dicts only
            items = sorted(given.items()) if len(given) > 1 else given.items()
        else:
            items = given.items() if hasattr(given, "items") else given
        parts += [f"{_quote_name(k)}={_quote(v)}" for k, v in items if v is not None]
    return " ".join(parts)


def _attr_list(
    label: str | None = None,
    kwargs: Mapping[str, Any] | None = None,
    attributes: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
) -> str:
    """``graphviz.quoting.attr_list`` over ``_quote``: the same ``[label=... k=v]`` text."""
    content = _a_list(label, kwargs, attributes)
    return f" [{content}]" if content else ""


class _Digraph(graphviz.Digraph):  # type: ignore[misc]
    """The package's Digraph, with whole node ids as edge ends and faster quoting.

    The graphviz package reads ``a:b`` in an edge end as node ``a``, port ``b``
    (xflr6/graphviz#53); our ids are entity references full of colons and never use
    ports, so edge ends are quoted exactly like node names.  ``_quote`` and
    ``_attr_list`` / ``_a_list`` are the package's hooks for quoting; ours give the same
    text, and the package still writes every statement.
    """

    _quote = staticmethod(_quote)
    _quote_edge = staticmethod(_quote_edge)
    _attr_list = staticmethod(_attr_list)
    _a_list = staticmethod(_a_list)


# Grid sizing: rough node and gap sizes (inches), to pick the grid that the Graph page's
# chart (about 740x600 px at a 1400x900 window) shows largest.
_BOX = (740.0, 600.0)
_MAX_COLUMNS, _MAX_BANDS = 40, 4
_CHAR_IN, _LINE_IN, _NODESEP, _RANKSEP, _CLUSTER_IN = 0.085, 0.19, 0.2, 0.45, 0.45
_ERROR_COLOR = "#E0352B"
_GridEdge = tuple[str, str, str, dict[str, str] | None]  # tail, relation, head, own attrs


def _emit(
    scene: _Scene, names: list[str | None], options: GraphOptions, hidden: dict[str, list[str]]
) -> str:
    # Externals (owners, dangling targets) that lost all their edges are not drawn.
    nodes = list(scene.nodes.values())
    if any(n.external for n in nodes):
        used = {end for tail, _, head in scene.edges for end in (tail, head)}
        nodes = [n for n in nodes if not n.external or n.id in used]
    edges = list(scene.edges.items())
    if options.show_inverse:
        edges += [((h, _INVERSE[r], t), False) for (t, r, h), _ in edges if r in _INVERSE]
    groups: dict[str, list[_Node]] = {}
    for node in nodes:
        if node.group is not None:
            groups.setdefault(node.group, []).append(node)
    graph_attr = {
        "rankdir": options.direction,
        "bgcolor": "transparent",
        "fontname": "Helvetica,Arial,sans-serif",
        "fontcolor": _MUTED,
        "nodesep": str(_NODESEP) if groups else "0.25",
        "ranksep": str(_RANKSEP) if groups else "0.7",
    }
    if groups:  # rank=same inside clusters, and edges that end at a cluster's border
        graph_attr.update(newrank="true", compound="true")
    dot = _Digraph(
        "catalog",
        graph_attr=graph_attr,
        node_attr={"fontname": "Helvetica,Arial,sans-serif", "fontsize": "11", "fontcolor": _TEXT},
        edge_attr={"fontname": "Helvetica,Arial,sans-serif", "fontsize": "10", "arrowsize": "0.7"},
    )
    columns, bands = _grid_shape(groups, options.direction, nodes, names == [None])
    grids = {token: _grid(members, columns, options.direction) for token, members in groups.items()}
    cluster_ids = {token: f"cluster_group_{i}" for i, token in enumerate(grids)}
    drawn = _collapse(edges, groups, grids, cluster_ids)
    # Attributes shared by a kind or a relation go once into an anonymous subgraph's
    # defaults: that keeps the DOT small and to_dot fast on large catalogs.
    by_cluster: dict[int | None, list[_Node]] = {}
    groups_in: dict[int | None, list[str]] = {}
    single = names == [None]
    for node in nodes:
        in_cluster = not single and node.cluster is not None and names[node.cluster] is not None
        index = node.cluster if in_cluster else None
        if node.group is None:
            by_cluster.setdefault(index, []).append(node)
        elif node is groups[node.group][0]:
            groups_in.setdefault(index, []).append(node.group)
    lead = _lead(by_cluster.get(None, [])) if single else []
    if lead:
        with dot.subgraph() as sub:  # the one server and its API open the picture
            sub.attr(rank="min")
            _emit_nodes(sub, lead)
        by_cluster[None] = [n for n in by_cluster[None] if n not in lead]
    for index in dict.fromkeys([*by_cluster, *groups_in]):
        if index is None:
            _emit_nodes(dot, by_cluster.get(None, []))
            _emit_groups(dot, groups_in.get(None, []), grids, cluster_ids, scene, hidden)
            continue
        with dot.subgraph(name=f"cluster_{index}") as sub:
            title = _text(_truncate(_plain(names[index] or ""), 60))
            sub.attr(label=quoting.nohtml(title), color=_MUTED, style="rounded")
            _emit_nodes(sub, by_cluster.get(index, []))
            _emit_groups(sub, groups_in.get(index, []), grids, cluster_ids, scene, hidden)
    _emit_edges(dot, drawn)
    if bands > 1:
        with dot.subgraph() as sub:
            sub.attr("edge", style="invis")
            sub.edges(_band_edges(grids, bands))
    if options.show_legend and nodes:
        _emit_legend(dot, {n.style for n in nodes}, {r for (_, r, _), _ in edges})
    source: str = dot.source
    return source


def _lead(nodes: list[_Node]) -> list[_Node]:
    """The server and its API when there is exactly one of each."""
    servers = [n for n in nodes if n.is_server and not n.external]
    apis = [n for n in nodes if n.style == "api" and not n.external]
    return [servers[0], apis[0]] if len(servers) == 1 and len(apis) == 1 else []


def _grid_shape(
    groups: Mapping[str, list[_Node]], direction: str, nodes: list[_Node], banded: bool
) -> tuple[int, int]:
    """The grid's column count and the bands of clusters that fit ``_BOX`` at the largest
    scale.  Clusters stack (LR) or stand side by side (TB); with two or more bands (TB
    only), each band of clusters starts below the one before."""
    if not groups:
        return 1, 1
    chars, lines = 0, 1
    for members in groups.values():
        for node in members:
            shown = _lines(node)
            chars = max(chars, *map(len, shown))
            lines = max(lines, len(shown))
    width = max(0.75, min(chars, MAX_LABEL_CHARS) * _CHAR_IN + 0.35)
    height = max(0.5, lines * _LINE_IN + 0.2)
    others = [n for n in nodes if n.group is None and not n.id.startswith("legend:")]
    lead = 2 if others else 0
    sizes = [len(members) for members in groups.values()]
    title = 30 * _CHAR_IN + _CLUSTER_IN  # a cluster is at least as wide as a typical title
    best, best_score = (1, 1), float("inf")
    # Left to right, the clusters stack into a column of wide grids, which fits a screen
    # already; top to bottom, side by side, they need bands.
    banded = banded and direction == "TB"
    for bands in range(1, (min(len(sizes), _MAX_BANDS) if banded else 1) + 1):
        per_band = -(-len(sizes) // bands)
        chunks = [sizes[i : i + per_band] for i in range(0, len(sizes), per_band)]
        for cols in range(1, min(max(sizes), _MAX_COLUMNS) + 1):
            if direction == "LR":  # columns are ranks
                band_w = cols * (width + _RANKSEP)
                w = lead * (width + _RANKSEP) + len(chunks) * band_w
                h = max(
                    sum(-(-size // cols) * (height + _NODESEP) + _CLUSTER_IN for size in chunk)
                    for chunk in chunks
                )
            else:  # rows are ranks
                w = max(
                    sum(max(min(cols, size) * (width + _NODESEP), title) for size in chunk)
                    for chunk in chunks
                )
                h = lead * (height + _RANKSEP) + sum(
                    max(-(-size // cols) for size in chunk) * (height + _RANKSEP) + _CLUSTER_IN
                    for chunk in chunks
                )
            score = -min(_BOX[0] / w, _BOX[1] / h)  # the scale that fits the chart's box
            if score < best_score - 1e-9:
                best, best_score = (cols, len(chunks)), score
    return best


def _band_edges(grids: Mapping[str, list[list[_Node]]], bands: int) -> list[tuple[str, str]]:
    """Invisible edges that put each band of clusters beyond the band before it."""
    tokens = list(grids)
    per_band = -(-len(tokens) // bands)
    chunks = [tokens[i : i + per_band] for i in range(0, len(tokens), per_band)]
    edges = []
    for before, band in itertools.pairwise(chunks):
        for position, token in enumerate(band):
            previous = grids[before[min(position, len(before) - 1)]]
            edges.append((previous[-1][0].id, grids[token][0][0].id))
    return edges


def _grid(members: list[_Node], columns: int, direction: str) -> list[list[_Node]]:
    """The group's rank sets, in order: columns for LR, rows for TB (filled row by row)."""
    columns = max(1, min(columns, len(members)))
    if direction == "LR":
        return [members[j::columns] for j in range(columns)]
    return [members[i : i + columns] for i in range(0, len(members), columns)]


def _collapse(
    edges: list[tuple[Edge, bool]],
    groups: Mapping[str, list[_Node]],
    grids: Mapping[str, list[list[_Node]]],
    cluster_ids: Mapping[str, str],
) -> list[_GridEdge]:
    """Edges to draw: one edge to or from a cluster where every member of a group has it."""
    plain = [(t, r, h, _EMPHASIS if e else None) for (t, r, h), e in edges]
    if not groups:
        return plain
    token_of = {n.id: token for token, members in groups.items() for n in members}
    reach: dict[tuple[str, str, str, str], set[str]] = {}
    for (tail, relation, head), _ in edges:  # an emphasised edge counts, and stays
        into, out_of = token_of.get(head), token_of.get(tail)
        if into is not None and out_of is None:
            reach.setdefault((into, "in", tail, relation), set()).add(head)
        elif out_of is not None and into is None:
            reach.setdefault((out_of, "out", head, relation), set()).add(tail)
    whole = {
        key
        for key, ends in reach.items()
        if len(groups[key[0]]) > 1 and len(ends) == len(groups[key[0]])
    }
    if not whole:
        return plain
    drawn: list[_GridEdge] = []
    added: set[tuple[str, str, str, str]] = set()
    for tail, relation, head, attrs in plain:
        into, out_of = token_of.get(head), token_of.get(tail)
        key = None
        if attrs is None and into is not None and (into, "in", tail, relation) in whole:
            key = (into, "in", tail, relation)
        elif attrs is None and out_of is not None and (out_of, "out", head, relation) in whole:
            key = (out_of, "out", head, relation)
        if key is None:
            drawn.append((tail, relation, head, attrs))
        elif key not in added:
            added.add(key)
            grid, cluster = grids[key[0]], cluster_ids[key[0]]
            if key[1] == "in":
                drawn.append((tail, relation, grid[0][0].id, {"lhead": cluster}))
            else:
                drawn.append((grid[-1][0].id, relation, head, {"ltail": cluster}))
    return drawn


_EMPHASIS = {"penwidth": "2.5", "label": "default", "fontcolor": _MUTED, "fontsize": "11"}


def _emit_edges(dot: graphviz.Digraph, edges: list[_GridEdge]) -> None:
    by_relation: dict[str, list[_GridEdge]] = {}
    for edge in edges:
        by_relation.setdefault(edge[1], []).append(edge)
    for relation, group in by_relation.items():
        with dot.subgraph() as sub:
            sub.attr("edge", **_EDGE_STYLES[relation])
            plain: list[tuple[str, str]] = []
            for tail, _, head, attrs in group:
                if attrs is None:
                    plain.append((tail, head))
                    continue
                sub.edges(plain)  # in order: the edge with its own look comes after these
                plain = []
                sub.edge(tail, head, **attrs)
            sub.edges(plain)


def _emit_groups(
    dot: graphviz.Digraph,
    tokens: list[str],
    grids: Mapping[str, list[list[_Node]]],
    cluster_ids: Mapping[str, str],
    scene: _Scene,
    hidden: Mapping[str, list[str]],
) -> None:
    """Each group as a cluster of models in a grid: rank sets joined by invisible edges.

    The models' look is the cluster's node default, so a rank set needs no subgraph of
    its own for it (subgraphs are most of what writing the DOT costs).
    """
    for token in tokens:
        grid = grids[token]
        members = [n for rank in grid for n in rank]
        count = sum(len(hidden.get(n.id, ())) if n.style == "fold" else 1 for n in members)
        title = f"{scene.group_titles.get(token, '')} · {count} model" + "s" * (count != 1)
        style = next((n.style for n in members if n.style != "fold"), members[0].style)
        with dot.subgraph(name=cluster_ids[token]) as sub:
            label = quoting.nohtml(_text(_truncate(_plain(title), 70)))
            sub.attr(
                label=label, color=_MUTED, style="rounded,dashed", labeljust="l", fontsize="12"
            )
            sub.attr("node", **_NODE_STYLES[style])
            # The first rank set shares a rank; each line across the rank sets is a chain
            # of invisible edges, one rank further each step.
            if len(grid[0]) == 1:
                _add_nodes(sub, grid[0], style)
            else:
                with sub.subgraph(graph_attr=_SAME_RANK) as same:
                    _add_nodes(same, grid[0], style)
            if len(grid) == 1:
                continue
            _add_nodes(sub, [n for rank in grid[1:] for n in rank], style)
            sub.attr("edge", style="invis")
            sub.edges(
                (rank[i].id, later[i].id)
                for rank, later in itertools.pairwise(grid)
                for i in range(len(later))
            )


_SAME_RANK = {"rank": "same"}


def _lines(node: _Node) -> tuple[str, ...]:
    """A node's label lines: a model in a group shows just its name (the cluster says more)."""
    lines = node.lines
    if node.group is not None and node.style != "fold":
        lines = (node.name, "default") if node.default else (node.name,)
    if node.errors:
        lines = (*lines, f"⚠ {node.errors} error" + ("" if node.errors == 1 else "s"))
    return lines


def _emit_nodes(dot: graphviz.Digraph, nodes: list[_Node]) -> None:
    by_style: dict[str, list[_Node]] = {}
    for node in nodes:
        by_style.setdefault(node.style, []).append(node)
    for style, group in by_style.items():
        with dot.subgraph() as sub:
            sub.attr("node", **_NODE_STYLES[style])
            _add_nodes(sub, group, style)


def _add_nodes(dot: graphviz.Digraph, nodes: list[_Node], style: str) -> None:
    """Node statements; ``style`` is the look in force, others are spelt out per node."""
    nohtml = quoting.nohtml
    for node in nodes:
        # The join is a plain str again: nohtml stops graphviz reading <...> as HTML.
        # Ids need no nohtml: _safe_id percent-encodes any "<".
        lines = _lines(node)
        label = nohtml(
            _label_line(lines[0]) if len(lines) == 1 else "\\n".join(map(_label_line, lines))
        )
        tooltip = _tooltip(node.tooltip)
        if node.style == style and not node.default and not node.errors:
            _node_statement(dot, node.id, label, tooltip=tooltip)  # the usual case
            continue
        extra = {} if node.style == style else dict(_NODE_STYLES[node.style])
        if node.default:
            extra["peripheries"] = "2"
        if node.errors:
            extra.update(color=_ERROR_COLOR, penwidth="2.5")
        _node_statement(dot, node.id, label, tooltip=tooltip, _attributes=extra)


# The package's Digraph.node, without the wrapper that checks for positional arguments
# on every call (ours are fine): it still writes each node statement.
_node_statement = getattr(graphviz.Digraph.node, "__wrapped__", graphviz.Digraph.node)


def _emit_legend(dot: graphviz.Digraph, styles: set[str], relations: set[str]) -> None:
    """A cluster with a sample node per kind drawn and a sample edge per relation drawn."""
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(label="Legend", color=_MUTED, style="rounded", fontsize="11")
        samples = [s for s in _LEGEND_NODES if s in styles]
        for style in samples:
            label = "\\n".join(_LEGEND_NODES[style])
            tooltip = label.replace("\\n", " ")
            legend.node(f"legend:{style}", label, tooltip=tooltip, **_NODE_STYLES[style])
        # Ranks are shared with the whole graph, so a row of samples would be as wide as
        # the graph: pair them instead (two ranks, like the edge samples below).
        for left, right in zip(samples[::2], samples[1::2], strict=False):
            legend.edge(f"legend:{left}", f"legend:{right}", style="invis")
        for relation in (r for r in _EDGE_STYLES if r in relations):
            tail, head = f"legend:{relation}", f"legend:{relation}:to"
            legend.node(tail, relation, shape="plaintext", fontcolor=_MUTED, tooltip=relation)
            legend.node(head, "", shape="point", width="0.08", color=_MUTED, tooltip=relation)
            attrs = {k: v for k, v in _EDGE_STYLES[relation].items() if k != "constraint"}
            legend.edge(tail, head, **attrs)


# -- text ----------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """One line of displayable text: control characters and runs of spaces become one space."""
    if text.isprintable() and "  " not in text and text.strip() == text:
        return text  # the usual case, and by far the cheapest test
    return " ".join(_CONTROL.sub(" ", text).split())


def _label_line(text: str) -> str:
    """One label line: plain, cut at ``MAX_LABEL_CHARS``, escaped for DOT."""
    if (
        len(text) <= MAX_LABEL_CHARS
        and text.isprintable()
        and "&" not in text
        and "\\" not in text
        and "  " not in text
        and text.strip() == text
    ):
        return text  # the usual name: nothing to change (and too many to cache)
    return _label_line_changed(text)


@functools.lru_cache(maxsize=256)  # kinds and types repeat on every node
def _label_line_changed(text: str) -> str:
    return _text(_truncate(_plain(text), MAX_LABEL_CHARS))


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(text: str) -> str:
    """Plain text as a DOT label part: ``&`` would start an entity, ``\\`` an escape."""
    escaped: str = graphviz.escape(text.replace("&", "&amp;"))
    return escaped


def _tooltip(lines: Iterable[str]) -> str:
    """Plain text lines as a DOT tooltip, joined by real newlines (which SVG keeps)."""
    # Graphviz 2.43 expands \N and \G in tooltips even when escaped: a backslash is
    # shown as a fullwidth one instead.
    # _plain leaves no newline in a line, so the escapes can run over the joined text.
    text = "\n".join(map(_plain, lines)).replace("&", "&amp;").replace("\\", "\uff3c")
    tooltip: str = quoting.nohtml(text)
    return tooltip


def _safe_id(text: str) -> str:
    if _SAFE_ID.fullmatch(text):
        return text
    return urllib.parse.quote(text, safe=":/~", errors="replace")


def _model_ref(namespace: str, name: str) -> Ref:
    return Ref("model", namespace, name)


def _available(spec: Mapping[str, Any]) -> list[str]:
    models = spec.get("models") or {}
    return _strings(models.get("available") if isinstance(models, Mapping) else None)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or () if v is not None and str(v).strip()]


# -- SVG for a web page --------------------------------------------------------------------

_SVG_NS, _XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
# What dot's SVG output uses, and nothing that can run or fetch anything.
_SVG_ELEMENTS = frozenset(
    {"svg", "g", "title", "text", "tspan", "polygon", "polyline", "path", "ellipse", "circle"}
    | {"rect", "line", "a", "defs", "linearGradient", "radialGradient", "stop"}
)
_SVG_ATTRIBUTES = frozenset(
    {"id", "class", "width", "height", "viewBox", "preserveAspectRatio", "transform", "points"}
    | {"d", "cx", "cy", "rx", "ry", "r", "x", "y", "x1", "y1", "x2", "y2", "fill", "stroke"}
    | {"fill-opacity", "stroke-width", "stroke-dasharray", "stroke-opacity", "font-family"}
    | {"font-size", "font-weight", "font-style", "text-anchor", "text-decoration", "offset"}
    | {"baseline-shift", "stop-color", "stop-opacity", "gradientUnits"}
)
_XLINK_ATTRIBUTES = frozenset({"title"})  # a node's tooltip; never an href


def safe_svg(svg: bytes | str) -> str:
    """``dot``'s SVG with only drawing elements and attributes kept, for a web page.

    The labels and tooltips are already plain text (``dot`` escapes them), so this is
    defence in depth: no ``<script>``, ``<foreignObject>``, ``<style>``, event
    attributes, ``href`` (so no ``javascript:`` link) nor entity declarations survive.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    start = data.find(b"<svg")
    if start < 0:
        raise RenderError("Graphviz gave no SVG picture")
    try:  # the prolog (XML declaration, DOCTYPE, comments) goes
        root = SafeElementTree.fromstring(data[start:], forbid_dtd=True)
    except (ElementTree.ParseError, ValueError) as exc:
        raise RenderError(f"Graphviz gave an SVG picture that cannot be read: {exc}") from None
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise RenderError("Graphviz gave no SVG picture")
    _clean(root)
    text: str = ElementTree.tostring(root, encoding="unicode")
    return text


def _clean(element: ElementTree.Element) -> None:
    for name in list(element.attrib):
        space, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
        keep = (not space and local in _SVG_ATTRIBUTES) or (
            space == _XLINK_NS and local in _XLINK_ATTRIBUTES
        )
        if not keep:
            del element.attrib[name]
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        space, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if space != _SVG_NS or local not in _SVG_ELEMENTS:
            element.remove(child)  # comments and processing instructions too
        else:
            _clean(child)


ElementTree.register_namespace("", _SVG_NS)
ElementTree.register_namespace("xlink", _XLINK_NS)
