"""Markdown for TechDocs pages: escape what we interpolate, defuse what the user wrote.

Pages are built around names, tags, owners and URLs that come from the catalog.  Those go
in through :func:`md_text` (plain text: no link, emphasis, HTML or attribute list
survives), :func:`md_code` (a code span) and :func:`md_url` (a link only for http and
https).  Text the user wrote as Markdown goes in as Markdown through :func:`md_block`,
which only defuses what would make the TechDocs build read files or run programs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from catalog.rules import is_valid_url

# Characters with a Markdown meaning that a backslash escapes (Python-Markdown's list),
# and characters it does not, which become entities: HTML (<>&), tables (|), autolinks
# and emoji (:@), pymdownx's ~ ^ = and attribute lists ({} are in the first group).
_BACKSLASHED = frozenset("\\`*_{}[]()#+!")
_ENTITIES = {
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;", ":": "&#58;",
    "@": "&#64;", "~": "&#126;", "^": "&#94;", "=": "&#61;", '"': "&quot;",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def md_text(text: str) -> str:
    """Plain text as inline Markdown: no link, emphasis, HTML or attribute survives."""
    out = []
    for ch in _one_line(text):
        if ch in _BACKSLASHED:
            out.append("\\" + ch)
        else:
            out.append(_ENTITIES.get(ch, ch))
    # A bare www.example.com would be auto-linked by pymdownx.magiclink.
    return re.sub(r"(?i)(www)\.", r"\1&#46;", "".join(out))


def md_code(text: str) -> str:
    """Text as an inline code span, fenced with more backticks than it holds."""
    text = _one_line(text)
    if not text:
        return ""
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_codes(items: Sequence[str]) -> str:
    """Several code spans separated by commas (tags, for instance)."""
    return ", ".join(md_code(i) for i in items)


def md_href(url: str) -> str:
    """A URL percent-encoded so it cannot end a Markdown link or break out of an href."""
    return quote(url, safe="/:?#[]@!$&*+,;=%-._~")


def md_url(url: str) -> str:
    """A web link (http/https only) shown as its address; any other URL as code."""
    url = url.strip()
    if is_valid_url(url) and urlsplit(url).scheme.lower() in ("http", "https"):
        return f"<{md_href(url)}>"
    return md_code(url)


# The two line shapes pymdownx.snippets acts on (its RE_ALL_SNIPPETS and
# RE_SNIPPET_SECTION): group 1 is what comes before the place its ';' escape goes.
_SNIPPET_LINE = re.compile(
    r"""^([ \t]*);*(?:-+8<-+[ \t]+(?:"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')(?![ \t])"""
    r"|-+8<-+(?![ \t]))\r?$"
)
_SNIPPET_SECTION = re.compile(
    r"(?i)^(.*?);*-+8<-+[ \t]+\[[ \t]*(?:start|end)[ \t]*:[ \t]*[a-z][-_0-9a-z]*[ \t]*\]"
)
_UML_FENCE = re.compile(r"((?:`{3}|~{3})[ \t]*\{?\.?)(?:(?:c4)?plant)?uml(?![\w-])")
_GRAPHVIZ_FENCE = re.compile(r"^(`{3,}|~{3,})graphviz\b", re.MULTILINE)
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def md_block(text: str) -> str:
    """The user's Markdown, made safe for the TechDocs build and closed off.

    techdocs-core turns on pymdownx.snippets (``--8<-- "file"`` pastes a file of the
    repository into the page), plantuml_markdown and markdown_inline_graphviz (which run
    programs the builder may not have, failing the build).  Snippet lines get the escape
    the snippets extension itself defines (a leading ``;``, which it removes again); diagram
    fences become plain ``text`` code blocks.  A code fence left open is closed, so it
    cannot swallow the rest of the page.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        # Cheap tests first: user text can be long, and most lines hold none of this.
        if "uml" in line:
            line = _UML_FENCE.sub(r"\1text", line).replace("::uml::", "::uml ::")
        if line.startswith("{%"):
            line = " " + line  # markdown_inline_graphviz only looks at column 0
        if "8<" in line and (
            (m := _SNIPPET_LINE.match(line)) or (m := _SNIPPET_SECTION.match(line))
        ):
            line = m.group(1) + ";" + line[m.end(1) :]
        if "``" in line or "~~" in line:
            fence = fence_after(line, fence)
        lines[i] = line
    if fence is not None:
        lines.append(fence)
    out = "\n".join(lines)
    if "graphviz" in out:
        out = _GRAPHVIZ_FENCE.sub(r"\1text", out)
    return out + "\n"


def fence_after(line: str, fence: str | None) -> str | None:
    """The fence open after ``line`` (None when outside a code block)."""
    m = _FENCE_OPEN.match(line)
    if fence is None:
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            return m.group(1)
        return None
    if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
        return None
    return fence
