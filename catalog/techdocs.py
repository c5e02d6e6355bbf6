"""Build the TechDocs bundle for a catalog (MAPPING.md section 5) and zip it.

::

    catalog-info.yaml         the entities; techdocs-ref dir:. and dir:<model>
    mkdocs.yml                site_name, nav, plugins: [techdocs-core]
    docs/index.md             server: description, access, authentication, API, models
    docs/usage.md             server usage (when given)
    <model>/mkdocs.yml        one TechDocs site per model
    <model>/docs/index.md     description, owner, lifecycle, license, tags, links
    <model>/docs/{usage,training,ethics,license,support}.md   (only those given)

In the ai-model-server layout the one entity points at ``dir:.`` and the root site pulls
each model's site into its navigation (the monorepo plugin techdocs-core bundles), as the
models have no entity of their own.  Without a server the root site lists the models.

Text the user wrote as Markdown (descriptions, usage...) goes in as Markdown; names,
tags, owners and URLs the pages are built around are escaped (:mod:`catalog.markdown`).
Folder names come from entity names but are re-checked here (:func:`folder_names`): no
name can leave the bundle, and :func:`bundle_zip` refuses any path that would.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

import yaml

from catalog.convert import (
    TECHDOCS_REF,
    ConvertOptions,
    entity_name,
    normalise_tags,
    owner_ref,
    present,
    to_entities,
)
from catalog.emit import to_yaml
from catalog.licenses import SPDX_URL, canonical_spdx
from catalog.markdown import md_block, md_code, md_codes, md_href, md_text, md_url
from catalog.rules import is_valid_entity_name, is_valid_url, slug
from catalog.schema import Model, ModelCatalog, ModelServer

#: The optional model pages, in navigation order: (model field and file stem, title).
MODEL_PAGES: tuple[tuple[str, str], ...] = (
    ("usage", "Usage"),
    ("training", "Training"),
    ("ethics", "Ethics"),
    ("license", "License"),
    ("support", "Support"),
)
API_TYPE_NAMES = {
    "openapi": "OpenAPI",
    "asyncapi": "AsyncAPI",
    "graphql": "GraphQL",
    "grpc": "gRPC",
}
# Names a model folder must not take: the bundle's own files and folders, mkdocs' output
# folder, and the device names Windows refuses as file names (with any extension).
_RESERVED = {"docs", "site", "mkdocs.yml", "catalog-info.yaml"}
_WINDOWS = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}
# The earliest time a zip entry can hold.
_ZIP_EPOCH = datetime(1980, 1, 1)


@dataclass(frozen=True)
class Bundle:
    """The bundle's files (relative path -> text) and what the user should know about it."""

    files: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def build_bundle(catalog: ModelCatalog, options: ConvertOptions | None = None) -> dict[str, str]:
    """Return the TechDocs bundle for ``catalog`` as relative path -> file text.

    The catalog should have passed validation; like :func:`~catalog.convert.to_entities`
    this raises :class:`~catalog.errors.LayoutError` when the layout cannot hold it.
    """
    return make_bundle(catalog, options).files


def make_bundle(catalog: ModelCatalog, options: ConvertOptions | None = None) -> Bundle:
    """Return the bundle with its warnings (replaced TechDocs refs, renamed folders)."""
    options = options or ConvertOptions()
    server = catalog.modelServer
    folders = folder_names([m.name for m in catalog.models])
    warnings: list[str] = []
    entities = to_entities(catalog, options)
    _point_entities_at_docs(entities, folders, options, warnings)
    include_models = options.layout == "ai-model-server"
    files: dict[str, str] = {"catalog-info.yaml": to_yaml(entities)}
    root_nav: list[Any] = [{"Overview": "index.md"}]
    if server is not None:
        files["docs/index.md"] = server_index(server, catalog.models, include_models)
        if present(server.usage):
            files["docs/usage.md"] = page("Usage", server.usage or "")
            root_nav.append({"Usage": "usage.md"})
        site_name = _site_name(server.name)
    else:
        files["docs/index.md"] = models_index(catalog.models)
        site_name = "Models"
    if include_models and catalog.models:
        # The monorepo plugin reads this string form (not a YAML tag).
        root_nav.append({"Models": [{f: f"!include ./{f}/mkdocs.yml"} for f in folders]})
    files["mkdocs.yml"] = mkdocs_yml(site_name, root_nav)
    for model, folder in zip(catalog.models, folders, strict=True):
        if folder != entity_name(model.name):
            warnings.append(
                f"model '{model.name}': its pages are in the folder '{folder}' "
                "(the name as it is cannot be a folder, or another model has it)"
            )
        files.update(model_files(model, folder, server))
    for path in files:
        check_bundle_path(path)
    return Bundle(files, warnings)


def model_files(model: Model, folder: str, server: ModelServer | None) -> dict[str, str]:
    """The files of one model's TechDocs site, under ``folder``."""
    pages = {"index.md": model_index(model, server)}
    nav: list[Any] = [{"Overview": "index.md"}]
    for field_name, title in MODEL_PAGES:
        value = present(getattr(model, field_name))
        if value is None:
            continue
        text = license_page(value) if field_name == "license" else page(title, value)
        pages[f"{field_name}.md"] = text
        nav.append({title: f"{field_name}.md"})
    files = {f"{folder}/docs/{name}": text for name, text in pages.items()}
    files[f"{folder}/mkdocs.yml"] = mkdocs_yml(folder, nav)
    return files


# --- folders and paths -------------------------------------------------------------


def folder_name(name: str) -> str:
    """A safe folder name for an entity name: one path segment, never ``.``/``..``/empty."""
    # slug keeps only [A-Za-z0-9_.-] and trims to letters/digits at both ends, so no
    # separator, no dot-only name and no trailing dot (which Windows drops) survives.
    base = slug(entity_name(name), fallback="model")
    stem = base.split(".", 1)[0]
    if stem.lower() in _WINDOWS:  # NUL.txt is as reserved as NUL: change the stem
        return f"{stem}-model{base[len(stem) :]}"
    if base.lower() in _RESERVED:
        return f"{base}-model"
    return base


def folder_names(names: Sequence[str]) -> list[str]:
    """Distinct safe folder names, compared without letter case (macOS and Windows)."""
    taken: set[str] = set()
    out: list[str] = []
    for name in names:
        base = folder_name(name)
        candidate, n = base, 2
        while candidate.lower() in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def check_bundle_path(path: str) -> str:
    """Return ``path`` if it is a plain relative POSIX path inside the bundle, else raise."""
    parts = PurePosixPath(path).parts
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or path.startswith("/")
        or re.match(r"^[A-Za-z]:", path)
        or any(p in ("", ".", "..") for p in path.split("/"))
        or not parts
    ):
        raise ValueError(f"not a path inside the bundle: {path!r}")
    return path


def zip_time(when: datetime | None = None) -> tuple[int, int, int, int, int, int]:
    """The time stamped on the bundle's files: ``when``, else now (local time).

    ``$SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) fixes
    it for a pipeline that wants the same catalog to give the same bytes.
    """
    if when is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            when = datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
        else:
            when = datetime.now()  # a zip stores local time, as unzip shows it
    when = max(when.replace(tzinfo=None), _ZIP_EPOCH)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def bundle_zip(files: Mapping[str, str], when: datetime | None = None) -> bytes:
    """Zip the bundle: sorted names, the time it was made (see :func:`zip_time`), and
    the same permissions on every file, so one catalog and one time give the same bytes."""
    stamp = zip_time(when)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(check_bundle_path(path), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permission bits below are honoured
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[path].encode("utf-8"))
    return buffer.getvalue()


# --- entities ----------------------------------------------------------------------


def _point_entities_at_docs(
    entities: list[dict[str, Any]],
    folders: list[str],
    options: ConvertOptions,
    warnings: list[str],
) -> None:
    """Set each entity's techdocs-ref to its folder in the bundle."""
    resources = iter(folders)
    for entity in entities:
        kind = entity["kind"]
        if options.layout == "ai-model-server" or kind == "Component":
            ref = "dir:."
        elif kind == "Resource":
            ref = f"dir:{next(resources)}"
        else:
            continue
        meta = entity["metadata"]
        old = (meta.get("annotations") or {}).get(TECHDOCS_REF)
        if old and old != ref:
            warnings.append(
                f"{kind} '{meta['name']}': its TechDocs reference '{old}' is replaced by "
                f"'{ref}', the pages in this bundle"
            )
        entity["metadata"] = _with_annotation(meta, TECHDOCS_REF, ref)


def _with_annotation(meta: dict[str, Any], key: str, value: str) -> dict[str, Any]:
    """``meta`` with ``annotations[key] = value``, annotations kept after the description."""
    annotations = {**(meta.get("annotations") or {}), key: value}
    out: dict[str, Any] = {}
    for k, v in meta.items():
        if k == "annotations":
            continue
        if k in ("tags", "links") and "annotations" not in out:
            out["annotations"] = annotations
        out[k] = v
    out.setdefault("annotations", annotations)
    return out


# --- pages -------------------------------------------------------------------------


def server_index(server: ModelServer, models: list[Model], included: bool) -> str:
    """The server's overview: description, access, authentication, API, models."""
    out = [f"# {md_text(entity_name(server.name))}", "", md_block(server.description)]
    homepage = present(server.homepageURL)
    out += ["## Access", "", f"- **Homepage:** {md_url(homepage) if homepage else 'none given'}"]
    if server.API is not None:
        out.append(f"- **API URL:** {md_url(server.API.url)}")
    out += [f"- **Authentication:** {_AUTH[server.authentication]}", ""]
    if server.API is not None:
        api = server.API
        spec = api.spec.strip()
        out += ["## API", "", f"- **Type:** {API_TYPE_NAMES.get(api.type, md_text(api.type))}"]
        if is_valid_url(spec):
            out.append(f"- **Specification:** {md_url(spec)}")
        else:
            ref = md_code("api:" + entity_name(server.name))
            out.append(f"- **Specification:** embedded in the API entity {ref}.")
        if normalise_tags(api.tags):
            out.append(f"- **Tags:** {md_codes(normalise_tags(api.tags))}")
        out.append("")
    out += _facts(server.owner, server.lifecycle, [], normalise_tags(server.tags))
    if models:
        where = (
            "Each model's pages are under **Models** in the navigation."
            if included
            else "Each model has its own documentation: the Docs tab of its resource."
        )
        out += ["## Models", "", where, ""]
        out += _model_summaries(models)
    return _join(out)


_AUTH = {
    True: "required: every request must carry credentials (an API key or token).",
    False: "not required.",
    None: "not stated.",
}


def models_index(models: list[Model]) -> str:
    """The root page of a catalog without a server: the models it holds."""
    out = ["# Models", ""]
    if not models:
        out.append("This catalog holds no models.")
    else:
        out += ["Each model has its own documentation: the Docs tab of its resource.", ""]
        out += _model_summaries(models)
    return _join(out)


def _model_summaries(models: list[Model]) -> list[str]:
    out: list[str] = []
    for model in models:
        out += [f"### {md_text(entity_name(model.name))}", "", md_block(model.description)]
    return out


def model_index(model: Model, server: ModelServer | None) -> str:
    """A model's overview: description, owner, lifecycle, license, tags, links, pages."""
    out = [f"# {md_text(entity_name(model.name))}", "", md_block(model.description)]
    extra = []
    if server is not None:
        extra.append(f"- **Served by:** {md_code('component:' + entity_name(server.name))}")
    if present(model.license):
        extra.append(f"- **License:** {license_summary(model.license or '')}")
    out += _facts(model.owner, model.lifecycle, extra, normalise_tags(model.tags))
    links = [
        f"- **{title}:** {md_url(url)}"
        for title, url in (
            ("Artifact location", model.artifactLocationURL),
            ("How to use", model.howToUseURL),
        )
        if url is not None and present(url)
    ]
    if links:
        out += ["## Links", "", *links, ""]
    pages = [
        f"- [{title}]({name}.md)" for name, title in MODEL_PAGES if present(getattr(model, name))
    ]
    if pages:
        out += ["## More", "", *pages, ""]
    return _join(out)


def _facts(owner: str, lifecycle: str, extra: list[str], tags: list[str]) -> list[str]:
    out = ["## Details", ""]
    out.append(f"- **Owner:** {md_code(owner_ref(owner))}")
    out.append(f"- **Lifecycle:** {md_code(lifecycle.strip())}")
    out += extra
    if tags:
        out.append(f"- **Tags:** {md_codes(tags)}")
    out.append("")
    return out


def license_summary(value: str) -> str:
    """One line naming the license: an SPDX id links to spdx.org, a URL is a link."""
    text = value.strip()
    spdx = canonical_spdx(text)
    if spdx is not None:
        return f"[{md_text(spdx)}]({md_href(SPDX_URL.format(id=spdx))})"
    if is_valid_url(text):
        return md_url(text)
    return "see [License](license.md)"


def license_page(value: str) -> str:
    """The license page: the SPDX id and its link, the license's URL, or the license text."""
    text = value.strip()
    spdx = canonical_spdx(text)
    if spdx is not None:
        body = (
            f"This model is licensed under **{md_text(spdx)}** "
            f"([full text on spdx.org]({md_href(SPDX_URL.format(id=spdx))}))."
        )
    elif is_valid_url(text):
        body = f"The license is published at {md_url(text)}."
    else:
        body = value
    return page("License", body)


def page(title: str, body: str) -> str:
    """A page: a level-one heading and the user's Markdown."""
    return _join([f"# {md_text(title)}", "", md_block(body)])


def _join(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


# --- mkdocs.yml ----------------------------------------------------------------------


def mkdocs_yml(site_name: str, nav: list[Any]) -> str:
    """An mkdocs.yml for TechDocs: site name, navigation and the techdocs-core plugin."""
    config = {"site_name": site_name, "nav": nav, "plugins": ["techdocs-core"]}
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _site_name(name: str) -> str:
    # mkdocs' themes print site_name without escaping it: only an entity name goes there.
    norm = entity_name(name)
    return norm if is_valid_entity_name(norm) else slug(norm, fallback="documentation")
