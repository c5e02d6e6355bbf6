"""SPDX license identifiers: recognise them in any letter case and link to them."""

from __future__ import annotations

import os
from functools import cache, lru_cache

from catalog.rules import is_valid_url

SPDX_URL = "https://spdx.org/licenses/{id}.html"


@cache
def spdx_ids() -> dict[str, str]:
    """Map each lower-cased SPDX license identifier to its canonical spelling."""
    # A plain file read: importlib.resources would cost a command's start more than all
    # of the catalog's own modules together.
    path = os.path.join(os.path.dirname(__file__), "data", "spdx-license-ids.txt")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    ids = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {i.lower(): i for i in ids}


def canonical_spdx(value: str) -> str | None:
    """The canonical SPDX id for ``value`` (any letter case), or None."""
    return spdx_ids().get(value.strip().lower())


def suggest_spdx(value: str) -> str | None:
    """The closest SPDX id to a near miss such as ``Apache-2`` or ``apache 2.0``."""
    key = value.strip().lower().replace(" ", "-")
    if key in spdx_ids():
        return spdx_ids()[key]
    for candidate in (key + ".0", key.replace("-license", "")):
        if candidate in spdx_ids():
            return spdx_ids()[candidate]
    import difflib  # only for a near miss

    close = difflib.get_close_matches(key, list(spdx_ids()), n=1, cutoff=0.85)
    return spdx_ids()[close[0]] if close else None


@lru_cache(maxsize=4096)  # a catalog has few licences and many models
def license_url(value: str | None) -> str | None:
    """The License link: a URL as it is, an SPDX id as its spdx.org page, else None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if is_valid_url(text):
        return text
    spdx = canonical_spdx(text)
    return SPDX_URL.format(id=spdx) if spdx else None
