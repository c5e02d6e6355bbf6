"""Backstage's validation rules for names, tags, keys, references and URLs.

Each predicate mirrors one function of Backstage's catalog-model
``CommonValidatorFunctions`` / ``KubernetesValidatorFunctions``
(packages/catalog-model/src/validation/), which ``makeValidator`` composes.
They return a bool; the catalog's checks turn a ``False`` into an issue.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ``\Z``, not ``$``: in Python ``$`` also matches before a final newline ("abc\n"), which
# JavaScript's ``$`` (Backstage's rules) does not.
_ENTITY_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_DNS_LABEL = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
_TAG = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*\Z")
_KIND = re.compile(r"^[a-zA-Z][a-z0-9A-Z]*\Z")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*\Z")
_WHITESPACE = re.compile(r"\s+")
_ANY_WHITESPACE = re.compile(r"\s")  # the same characters as str.isspace
# scheme://host[:port] then a path, query or fragment: plain ASCII, no brackets, no spaces.
_SIMPLE_URL = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9.:_~%!$&'()*+,;=@-]+(?:[/?#][!-~]*)?\Z"
)

ENTITY_NAME_RULE = (
    "1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
)
TAG_RULE = "1-63 characters: lower-case letters, digits, ':', '+', '#', separated by single '-'"


def is_valid_entity_name(value: str) -> bool:
    """Backstage ``isValidObjectName``: 1-63 chars of ``[-A-Za-z0-9_.]``, alphanumeric ends."""
    return 1 <= len(value) <= 63 and _ENTITY_NAME.match(value) is not None


def is_valid_dns_label(value: str) -> bool:
    """Backstage ``isValidDnsLabel`` (namespaces): RFC 1123 label, lower case."""
    return 1 <= len(value) <= 63 and _DNS_LABEL.match(value) is not None


def is_valid_dns_subdomain(value: str) -> bool:
    """Backstage ``isValidDnsSubdomain``: dot-separated DNS labels, at most 253 chars."""
    return 1 <= len(value) <= 253 and all(is_valid_dns_label(p) for p in value.split("."))


@lru_cache(maxsize=16384)  # the same tags recur across a catalog
def is_valid_tag(value: str) -> bool:
    """Backstage ``isValidTag``: 1-63 chars, ``^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$``."""
    return 1 <= len(value) <= 63 and _TAG.match(value) is not None


def is_valid_kind(value: str) -> bool:
    """Backstage ``isValidKind``: a letter followed by letters and digits, 1-63 chars."""
    return 1 <= len(value) <= 63 and _KIND.match(value) is not None


@lru_cache(maxsize=16384)
def is_valid_annotation_key(value: str) -> bool:
    """Backstage ``isValidAnnotationKey``: ``name`` or ``prefix/name``."""
    parts = value.split("/")
    if len(parts) == 1:
        return is_valid_entity_name(parts[0])
    if len(parts) == 2:
        return is_valid_dns_subdomain(parts[0]) and is_valid_entity_name(parts[1])
    return False


def is_valid_url(value: str) -> bool:
    """An absolute URL: a scheme and a location (``https://``, ``s3://``, ``oci://``...)."""
    if _SIMPLE_URL.match(value):  # the usual case, which urlsplit would accept: skip it
        return True
    if not value or _ANY_WHITESPACE.search(value):
        return False
    from urllib.parse import urlsplit  # only for the unusual URL (saves a command's start)

    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme) and _SCHEME.match(parts.scheme) is not None and bool(parts.netloc)


def parse_entity_ref(ref: str, default_kind: str | None = None) -> tuple[str | None, str, str]:
    """Split ``[kind:][namespace/]name`` into ``(kind, namespace, name)``."""
    kind: str | None = default_kind
    rest = ref
    if ":" in rest:
        kind, rest = rest.split(":", 1)
    namespace = "default"
    if "/" in rest:
        namespace, rest = rest.split("/", 1)
    return kind, namespace, rest


@lru_cache(maxsize=16384)  # owners and dependencies recur in every entity
def is_valid_entity_ref(ref: str) -> bool:
    """Whether ``[kind:][namespace/]name`` has valid parts."""
    kind, namespace, name = parse_entity_ref(ref)
    if kind is not None and not is_valid_kind(kind):
        return False
    if "/" in name or ":" in name:
        return False
    return is_valid_dns_label(namespace) and is_valid_entity_name(name)


def strip_whitespace(value: str) -> str:
    """Remove all whitespace, as the mapping does for entity names and tags."""
    # Every whitespace character but the space is unprintable: the usual name or tag,
    # printable and without a space, holds none (two C-speed looks, not a regex).
    if value.isprintable() and " " not in value:
        return value
    return _WHITESPACE.sub("", value)


def slug(value: str, fallback: str = "unnamed") -> str:
    """Turn any text into a valid entity name (``ibm-granite/granite-3.1-8b`` ->
    ``ibm-granite-granite-3.1-8b``)."""
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", value.strip())
    text = re.sub(r"-{2,}", "-", text)
    text = re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", text)
    text = text[:63]
    text = re.sub(r"[^A-Za-z0-9]+$", "", text)
    return text or fallback


@lru_cache(maxsize=16384)  # the same tags recur across a catalog, and every tag is checked
def tag_slug(value: str) -> str:
    """Turn text into a valid tag (``Bad Tag`` -> ``bad-tag``), or '' when nothing survives.

    The one tag fix: the validation fix, ``convert --fix`` and both importers use it.
    """
    text = re.sub(r"[^a-z0-9:+#]+", "-", value.strip().lower())
    text = re.sub(r"^-+|-+$", "", text)[:63]
    return re.sub(r"-+$", "", text)
