"""``python -m catalog validate INPUT --backstage URL``: Backstage's own verdict per entity.

After our rules, every entity goes to the running Backstage's ``validate-entity``; its
message is printed per entity (``backstage: error: <ref>: <message>``).  A catalog our
rules reject is still sent when it converts, so both verdicts show side by side.  Talking
to Backstage failing (unreachable, 401) raises :class:`~catalog.backstage_api.BackstageError`,
which the command line turns into one line and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from catalog import backstage_api as api
from catalog.convert import ConvertOptions, to_entities
from catalog.errors import CatalogError
from catalog.validate import Report


def _entities(args: argparse.Namespace, report: Report) -> list[dict[str, Any]]:
    if report.entities is not None:
        return list(report.entities)
    if report.catalog is None:
        return []
    options = ConvertOptions(
        layout=getattr(args, "layout", "classic"),
        kind=getattr(args, "kind", "AiModelServerAPI"),
        api_definition=getattr(args, "api_definition", "ref"),
    )
    try:
        return to_entities(report.catalog, options)
    except (CatalogError, ValueError, TypeError):
        return []


def location_of(path: str) -> str:
    """The location ref Backstage is told the entities come from (``url:file:///...``)."""
    if path == "-":
        return "url:file:///dev/stdin"
    return f"url:{Path(path).resolve().as_uri()}"


def check_with_backstage(args: argparse.Namespace, report: Report) -> bool:
    """Print Backstage's verdict on every entity; True when it accepts them all."""
    out = sys.stderr if getattr(args, "format", "text") == "json" else sys.stdout
    entities = _entities(args, report)
    if not entities:
        print(
            "backstage: not asked: the catalog does not convert to entities yet "
            "(fix the errors above first)",
            file=out,
        )
        return False
    with api.Backstage(args.backstage, os.environ.get(api.ENV_TOKEN)) as client:
        verdicts = api.validate_entities(client, entities, location_of(args.input))
    refused = [v for v in verdicts if v.errors]
    unreadable: list[str] = []
    for verdict in verdicts:
        if not verdict.errors:
            print(f"backstage: ok: {verdict.ref}", file=out)
        for message in verdict.errors:
            print(f"backstage: error: {verdict.ref}: {message}", file=out)
            if url := api.not_allowed_url(message):
                unreadable.append(url)
    if unreadable:
        print(
            "backstage: it may not read some hosts; its app-config.yaml needs:\n"
            + api.reading_allow_config(unreadable),
            file=out,
        )
    print(
        f"backstage: {len(verdicts) - len(refused)} of {len(verdicts)} entities accepted",
        file=out,
    )
    return not refused
