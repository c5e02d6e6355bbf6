"""The Export page: output options, the refusal while the catalog has errors, the downloads.

:func:`build_export` is plain Python (document and options in, texts and bytes out) so
tests can check every file without a browser; :func:`render` draws the page.  The
validation and the files are computed once per document revision and options, and kept
in session state: a rerun (a tab switch, a preview choice) costs nothing.

Every download button uses ``on_click="ignore"``: saving a file does not rerun the page.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from catalog.convert import ConvertOptions, entity_name
from catalog.emit import to_json, to_yaml, to_yaml_document
from catalog.rules import slug
from catalog.techdocs import bundle_zip, make_bundle
from catalog.validate import Report, validate
from ui import state
from ui.issues import SUMMARY_LIMIT, describe_path, issue_markdown, show_issue
from ui.output_options import current_options, option_widgets, use_classic
from ui.text import escape_markdown, plural

AUTHOR_PAGE = "pages/author.py"
IMPORT_PAGE = "pages/importer.py"

ENTITY_KEY = "export.entity"
CATALOG_FORMAT_KEY = "export.catalog_format"
BUNDLE_FILE_KEY = "export.bundle_file"
_MEMO_KEY = "export._memo"

CATALOG_INFO_NAME = "catalog-info.yaml"
BUNDLE_NAME = "techdocs-bundle.zip"

ALL_ENTITIES = -1


@dataclass
class ExportFiles:
    """Everything the Export page offers for one document and one set of options."""

    report: Report
    entities: list[dict[str, Any]] = field(default_factory=list)
    catalog_info: str = ""
    entity_texts: list[tuple[str, str]] = field(default_factory=list)
    catalog_json: str = ""
    catalog_yaml: str = ""
    stem: str = "model"
    bundle: dict[str, str] = field(default_factory=dict)
    bundle_warnings: list[str] = field(default_factory=list)
    bundle_bytes: bytes = b""

    @property
    def ok(self) -> bool:
        return self.report.ok and self.report.catalog is not None

    @property
    def json_name(self) -> str:
        return f"{self.stem}-catalog.json"

    @property
    def yaml_name(self) -> str:
        return f"{self.stem}-catalog.yaml"


def file_stem(document: dict[str, Any]) -> str:
    """The model server's name, else the first model's, as a safe file name stem."""
    server = document.get("modelServer")
    models = document.get("models")
    name: Any = None
    if isinstance(server, dict):
        name = server.get("name")
    if not (isinstance(name, str) and name.strip()) and isinstance(models, list) and models:
        first = models[0]
        name = first.get("name") if isinstance(first, dict) else None
    if not isinstance(name, str):
        return "model"
    return slug(entity_name(name), fallback="model")


def entity_label(entity: dict[str, Any]) -> str:
    """``Resource granite-8b`` for the entity picker."""
    return f"{entity.get('kind')} {entity.get('metadata', {}).get('name')}"


def build_export(document: dict[str, Any], options: ConvertOptions) -> ExportFiles:
    """Validate ``document`` and, when it has no errors, produce every export file."""
    report = validate(copy.deepcopy(document), options)
    files = ExportFiles(report=report, stem=file_stem(document))
    if not report.ok or report.catalog is None or report.entities is None:
        return files
    files.entities = report.entities
    files.catalog_info = to_yaml(report.entities)
    files.entity_texts = [(entity_label(e), to_yaml_document(e)) for e in report.entities]
    # The validated catalog: schema field order, and typos the checks warned about fixed.
    data = report.catalog.model_dump(mode="json", exclude_none=True)
    files.catalog_json = to_json(data)
    files.catalog_yaml = to_yaml_document(data)
    bundle = make_bundle(report.catalog, options)
    files.bundle = bundle.files
    files.bundle_warnings = list(bundle.warnings)
    files.bundle_bytes = bundle_zip(bundle.files)
    return files


def export_files(options: ConvertOptions) -> ExportFiles:
    """:func:`build_export` for the working document, memoised on its revision."""
    key = (state.revision(), options)
    memo = st.session_state.get(_MEMO_KEY)
    if memo is None or memo[0] != key:
        memo = (key, build_export(state.document(), options))
        st.session_state[_MEMO_KEY] = memo
    files: ExportFiles = memo[1]
    return files


def _options() -> None:
    with st.container(border=True, key="export-options"):
        st.markdown("**Output options**")
        option_widgets()


def _empty() -> None:
    st.info(
        "The catalog is empty: there is nothing to export yet. Describe a model server "
        "or a model on the Author page (or load an example there), or bring in a file you "
        "already have on the Import page.",
        icon=":material/info:",
    )
    _page_link(AUTHOR_PAGE, "Go to the Author page", ":material/edit_note:")
    _page_link(IMPORT_PAGE, "Go to the Import page", ":material/upload_file:")


def _refusal(files: ExportFiles, document: dict[str, Any]) -> None:
    errors = files.report.errors
    them = "it" if len(errors) == 1 else "them"
    st.error(
        f"Export is blocked: the catalog has {plural(len(errors), 'error')}. "
        f"Fix {them} here or on the Author page; the downloads appear as soon as none "
        "is left.",
        icon=":material/block:",
    )
    for n, issue in enumerate(errors[:SUMMARY_LIMIT]):
        where = describe_path(issue.path, document) if issue.path else ""
        show_issue(issue, f"export.fix:{issue.path}:{issue.code}:{n}", where=where)
    if len(errors) > SUMMARY_LIMIT:
        st.caption(f"... and {len(errors) - SUMMARY_LIMIT} more.")
    with st.container(horizontal=True, vertical_alignment="center"):
        if any(issue.code == "layout" for issue in errors):
            st.button(
                "Use the classic layout",
                key="export.use_classic",
                icon=":material/view_list:",
                on_click=use_classic,
            )
        _page_link(AUTHOR_PAGE, f"Fix {them} on the Author page", ":material/edit_note:")


def _is_empty(document: dict[str, Any]) -> bool:
    return not document.get("modelServer") and not document.get("models")


def _page_link(page: str, label: str, icon: str) -> None:
    st.page_link(page, label=label, icon=icon)


def _warnings(files: ExportFiles, document: dict[str, Any]) -> None:
    warnings = files.report.warnings
    if not warnings:
        st.success("The catalog is valid: every file below is ready to download.")
        return
    st.success(
        f"The catalog is valid and can be exported, with {plural(len(warnings), 'warning')}."
    )
    with st.expander(f"{plural(len(warnings), 'warning')} (export is still possible)"):
        for issue in warnings[:SUMMARY_LIMIT]:
            where = describe_path(issue.path, document) if issue.path else ""
            st.markdown(issue_markdown(issue, where=where))
        if len(warnings) > SUMMARY_LIMIT:
            st.caption(f"... and {len(warnings) - SUMMARY_LIMIT} more.")


def _catalog_info_tab(files: ExportFiles) -> None:
    counts: dict[str, int] = {}
    for entity in files.entities:
        counts[str(entity.get("kind"))] = counts.get(str(entity.get("kind")), 0) + 1
    summary = ", ".join(plural(n, kind) for kind, n in counts.items())
    count = len(files.entities)
    st.markdown(
        f"{count} {'entity' if count == 1 else 'entities'} "
        f"({escape_markdown(summary)}), ready to commit next to your code and register "
        "in Backstage."
    )
    choices = [ALL_ENTITIES, *range(len(files.entity_texts))]
    if st.session_state.get(ENTITY_KEY) not in choices:
        st.session_state.pop(ENTITY_KEY, None)
    chosen = ALL_ENTITIES
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        st.download_button(
            f"Download {CATALOG_INFO_NAME}",
            data=files.catalog_info,
            file_name=CATALOG_INFO_NAME,
            mime="application/yaml",
            key="export.download_catalog_info",
            on_click="ignore",
            type="primary",
            icon=":material/download:",
        )
        if len(files.entity_texts) > 1:
            chosen = st.selectbox(
                "Show entity",
                choices,
                format_func=lambda i: (
                    "All entities" if i == ALL_ENTITIES else files.entity_texts[i][0]
                ),
                key=ENTITY_KEY,
                width=360,
                help="Look at one entity at a time; the download always holds all of them.",
            )
    text = files.catalog_info if chosen == ALL_ENTITIES else files.entity_texts[chosen][1]
    st.code(text, language="yaml", line_numbers=True)


def _catalog_tab(files: ExportFiles) -> None:
    st.markdown(
        "The model catalog itself, to keep in version control or to edit again later "
        "(the Import page reads both formats)."
    )
    left, right = st.columns(2)
    with left:
        st.download_button(
            f"Download {files.json_name}",
            data=files.catalog_json,
            file_name=files.json_name,
            mime="application/json",
            key="export.download_json",
            on_click="ignore",
            icon=":material/download:",
        )
    with right:
        st.download_button(
            f"Download {files.yaml_name}",
            data=files.catalog_yaml,
            file_name=files.yaml_name,
            mime="application/yaml",
            key="export.download_yaml",
            on_click="ignore",
            icon=":material/download:",
        )
    shown = st.segmented_control(
        "Preview as", ["JSON", "YAML"], default="JSON", key=CATALOG_FORMAT_KEY
    )
    if shown == "YAML":
        st.code(files.catalog_yaml, language="yaml", line_numbers=True)
    else:
        st.code(files.catalog_json, language="json", line_numbers=True)


def bundle_tree(names: list[str]) -> str:
    """The zip's entries as a tree, in the zip's own order (``names`` as it lists them).

    The first line is the zip itself: its files and folders unpack where it is opened,
    with no folder around them, and the tree shows them that way.
    """
    root: dict[str, Any] = {}
    for name in names:
        node = root
        *folders, leaf = name.split("/")
        for folder in folders:
            node = node.setdefault(folder + "/", {})
        node[leaf] = None
    lines = [BUNDLE_NAME]

    def walk(node: dict[str, Any], prefix: str) -> None:
        for n, (label, child) in enumerate(node.items()):
            last = n == len(node) - 1
            lines.append(f"{prefix}{'└── ' if last else '├── '}{label}")
            if child is not None:
                walk(child, prefix + ("    " if last else "│   "))

    walk(root, "")
    return "\n".join(lines)


def _bundle_tab(files: ExportFiles) -> None:
    catalog = files.report.catalog
    sites = (
        "A TechDocs site for the model server and one for each model"
        if catalog is not None and catalog.modelServer is not None
        else "An overview page and a TechDocs site for each model"
    )
    st.markdown(
        f"{sites} ({plural(len(files.bundle), 'file')}). Unzip it into a repository and "
        "register its `catalog-info.yaml`: its entities point at these pages "
        "(`backstage.io/techdocs-ref: dir:`)."
    )
    st.download_button(
        f"Download {BUNDLE_NAME}",
        data=files.bundle_bytes,
        file_name=BUNDLE_NAME,
        mime="application/zip",
        key="export.download_bundle",
        on_click="ignore",
        type="primary",
        icon=":material/folder_zip:",
    )
    for warning in files.bundle_warnings:
        st.warning(escape_markdown(warning), icon=":material/info:")
    tree, preview = st.columns([2, 3])
    paths = sorted(files.bundle)
    # Read back from the zip itself, so the tree cannot drift from what is downloaded.
    with zipfile.ZipFile(io.BytesIO(files.bundle_bytes)) as archive:
        names = archive.namelist()
    with tree:
        st.code(bundle_tree(names), language=None)
    with preview:
        if st.session_state.get(BUNDLE_FILE_KEY) not in paths:
            st.session_state.pop(BUNDLE_FILE_KEY, None)
        default = "docs/index.md" if "docs/index.md" in paths else paths[0]
        chosen = st.selectbox(
            "Preview a file", paths, index=paths.index(default), key=BUNDLE_FILE_KEY
        )
        language = "markdown" if chosen.endswith(".md") else "yaml"
        st.code(files.bundle[chosen], language=language, line_numbers=True, wrap_lines=True)


def render() -> None:
    """Draw the Export page."""
    st.title("Export the catalog", anchor=False)
    st.caption(
        "Download the catalog as Backstage's catalog-info.yaml, as a model catalog file, "
        "and as a TechDocs bundle."
    )
    document = state.document()
    if _is_empty(document):
        _empty()
        return
    _options()
    files = export_files(current_options())
    if not files.ok:
        _refusal(files, document)
        return
    _warnings(files, document)
    yaml_tab, catalog_tab, bundle_tab = st.tabs(
        [CATALOG_INFO_NAME, "Model catalog (JSON / YAML)", "TechDocs bundle"]
    )
    with yaml_tab:
        _catalog_info_tab(files)
    with catalog_tab:
        _catalog_tab(files)
    with bundle_tab:
        _bundle_tab(files)
