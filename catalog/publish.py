"""Publishing the library to Backstage: what ``/published/...`` serves (MAPPING.md section 7).

Backstage reads the Studio like any other location: an administrator registers
``<public URL>/published/location.yaml`` once, a ``Location`` entity whose targets are the
published catalogs, and Backstage then reads ``/published/<id>/catalog-info.yaml`` for
each, again at every refresh.  A catalog is published as its **last saved revision**
(never a draft), written with the output options saved with that revision.  A catalog
whose last revision has errors is left out of the Location; a deleted one drops out (and
Backstage marks its entities as orphans).

::

    publisher = Publisher(store, public_url=os.environ.get(PUBLIC_URL_ENV))
    answer = publisher.catalog_info(catalog_id)        # or publisher.location()
    answer.body, answer.etag                           # YAML text and its strong ETag

Results are kept per ``(catalog id, revision)``: revisions never change, so Backstage's
refresh loop costs a listing query and a hash, not a validation.  Nothing here imports
Streamlit; ``app.py`` wires the routes.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, get_args

from catalog.convert import ApiDefinitionMode, ConvertOptions, Layout, ServerKind
from catalog.emit import to_yaml
from catalog.store import NotFoundError, Store
from catalog.validate import validate

PUBLIC_URL_ENV = "MODEL_CATALOG_PUBLIC_URL"
PREFIX = "/published"
LOCATION_PATH = f"{PREFIX}/location.yaml"
CATALOG_FILE = "catalog-info.yaml"
#: RFC 9512's media type for YAML.
CONTENT_TYPE = "application/yaml; charset=utf-8"
LOCATION_NAME = "model-catalog-studio"
#: What a catalog id looks like (:func:`catalog.store.new_id`): anything else is unknown.
_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_CACHE_SIZE = 4096
#: How many of a catalog's errors the Studio and the 404 answer repeat.
MAX_ERRORS_SHOWN = 5


def catalog_path(catalog_id: str) -> str:
    """The path of one catalog's published file: ``/published/<id>/catalog-info.yaml``."""
    return f"{PREFIX}/{catalog_id}/{CATALOG_FILE}"


def public_base(public_url: str | None) -> str | None:
    """``MODEL_CATALOG_PUBLIC_URL`` without a trailing slash, or None when unset or blank."""
    text = (public_url or "").strip().rstrip("/")
    return text or None


def location_url(public_url: str | None) -> str | None:
    """The URL an administrator registers in Backstage, when the public URL is known."""
    base = public_base(public_url)
    return f"{base}{LOCATION_PATH}" if base else None


def options_from(saved: Mapping[str, Any] | None) -> ConvertOptions:
    """The convert options of a saved revision; a missing or unknown value is the default."""
    saved = saved or {}
    layout: Any = saved.get("layout")
    kind: Any = saved.get("kind")
    mode: Any = saved.get("api_definition")
    options = ConvertOptions()
    if layout in get_args(Layout):
        options = replace(options, layout=layout)
    if kind in get_args(ServerKind):
        options = replace(options, kind=kind)
    if mode in get_args(ApiDefinitionMode):
        options = replace(options, api_definition=mode)
    return options


def options_record(options: ConvertOptions) -> dict[str, str]:
    """Convert options as the store keeps them with a revision."""
    return {
        "layout": options.layout,
        "kind": options.kind,
        "api_definition": options.api_definition,
    }


@dataclass(frozen=True)
class Publication:
    """How one saved revision of a catalog is published: its YAML, or why it is not."""

    catalog_id: str
    name: str
    revision: int
    yaml: str | None
    """The catalog-info.yaml Backstage reads; None when the revision has errors."""
    errors: tuple[str, ...] = ()
    """The revision's error messages (path first), when it is not published."""
    error_count: int = 0

    @property
    def published(self) -> bool:
        """Whether the revision is in the Location (it has no errors)."""
        return self.yaml is not None


@dataclass(frozen=True)
class Answer:
    """One HTTP answer of the publishing routes, independent of the web framework."""

    status: int
    body: str
    etag: str | None = None
    content_type: str = CONTENT_TYPE

    def not_modified(self, if_none_match: str | None) -> bool:
        """Whether a request's ``If-None-Match`` names this answer's ETag (answer 304)."""
        if self.etag is None or self.status != 200 or not if_none_match:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or self.etag in tags


def _ok(body: str) -> Answer:
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    return Answer(200, body, etag=f'"{digest}"')


def _not_found(message: str) -> Answer:
    return Answer(404, message + "\n", content_type="text/plain; charset=utf-8")


def publication(catalog_id: str, name: str, number: int, document: Any, saved: Any) -> Publication:
    """Validate one saved revision with its output options and write its YAML."""
    report = validate(document, options_from(saved if isinstance(saved, Mapping) else None))
    if report.ok and report.entities is not None:
        return Publication(catalog_id, name, number, to_yaml(report.entities))
    errors = report.errors
    shown = tuple(
        f"{issue.path}: {issue.message}" if issue.path else issue.message
        for issue in errors[:MAX_ERRORS_SHOWN]
    )
    return Publication(catalog_id, name, number, None, shown, max(len(errors), 1))


class Publisher:
    """What ``/published/...`` serves, read from a store (safe to share between threads)."""

    def __init__(self, store: Store, public_url: str | None = None) -> None:
        self.store = store
        self.public_url = public_base(public_url)
        self._cache: OrderedDict[tuple[str, int], Publication] = OrderedDict()
        self._lock = threading.Lock()

    def status(self, catalog_id: str, name: str, number: int) -> Publication:
        """How revision ``number`` of a catalog is published (computed once per revision)."""
        key = (catalog_id, number)
        with self._lock:
            if (found := self._cache.get(key)) is not None:
                self._cache.move_to_end(key)
                return found
        revision = self.store.revision(catalog_id, number)
        result = publication(catalog_id, name, number, revision.document, revision.output_options)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def statuses(self) -> list[Publication]:
        """Every catalog of the library (not deleted) and how it is published."""
        return [
            self.status(summary.id, summary.name, summary.revision) for summary in self.store.list()
        ]

    def target(self, catalog_id: str) -> str:
        """A catalog's target in the Location: absolute with a public URL, else relative."""
        if self.public_url:
            return self.public_url + catalog_path(catalog_id)
        # Backstage resolves a relative target against the Location's own URL.
        return f"./{catalog_id}/{CATALOG_FILE}"

    def location_yaml(self) -> str:
        """The Location entity: one target per published catalog, in a stable (id) order."""
        published = sorted((s for s in self.statuses() if s.published), key=lambda s: s.catalog_id)
        entity = {
            "apiVersion": "backstage.io/v1alpha1",
            "kind": "Location",
            "metadata": {
                "name": LOCATION_NAME,
                "description": "Every catalog saved in Model Catalog Studio without errors.",
            },
            "spec": {"type": "url", "targets": [self.target(s.catalog_id) for s in published]},
        }
        return to_yaml([entity])

    def location(self) -> Answer:
        """The answer for ``GET /published/location.yaml``."""
        return _ok(self.location_yaml())

    def catalog_info(self, catalog_id: str) -> Answer:
        """The answer for ``GET /published/<id>/catalog-info.yaml``: 200, or 404 with why."""
        if not _ID.match(catalog_id):
            return _not_found(f"No catalog {catalog_id!r} in Model Catalog Studio.")
        try:
            summary = self.store.summary(catalog_id)
        except NotFoundError:
            return _not_found(
                f"No catalog {catalog_id!r} in Model Catalog Studio (never saved, or deleted)."
            )
        result = self.status(summary.id, summary.name, summary.revision)
        if result.yaml is None:
            listed = "\n".join(f"- {error}" for error in result.errors)
            return _not_found(
                f"Catalog {summary.name!r} ({catalog_id}) is not published: its last saved "
                f"revision ({summary.revision}) has {result.error_count} error(s). Fix them "
                f"in the Studio and save.\n{listed}"
            )
        return _ok(result.yaml)
