"""A small client for a running Backstage catalog's REST API (``/api/catalog``).

It asks Backstage itself what it makes of what the Studio publishes: a dry run of a
location, registering it, the entities and relations Backstage computed, each processing
error next to the entity it concerns (also for entities that never validated, which only
the ``catalog-backend-module-unprocessed`` endpoints list), refresh, validate-entity, and
the model servers a Backstage already knows; what it reports is plain data from
:mod:`catalog.backstage_entities` (re-exported here).  Every request has bounded timeouts
and a bounded response size.  Failures are few named exceptions whose messages are for people::

    BackstageError              anything that went wrong talking to Backstage
     +-- BackstageUnreachable   no answer at the URL (down, wrong port, timeout)
     +-- BackstageAuthError     401: no token, or not one Backstage accepts
     +-- ReadingNotAllowed      Backstage may not read a host (``backend.reading.allow``)
     +-- BackstageRefused       any other error answer, with Backstage's own message
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from catalog.backstage_entities import (
    BACKSTAGE_ANNOTATIONS,
    KIND_ORDER,
    LOCATION_ANNOTATION,
    ORIGIN_ANNOTATION,
    DryRun,
    EntityReport,
    Location,
    LocationReport,
    Verdict,
    allow_host,
    entity_ref,
    entity_report,
    error_text,
    not_allowed_url,
    out_of_step,
    published_entity,
    reading_allow_config,
    status_errors,
    text_urls,
)
from catalog.errors import CatalogError

__all__ = [
    "BACKSTAGE_ANNOTATIONS",
    "ENV_TOKEN",
    "ENV_URL",
    "KIND_ORDER",
    "LOCATION_ANNOTATION",
    "ORIGIN_ANNOTATION",
    "Backstage",
    "BackstageAuthError",
    "BackstageError",
    "BackstageRefused",
    "BackstageUnreachable",
    "DryRun",
    "EntityReport",
    "Location",
    "LocationReport",
    "ReadingNotAllowed",
    "Verdict",
    "allow_host",
    "entity_ref",
    "from_environment",
    "not_allowed_url",
    "out_of_step",
    "published_entity",
    "reading_allow_config",
    "reading_allowed",
    "text_urls",
    "validate_entities",
]

ENV_URL = "MODEL_CATALOG_BACKSTAGE_URL"
ENV_TOKEN = "MODEL_CATALOG_BACKSTAGE_TOKEN"  # noqa: S105 - the variable's name
#: Seconds to wait for a connection, and for an answer (a dry run reads and processes).
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0
#: The largest answer read from Backstage; a whole catalog of entities fits easily.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: How many polls in a row a report must stay the same to count as settled.
STEADY_POLLS = 3
#: Entities per page when listing.
PAGE_SIZE = 500


class BackstageError(CatalogError):
    """Talking to Backstage failed; the message says why, for a person."""


class BackstageUnreachable(BackstageError):
    """Backstage did not answer at the configured URL."""


class BackstageAuthError(BackstageError):
    """Backstage answered 401: the token is missing or not accepted."""


class BackstageRefused(BackstageError):
    """Backstage answered with an error; ``message`` is Backstage's own text."""

    def __init__(
        self,
        text: str,
        *,
        status: int = 0,
        name: str = "",
        message: str = "",
        errors: list[str] | None = None,
    ) -> None:
        super().__init__(text)
        self.status = status
        self.name = name
        self.message = message or text
        #: Every error of the answer (``validate-entity`` lists them all).
        self.errors = list(errors or [])


class ReadingNotAllowed(BackstageRefused):
    """Backstage may not read ``url``: its ``backend.reading.allow`` lacks the host."""

    def __init__(self, url: str, message: str, *, status: int = 0) -> None:
        self.url = url
        self.host = allow_host(url)
        super().__init__(
            f"Backstage is not allowed to read {url}. Ask its administrator to add the host "
            f"{self.host} to backend.reading.allow in Backstage's app-config.yaml, then "
            f"restart Backstage:\n\n{self.config_lines}",
            status=status,
            name="NotAllowedError",
            message=message,
        )

    @property
    def config_lines(self) -> str:
        """The exact ``app-config.yaml`` lines that let Backstage read :attr:`url`."""
        return reading_allow_config([self.url])


# -- the client ---------------------------------------------------------------------------


class Backstage:
    """A Backstage catalog at ``url`` (its base URL), called with a static ``token``."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        url = url.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BackstageError(
                f"{url or '(empty)'} is not a Backstage URL: give its base address, "
                "e.g. http://localhost:7007"
            )
        self.url = url.removesuffix("/api/catalog")
        self.token = token or None
        self.timeout = (connect_timeout, read_timeout)
        self._http = requests.Session()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Backstage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, params: Any = None, body: Any = None
    ) -> tuple[int, Any]:
        """One request to ``/api/catalog<path>``: the status and the parsed JSON answer."""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        address = f"{self.url}/api/catalog{path}"
        try:
            with self._http.request(
                method,
                address,
                params=params,
                json=body,
                headers=headers,
                timeout=self.timeout,
                stream=True,
                allow_redirects=False,
            ) as response:
                raw = _bounded(response)
                status = response.status_code
        except requests.Timeout:
            raise BackstageUnreachable(
                f"Backstage at {self.url} did not answer within {self.timeout[1]:.0f} seconds"
            ) from None
        except requests.ConnectionError:
            raise BackstageUnreachable(
                f"Backstage is unreachable at {self.url}: nothing answers there. Check that "
                "it is running and that this is its base address (e.g. http://localhost:7007)"
            ) from None
        except requests.RequestException as exc:
            raise BackstageUnreachable(
                f"Backstage at {self.url} could not be asked: {exc}"
            ) from None
        data: Any = None
        if raw.strip():
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
                if status < 400:
                    raise BackstageRefused(
                        f"{address} did not answer with JSON: is {self.url} a Backstage?",
                        status=status,
                    ) from None
        if status == 401:
            raise BackstageAuthError(
                f"Backstage at {self.url} refused the token (401): "
                + (
                    f"{ENV_TOKEN} is not set, and this Backstage requires one"
                    if not self.token
                    else f"{ENV_TOKEN} is not a token it accepts (check "
                    "backend.auth.externalAccess in its app-config.yaml)"
                )
            )
        if status >= 400 or (status >= 300 and not data):
            raise _refusal(status, data, address, base=self.url)
        return status, data

    def _pages(self, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every entity ``/entities/by-query`` gives for ``params``, page by page."""
        query: dict[str, Any] = {**params, "limit": str(PAGE_SIZE)}
        while True:
            _, data = self._call("GET", "/entities/by-query", params=query)
            data = data if isinstance(data, dict) else {}
            yield from (i for i in data.get("items") or [] if isinstance(i, dict))
            cursor = (data.get("pageInfo") or {}).get("nextCursor")
            if not cursor:
                return
            query = {"cursor": cursor, "limit": str(PAGE_SIZE)}

    # -- locations ----------------------------------------------------------------------

    def dry_run(self, target: str) -> DryRun:
        """What Backstage would create from the location ``target`` (stores nothing).

        Backstage reports only the first problem of a dry run; it raises
        :class:`BackstageRefused` (or :class:`ReadingNotAllowed`) with it.
        """
        _, data = self._call(
            "POST", "/locations", params={"dryRun": "true"}, body={"type": "url", "target": target}
        )
        data = data if isinstance(data, dict) else {}
        entities = [e for e in data.get("entities") or [] if isinstance(e, dict)]
        return DryRun(target, entities, bool(data.get("exists")))

    def locations(self) -> list[Location]:
        """Every location registered in Backstage."""
        _, data = self._call("GET", "/locations")
        out = []
        for item in data if isinstance(data, list) else []:
            loc = item.get("data", item) if isinstance(item, dict) else {}
            if isinstance(loc, dict) and loc.get("id"):
                out.append(Location(str(loc["id"]), str(loc.get("type")), str(loc.get("target"))))
        return out

    def find_location(self, target: str) -> Location | None:
        """The registered location that reads ``target``, if any."""
        return next((loc for loc in self.locations() if loc.target == target), None)

    def register(self, target: str) -> Location:
        """Register ``target`` as a ``url`` location (an existing one is returned as is)."""
        try:
            _, data = self._call("POST", "/locations", body={"type": "url", "target": target})
        except BackstageRefused as exc:
            if exc.status == 409:
                found = self.find_location(target)
                if found is not None:
                    return Location(found.id, found.type, found.target, existed=True)
            raise
        loc = (data or {}).get("location") or {}
        return Location(str(loc.get("id")), str(loc.get("type")), str(loc.get("target")))

    def unregister(self, location_id: str) -> None:
        """Remove a location (Backstage then removes the entities only it brought)."""
        self._call("DELETE", f"/locations/{quote(location_id, safe='')}")

    # -- what Backstage made of it ------------------------------------------------------

    def _unprocessed(self, which: str) -> list[dict[str, Any]] | None:
        try:
            _, data = self._call("GET", f"/entities/unprocessed/{which}")
        except BackstageRefused as exc:
            if exc.status == 404:
                return None
            raise
        entities = (data or {}).get("entities") if isinstance(data, dict) else None
        return [e for e in entities or [] if isinstance(e, dict)]

    def report(self, target: str) -> LocationReport:
        """The entities registered from ``target``: state, relations, errors next to each."""
        origin = f"url:{target}"
        found: dict[str, EntityReport] = {}
        for entity in self._pages({"filter": f"metadata.annotations.{ORIGIN_ANNOTATION}={origin}"}):
            rep = entity_report(entity, "processed", status_errors(entity))
            found[rep.ref] = rep
        report = LocationReport(target)
        for which in ("pending", "failed"):
            states = self._unprocessed(which)
            if states is None:
                report.sees_unprocessed = False
                continue
            for row in states:
                raw = row.get("unprocessed_entity")
                raw = raw if isinstance(raw, dict) else {}
                annotations = (raw.get("metadata") or {}).get("annotations") or {}
                mine = annotations.get(ORIGIN_ANNOTATION) == origin or (
                    row.get("location_key") == origin
                )
                if not mine:
                    continue
                errors = [error_text(e) for e in row.get("errors") or []]
                ref = str(row.get("entity_ref") or entity_ref(raw)).lower()
                if ref in found:
                    # In the catalog from an earlier read; the newest read failed.
                    found[ref].errors.extend(e for e in errors if e not in found[ref].errors)
                    continue
                rep = entity_report(raw, which, errors)
                rep.ref = ref
                found[ref] = rep
        report.entities = sorted(found.values(), key=lambda e: (KIND_ORDER.get(e.kind, 9), e.ref))
        return report

    def settle(
        self,
        target: str,
        *,
        timeout: float = 20.0,
        interval: float = 0.5,
        until: Callable[[LocationReport], bool] | None = None,
    ) -> LocationReport:
        """:meth:`report`, polled until Backstage has processed the location (or timeout).

        Backstage processes a new location in the background: its entities appear a
        second or two after registering.  It is done when the location's own entity is in
        and no entity is still pending without an error, and then either ``until`` holds
        or the report stayed the same for :data:`STEADY_POLLS` polls in a row (relations
        are stitched shortly after the entities, a nested location's entities later).
        """
        deadline = time.monotonic() + timeout
        previous: list[Any] | None = None
        steady = 0
        while True:
            report = self.report(target)
            shape = [(e.ref, e.state, e.relations, e.errors) for e in report.entities]
            steady = steady + 1 if shape == previous else 0
            done = (
                bool(report.entities)
                and not report.processing
                and (until(report) if until else steady >= STEADY_POLLS)
            )
            if done or time.monotonic() >= deadline:
                return report
            previous = shape
            time.sleep(interval)

    def entity(self, ref: str) -> dict[str, Any] | None:
        """The entity ``kind:namespace/name`` as Backstage has it, or None."""
        kind, _, rest = ref.partition(":")
        namespace, _, name = rest.rpartition("/")
        path = "/".join(quote(p, safe="") for p in (kind, namespace or "default", name))
        try:
            _, data = self._call("GET", f"/entities/by-name/{path}")
        except BackstageRefused as exc:
            if exc.status == 404:
                return None
            raise
        return data if isinstance(data, dict) else None

    def entities_by_refs(self, refs: list[str]) -> list[dict[str, Any]]:
        """The entities named by ``refs`` that Backstage has, in that order."""
        if not refs:
            return []
        _, data = self._call("POST", "/entities/by-refs", body={"entityRefs": refs})
        items = (data or {}).get("items") if isinstance(data, dict) else None
        return [i for i in items or [] if isinstance(i, dict)]

    def refresh(self, ref: str) -> None:
        """Ask Backstage to process ``ref`` again now (and re-read its location)."""
        self._call("POST", "/refresh", body={"entityRef": ref})

    def validate_entity(self, entity: dict[str, Any], location: str) -> list[str]:
        """Backstage's verdict on one entity: every error it finds ([] when it accepts it).

        ``location`` is where the entity comes from (``url:<address>``); Backstage resolves
        relative ``$text`` references against it.
        """
        try:
            self._call("POST", "/validate-entity", body={"entity": entity, "location": location})
        except BackstageRefused as exc:
            if exc.status == 400 and exc.errors:
                return exc.errors
            raise
        return []

    # -- model servers ------------------------------------------------------------------

    def model_servers(self) -> list[dict[str, Any]]:
        """Every Component of type ``model-server`` Backstage knows, by name."""
        found = list(self._pages({"filter": "kind=component,spec.type=model-server"}))
        return sorted(found, key=entity_ref)

    def server_entities(self, server: dict[str, Any]) -> list[dict[str, Any]]:
        """A model server with its models (``dependsOn`` Resources) and APIs (``providesApi``)."""
        refs = [
            str(r.get("targetRef"))
            for r in server.get("relations") or []
            if isinstance(r, dict)
            and (r.get("type"), str(r.get("targetRef", "")).split(":")[0])
            in (("dependsOn", "resource"), ("providesApi", "api"))
        ]
        return [server, *self.entities_by_refs(list(dict.fromkeys(refs)))]


#: The order entities are listed in: locations, then servers, APIs and models.
def _bounded(response: requests.Response) -> bytes:
    """The body of ``response``, refusing one larger than :data:`MAX_RESPONSE_BYTES`."""
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise BackstageRefused(
                f"Backstage's answer is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB; "
                "the Studio stops reading there",
                status=response.status_code,
            )
        chunks.append(chunk)
    return b"".join(chunks)


#: Statuses that, without Backstage's error body, mean no catalog API answers at the URL.
NOT_A_CATALOG = (404, 405, 501)


def _refusal(status: int, data: Any, address: str, base: str = "") -> BackstageRefused:
    """The exception for an error answer (Backstage's ``{error: {name, message}}``)."""
    errors: list[str] = []
    name = message = ""
    if isinstance(data, dict):
        if isinstance(data.get("error"), dict):
            name = str(data["error"].get("name") or "")
            message = str(data["error"].get("message") or "")
        if isinstance(data.get("errors"), list):
            errors = [error_text(e) for e in data["errors"]]
            message = message or "; ".join(errors)
    # Also "Placeholder $text could not read location X, NotAllowedError: Reading from 'X'
    # is not allowed ...": a definition on a host Backstage may not read.
    url = not_allowed_url(message)
    if url is not None:
        exc: BackstageRefused = ReadingNotAllowed(url, message, status=status)
    else:
        what = f"{name}: {message}" if name and message else (message or name)
        if not what and status in NOT_A_CATALOG and base:
            # A wrong address (the frontend, a path too many, another server): say so.
            what = (
                f"nothing at {base} answers as Backstage's catalog; check that it is "
                "Backstage's base address (its backend, e.g. http://localhost:7007)"
            )
        exc = BackstageRefused(
            f"Backstage answered {status}: {what or 'no reason given'} ({address})",
            status=status,
            name=name,
            message=message or what,
        )
    exc.errors = errors
    return exc


# -- helpers for callers ------------------------------------------------------------------


def reading_allowed(client: Backstage, url: str) -> bool:
    """Whether Backstage may read ``url`` (asked with a dry run of it as a location).

    A host Backstage may not read fails with "not allowed"; anything else (the text is
    no entity, or it cannot be fetched) means the reading itself was allowed.
    """
    try:
        client.dry_run(url)
    except ReadingNotAllowed as exc:
        return allow_host(exc.url) != allow_host(url)
    except BackstageRefused:
        return True
    return True


def from_environment(environ: Mapping[str, str]) -> Backstage | None:
    """The Backstage ``MODEL_CATALOG_BACKSTAGE_URL`` names (None when it is not set)."""
    url = (environ.get(ENV_URL) or "").strip()
    if not url:
        return None
    return Backstage(url, (environ.get(ENV_TOKEN) or "").strip() or None)


def validate_entities(
    client: Backstage, entities: Iterable[dict[str, Any]], location: str
) -> list[Verdict]:
    """Ask Backstage to validate each entity, as if read from ``location``."""
    return [Verdict(entity_ref(e), client.validate_entity(e, location)) for e in entities]
