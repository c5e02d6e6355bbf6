"""The quick paths taken for the usual input give exactly what the general ones do."""

from __future__ import annotations

import re
import sys

import pytest

from catalog.rules import strip_whitespace

WHITESPACE = re.compile(r"\s+")


def test_no_whitespace_character_escapes_the_quick_path() -> None:
    """strip_whitespace skips the regex for printable text without a space: every other
    whitespace character must be unprintable, or it would be kept in names and tags."""
    missed = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if WHITESPACE.fullmatch(chr(code)) and strip_whitespace(f"a{chr(code)}b") != "ab"
    ]
    assert missed == []


@pytest.mark.parametrize(
    "value",
    ["granite-8b", "granite 8b", "a\tb", "a\u00a0b", "a\u3000b", "\u2028x", "x\n", "", "\x1cz"],
)
def test_strip_whitespace_removes_every_kind_of_whitespace(value: str) -> None:
    assert strip_whitespace(value) == WHITESPACE.sub("", value)
