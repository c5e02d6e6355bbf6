"""Split a Markdown document into a tree of sections by its headings.

Headings are ATX (``#`` to ``######``) and setext (a line underlined with ``===`` or
``---``); lines inside fenced code blocks are never headings.  Model cards often use a
paragraph opening with a bold label (``**Training Data:**``) instead of a heading, so such
a line counts as a heading one level below ``######`` (level 7): it can name a section,
and is written back as it was.

Template noise is dropped when text is taken out: HTML comments (the Hugging Face template
is full of guidance comments), the ``[More Information Needed]`` placeholder with any
label left empty by it, and headings whose sections end up empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.markdown import fence_after

BOLD_LEVEL = 7
PLACEHOLDER = re.compile(r"\[More Information Needed\](?:\([^)]*\))?", re.IGNORECASE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BOLD_LABEL = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1[ \t]*:?[ \t]*$")
_NOT_A_SETEXT_TEXT = re.compile(r"^\s*(?:[-*+>|]|\d+[.)]\s|<)")
_EMPTY_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:(?:\*\*|__)[^*_]*(?:\*\*|__))?\s*:?\s*(?:\*\*|__)?\s*:?\s*$"
)
_OPTIONAL = re.compile(r"\s*\[optional\]", re.IGNORECASE)


@dataclass
class Section:
    """One heading and the lines it spans (its own text, then its subsections)."""

    level: int
    title: str
    line: int  # the heading's line index
    start: int  # the first line after the heading
    end: int = 0  # one past the last line of the section, subsections included
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)

    @property
    def own_end(self) -> int:
        """One past the last line of the section's own text, before any subsection."""
        return self.children[0].line if self.children else self.end


@dataclass
class Document:
    """Markdown lines, what each line is, and the section tree."""

    lines: list[str]
    heading: dict[int, Section]  # heading line index -> its section
    skip: set[int]  # setext underlines and lines that were only HTML comment
    code: set[int]  # lines inside (or fencing) code blocks
    cleaned: dict[int, str]  # lines that held part of an HTML comment, without it
    sections: list[Section]  # the top-level sections

    def text(self, start: int, end: int, top: int | None = None) -> str:
        """Lines ``start:end`` cleaned of template noise, headings of level ``top`` (when
        given) rewritten as ``##`` and those below them shifted alike."""
        out: list[tuple[int | None, str]] = []  # (heading level or None, line)
        for i in range(start, min(end, len(self.lines))):
            if i in self.skip:
                continue
            line = self.cleaned.get(i, self.lines[i])
            if i in self.code:
                out.append((None, line))
                continue
            section = self.heading.get(i)
            if section is not None and section.level < BOLD_LEVEL:
                level = section.level
                if top is not None:
                    level = max(2, min(6, section.level - top + 2))
                out.append((section.level, "#" * level + " " + clean_title(section.title)))
                continue
            if PLACEHOLDER.search(line):
                line = PLACEHOLDER.sub("", line)
                if _EMPTY_LABEL.match(line):
                    continue
            out.append((section.level if section else None, line.rstrip()))
        return _join(_prune_empty_headings(out))


def clean_title(title: str) -> str:
    """A heading's text without the template's ``[optional]`` mark."""
    return _OPTIONAL.sub("", title).strip()


def parse(text: str) -> Document:
    """Parse Markdown text into lines and a tree of sections."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    code: set[int] = set()
    skip: set[int] = set()
    cleaned: dict[int, str] = {}
    found: list[Section] = []
    fence: str | None = None
    in_comment = False
    for i, line in enumerate(lines):
        if fence is None and not in_comment:
            fence = fence_after(line, None) if ("``" in line or "~~" in line) else None
            if fence is not None:
                code.add(i)
                continue
        elif fence is not None:
            code.add(i)
            fence = fence_after(line, fence)
            continue
        # Outside code: HTML comments (template guidance, commented-out sections) go.
        was_in_comment = in_comment
        if not in_comment and "<!--" not in line:
            text = line  # the common case, without the scan
        else:
            text, in_comment = _strip_comments(line, in_comment)
        if text != line:
            cleaned[i] = text
            if not text.strip():
                skip.add(i)
                continue
        if i in skip or was_in_comment:
            continue
        section = _heading_at(lines, i, code, skip)
        if section is not None:
            found.append(section)
            if section.start == i + 2:
                skip.add(i + 1)
    sections = _tree(found, len(lines))
    heading = {s.line: s for s in found}
    return Document(lines, heading, skip, code, cleaned, sections)


def _heading_at(lines: list[str], i: int, code: set[int], skip: set[int]) -> Section | None:
    """The heading on line ``i``, if any (code and comment-only lines end a paragraph)."""
    line = lines[i]
    if m := _ATX.match(line):
        return Section(len(m.group(1)), (m.group(2) or "").strip(), i, i + 1)
    after_break = i == 0 or not lines[i - 1].strip() or (i - 1) in code or (i - 1) in skip
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if (
        line.strip()
        and after_break
        and not _NOT_A_SETEXT_TEXT.match(line)
        and (m := _SETEXT.match(nxt))
    ):
        return Section(1 if m.group(1)[0] == "=" else 2, line.strip(), i, i + 2)
    if after_break and (m := _BOLD_LABEL.match(line.strip())):
        label = m.group(2).strip()
        # A label ends in a colon or is a few words; a whole bold sentence is emphasis.
        if (
            "**" not in label
            and "__" not in label
            and (line.rstrip().endswith(":") or label.endswith(":") or _is_short_label(label))
        ):
            return Section(BOLD_LEVEL, label.rstrip(":").strip(), i, i + 1)
    return None


def _is_short_label(label: str) -> bool:
    return len(label.split()) <= 5 and not re.search(r"[.!?]$", label)


def _tree(found: list[Section], total: int) -> list[Section]:
    """Nest sections by level; each ends where a section of its level or above starts."""
    roots: list[Section] = []
    stack: list[Section] = []
    for section in found:
        while stack and stack[-1].level >= section.level:
            stack.pop().end = section.line
        if stack:
            section.parent = stack[-1]
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    for section in stack:
        section.end = total
    return roots


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """``line`` without HTML comments, and whether a comment is still open after it."""
    out: list[str] = []
    i = 0
    while i < len(line):
        if in_comment:
            j = line.find("-->", i)
            if j < 0:
                return "".join(out), True
            i, in_comment = j + 3, False
        else:
            j = line.find("<!--", i)
            if j < 0:
                out.append(line[i:])
                break
            out.append(line[i:j])
            i, in_comment = j + 4, True
    return "".join(out), in_comment


def _prune_empty_headings(items: list[tuple[int | None, str]]) -> list[str]:
    """Drop headings whose section (up to the next heading of its level) holds no text."""
    # One pass from the end: has_text[n] says whether text follows before the next
    # heading of level n or above, so the work stays linear in the number of lines.
    has_text = [False] * (BOLD_LEVEL + 1)
    keep: list[str] = []
    for level, line in reversed(items):
        if level is None:
            if line.strip():
                has_text = [True] * (BOLD_LEVEL + 1)
            keep.append(line)
            continue
        if has_text[level]:
            keep.append(line)
        for deeper in range(level, BOLD_LEVEL + 1):
            has_text[deeper] = False
    keep.reverse()
    return keep


def _join(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)
