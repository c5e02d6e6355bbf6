"""Text helpers for the UI: markdown escaping for user text, and field labels."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all
# of them also defuses Streamlit's own directives (``:red[...]``, ``:material/x:``).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=/])")
_ACRONYMS = {"url": "URL", "api": "API", "id": "ID"}
_WORDS = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|$|[^A-Za-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def escape_markdown(text: str) -> str:
    """Return ``text`` so that Streamlit's markdown shows it literally (never as markup)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # Markdown would join lines and eat leading spaces; keep the user's line breaks.
    return escaped.replace("\n", "  \n")


def humanize(name: str) -> str:
    """A field name as a label: ``artifactLocationURL`` -> ``Artifact location URL``."""
    words = _WORDS.findall(name) or [name]
    out = []
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in _ACRONYMS:
            out.append(_ACRONYMS[lower])
        elif word.isupper() and len(word) > 1:
            out.append(word)
        else:
            out.append(lower.capitalize() if index == 0 else lower)
    return " ".join(out)


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
