"""Markdown for TechDocs pages: escape what we interpolate, defuse what the user wrote.

Pages are built around names, tags, owners and URLs that come from the catalog.  Those go
in through :func:`md_text` (plain text: no link, emphasis, HTML or attribute list
survives), :func:`md_code` (a code span) and :func:`md_url` (a link only for http and
https).  Text the user wrote as Markdown goes in as Markdown through :func:`md_block`,
which keeps it Markdown but never lets it become HTML, a script link or a build step.

The page is rendered by Python-Markdown with the extensions techdocs-core turns on, not by
a CommonMark parser, so :func:`md_block` follows that renderer's own rules where it
matters (pymdownx.superfences for fenced code, Python-Markdown's code-span pattern, the
preprocessors that run over code blocks too) and, where it cannot be sure, errs towards
showing text as text.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
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

    What the TechDocs build would act on is defused:

    - techdocs-core turns on pymdownx.snippets (``--8<-- "file"`` pastes a file of the
      repository into the page), plantuml_markdown and markdown_inline_graphviz (which run
      programs the builder may not have, failing the build).  Snippet lines get the escape
      the snippets extension itself defines (a leading ``;``, which it removes again);
      diagram fences become plain ``text`` code blocks.
    - Raw HTML (tags, comments, processing instructions, CDATA) is shown as text: its
      ``<`` becomes ``&lt;``.  Autolinks to http, https and mailto addresses and a bare
      ``<br>`` stay.
    - A link, image or reference definition whose address has a scheme other than http,
      https or mailto (``javascript:``, ``data:``, in any spelling a browser would still
      read) is shown as text; relative addresses and anchors stay links.
    - Attribute lists other than ids and classes (``{: onclick=...}``) and critic markup
      are shown as text.

    Code is left as written: code spans, fenced code and indented code (which becomes a
    fenced block).  A code block or span that something in the build would reach into
    anyway (critic markup, GitHub alert syntax) is written as HTML with every character
    escaped, which shows the same text.  A code fence left open is closed, so it cannot
    swallow the rest of the page.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters show as nothing, and STX/ETX/SOH/EOT are the renderer's own
    # placeholder markers: a user's copy of one could pull stashed HTML into the page.
    # A line of spaces or tabs is blank to the renderer, except as its very first line.
    lines = [line if line.strip(" \t") else "" for line in _CONTROL.sub("", text).split("\n")]
    while len(lines) > 1 and not lines[0]:
        del lines[0]
    while len(lines) > 1 and not lines[-1]:
        del lines[-1]
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
        lines[i] = line
    out_lines: list[str] = []
    after_fence = False
    for segment in _segments(lines):
        if isinstance(segment, _Fence):
            if out_lines and not _blank(out_lines[-1]):
                # A fence right under indented lines would be taken into their code
                # block, where superfences puts its source back as Markdown.
                out_lines.append("")
            out_lines += _fence_lines(segment)
            after_fence = True
        else:
            out_lines += _text_lines(segment, after_fence)
    out = "\n".join(out_lines)
    if "graphviz" in out:
        out = _GRAPHVIZ_FENCE.sub(r"\1text", out)
    return out + "\n"


# --- md_block: code blocks, as pymdownx.superfences finds them -------------------------

# A line that could open or close a fence once tabs are expanded (the renderer expands
# them, four columns a stop, before superfences looks): superfences' prefix characters,
# then three or more backticks or tildes.
_FENCE_CANDIDATE = re.compile(r"^([ >]*)(`{3,}|~{3,})(.*)$")
# The same, in a line of text as written: such a line gets its fence escaped.
_TEXT_FENCE = re.compile(r"[ \t>]*(?=`{3}|~{3})")
_FENCE_LANG = re.compile(r"\.?([\w#.+-]+)")
_DIAGRAM_LANG = re.compile(r"(?i)(?:(?:c4)?plant)?uml|graphviz")
# GitHub/GitLab alerts, which techdocs-core's gh-admonitions plugin rewrites before the
# page is rendered.  The multi-line form re-indents every line up to a later ``>>>``, code
# fences included, so none of it may reach the plugin.
_GH_MULTILINE = re.compile(r"^>>> {0,3}\[!(?:note|tip|important|caution|warning)\]", re.I)
# pymdownx.critic runs over the whole page, code included, and a comment drops what it
# spans: its markers stay out of the text and out of code kept as Markdown.
_CRITIC_MARK = re.compile(r"\{(?:\+\+|--|==|>>|~~)|(?:\+\+|--|==|<<|~~)\}")


@dataclass(frozen=True)
class _Fence:
    """A fenced code block as superfences would take it."""

    indent: str  # the opener's leading whitespace, as written
    fence: str
    lang: str
    body: list[str]
    closer: str | None  # None: left open, closed by md_block


def _segments(lines: list[str]) -> list[_Fence | list[str]]:
    """Split ``lines`` into fenced code blocks and runs of other lines."""
    out: list[_Fence | list[str]] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        found = _fence_at(lines, i)
        if isinstance(found, _Fence):
            if text:
                out.append(text)
                text = []
            out.append(found)
            i += 1 + len(found.body) + (found.closer is not None)
        else:
            text += lines[i:found]
            i = found
    if text:
        out.append(text)
    return out


def _fence_at(lines: list[str], i: int) -> _Fence | int:
    """The fence opened at ``lines[i]``, or the index after the lines that are text.

    This follows pymdownx.superfences line for line: the opener's indentation (spaces) must
    start every non-blank line up to the closer, the closer is the same fence (same length)
    at that indentation, and a line that breaks the rule abandons the fence there, the
    lines so far, that one included, being text.  Openers in a blockquote and backtick
    openers with a backtick after them are not taken (text, their fence escaped), and an
    opener's info is cut to its language, so superfences takes exactly what this takes.
    """
    expanded = lines[i].expandtabs(4)
    m = _FENCE_CANDIDATE.match(expanded)
    if m is None or ">" in m.group(1) or (m.group(2)[0] == "`" and "`" in m.group(3)):
        return i + 1
    width, fence = len(m.group(1)), m.group(2)
    closer = re.compile(re.escape(fence) + r"[ \t]*$")
    for j in range(i + 1, len(lines)):
        line = lines[j].expandtabs(4)
        k = 0
        while k < width and k < len(line) and line[k] in " >":
            k += 1
        prefix, content = line[:k], line[k:]
        if ">" in prefix:
            return j + 1
        if not line.strip():
            continue
        if len(prefix) != width:
            return j + 1
        if closer.match(content) and not content.startswith((" ", "\t")):
            return _Fence(_indent_of(lines[i]), fence, _fence_lang(m.group(3)), lines[i + 1 : j],
                          lines[j])  # fmt: skip
    return _Fence(_indent_of(lines[i]), fence, _fence_lang(m.group(3)), lines[i + 1 :], None)


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _fence_lang(info: str) -> str:
    """The language of a fence's info (``python``, ``.python``, ``{ .python #id }``)."""
    info = info.strip()
    if info.startswith("{"):
        words = info[1:].split("}", 1)[0].split()
        lang = next((w[1:] for w in words if w.startswith(".")), "")
    else:
        m = _FENCE_LANG.match(info)
        lang = m.group(1) if m else ""
    if not re.fullmatch(r"[\w#.+-]*", lang):
        return ""
    return "text" if _DIAGRAM_LANG.fullmatch(lang) else lang


def _fence_lines(fence: _Fence) -> list[str]:
    """A fence as written out: its opener cut to the language, its body as it was."""
    body = "\n".join(fence.body)
    if _CRITIC_MARK.search(body) or any(_GH_MULTILINE.match(line) for line in fence.body):
        return [_pre_html(fence.indent, fence.lang, fence.body)]
    closer = fence.closer if fence.closer is not None else fence.indent + fence.fence
    return [fence.indent + fence.fence + fence.lang, *fence.body, closer]


def _pre_html(indent: str, lang: str, body: list[str]) -> str:
    """A code block as one line of HTML, every character escaped, so nothing reads it."""
    code = "".join(line.expandtabs(4) + "\n" for line in body)
    css = re.sub(r"[^A-Za-z0-9_-]", "", lang)
    attr = f' class="language-{css}"' if css else ""
    return f"{indent}<pre><code{attr}>{_html_chars(code)}</code></pre>"


def _code_html(code: str) -> str:
    """A code span as HTML, every character escaped (what Python-Markdown would show)."""
    return f"<code>{_html_chars(code.replace(chr(10), ' ').strip())}</code>"


def _html_chars(text: str) -> str:
    """Every ASCII character but letters, digits and spaces as a character reference."""
    return "".join(
        ch if ch == " " or not ch.isascii() or ch.isalnum() else f"&#{ord(ch)};" for ch in text
    )


# --- md_block: text and indented code --------------------------------------------------

# What opens a container whose indented lines are not code (lists, quotes, admonitions,
# details, tabs, footnotes, definitions).
_CONTAINER = re.compile(
    r"(?:[-*+](?:[ \t]|$)|\d+[.)](?:[ \t]|$)|>|!!!|\?\?\?|===|\[\^|:(?:[ \t]|$))"
)


def _blank(line: str) -> bool:
    return not line.expandtabs(4).strip(" ")


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _text_lines(lines: list[str], after_fence: bool) -> list[str]:
    """Lines outside fences: indented code becomes a fence, the rest is made safe."""
    out: list[str] = []
    group: list[str] = []
    i = 0
    while i < len(lines):
        run_end = _code_run_end(lines, i, after_fence)
        if run_end is None and not _blank(lines[i]):
            group.append(lines[i])
            i += 1
            continue
        if group:
            out += _safe_group(group)
            group = []
        if run_end is not None:
            out += _code_run(lines[i:run_end])
            i = run_end
        else:
            out.append(lines[i])
            i += 1
    if group:
        out += _safe_group(group)
    return out


def _code_run_end(lines: list[str], i: int, after_fence: bool) -> int | None:
    """Where the indented code block starting at ``lines[i]`` ends, if one starts there.

    Only where Python-Markdown would surely make it code: after a blank line (or first in
    the text) and after a plain paragraph or heading, not in a list, quote or the like (its
    indented lines continue that).  It becomes a fenced block, which is code wherever it
    stands; indented lines that are not taken stay text.
    """
    if _blank(lines[i]) or _indent(lines[i]) < 4:
        return None
    if (i == 0 and after_fence) or (i > 0 and not _blank(lines[i - 1])):
        return None
    j = i - 1
    while j >= 0 and _blank(lines[j]):
        j -= 1
    if (j < 0 and after_fence) or (j >= 0 and _indent(lines[j]) >= 4):
        return None
    while j >= 0 and not _blank(lines[j]):
        if _CONTAINER.match(lines[j].expandtabs(4).lstrip(" ")):
            return None
        j -= 1
    if j < 0 and after_fence:
        return None
    end = i
    while end < len(lines) and (_blank(lines[end]) or _indent(lines[end]) >= 4):
        end += 1
    while _blank(lines[end - 1]):
        end -= 1
    return end


def _code_run(lines: list[str]) -> list[str]:
    """Indented code as a fenced block (or as HTML, when the build would reach into it)."""
    body = [_dedent(line) for line in lines]
    if (
        _CRITIC_MARK.search("\n".join(body))
        or any(line.startswith("{%") or _GH_MULTILINE.match(line) for line in body)
    ):  # fmt: skip
        return [_pre_html("", "", body)]
    fence = "```"
    while any(re.fullmatch(re.escape(fence) + r"[ \t]*", line) for line in body):
        fence += "`"
    return [fence, *body, fence]


def _dedent(line: str) -> str:
    """``line`` without its first four columns (a tab stops at the next multiple of 4)."""
    column = k = 0
    while k < len(line) and column < 4 and line[k] in " \t":
        column = column + 1 if line[k] == " " else (column // 4 + 1) * 4
        k += 1
    return line[k:]


# Python-Markdown's code-span pattern (markdown.inlinepatterns.BACKTICK_RE).
_BACKTICK = re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))", re.DOTALL)


def _code_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Python-Markdown's code spans in ``text``: (start, end, code start, code end)."""
    spans = []
    pos = 0
    while (m := _BACKTICK.search(text, pos)) is not None:
        if m.group(2) is not None:
            spans.append((m.start(), m.end(), m.start(3), m.end(3)))
        else:  # escaped backslashes: the renderer puts a placeholder there
            text = text[: m.start()] + "\x02" * (m.end() - m.start()) + text[m.end() :]
        pos = m.end()
    return spans


def _self_contained(line: str) -> bool:
    """Whether no backtick of ``line`` can pair with one on a following line.

    Then the line's code spans are the same whatever the renderer puts around it (a
    paragraph's other lines, a list item, a table row), since code spans pair left to
    right.  ``line`` followed by a run of every length it holds shows whether any opens.
    """
    longest = max((len(r) for r in re.findall(r"`+", line)), default=0)
    if not longest:
        return True
    probe = line + "\n" + " ".join("`" * n for n in range(1, longest + 1))
    return all(end <= len(line) for start, end, _, _ in _code_spans(probe) if start < len(line))


def _safe_group(lines: list[str]) -> list[str]:
    """A paragraph's worth of lines (no blank line among them) made safe.

    Code spans of lines whose backticks pair within the line stay as written.  Where they
    could pair across lines, or hold a table's ``|`` or critic markup, or start a line as a
    fence would, they are written as HTML, every character escaped; so are spans holding a
    ``<``: Python-Markdown's raw-HTML pass reads code spans too, and after a stray ``&#``
    or ``<!--`` it can mistake a tag in one for the start of a raw HTML block.  Text
    between them goes through :func:`_safe_inline`.
    """
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans: list[tuple[int, int, int, int, bool]] = []
    for n, line in enumerate(lines):
        if not _self_contained(line):
            offset = starts[n]
            spans += [
                (offset + s, offset + e, offset + cs, offset + ce, False)
                for s, e, cs, ce in _code_spans(text[offset:])
            ]
            break
        for s, e, cs, ce in _code_spans(line):
            keep = (
                "<" not in line[s:e]
                and "|" not in line[s:e]
                and not _CRITIC_MARK.search(line[s:e])
                and not (line[s:].startswith("```") and not line[:s].strip(" \t>"))
            )
            spans.append((starts[n] + s, starts[n] + e, starts[n] + cs, starts[n] + ce, keep))
    # The lines as written out (a code span written as HTML joins the lines it spans), and
    # the last "}" of each: whether a "{" could open an attribute list.
    joined = [(s, e) for s, e, _, _, keep in spans if not keep]
    ends = []
    for i, ch in enumerate(text):
        if ch == "\n":
            k = bisect_right(joined, (i, len(text))) - 1
            if k < 0 or joined[k][1] <= i:
                ends.append(i)
    ends.append(len(text))
    closes, start = [], 0
    for end in ends:
        closes.append(text.rfind("}", start, end))
        start = end + 1
    context = _Context(text, ends, closes)
    out: list[str] = []
    pos = 0
    for s, e, cs, ce, keep in spans:
        out.append(_safe_inline(context, pos, s))
        out.append(text[s:e] if keep else _code_html(text[cs:ce]))
        pos = e
    out.append(_safe_inline(context, pos, len(text)))
    return [_defuse_line(line) for line in "".join(out).split("\n")]


def _defuse_line(line: str) -> str:
    """Escape what would make a line of text a code fence or a multi-line GitHub alert."""
    if (m := _TEXT_FENCE.match(line)) is not None:
        line = line[: m.end()] + "\\" + line[m.end() :]
    if _GH_MULTILINE.match(line):
        line = "\\" + line
    return line


# What may stay of raw HTML: a line break, and autolinks to web and mail addresses (what
# Python-Markdown's autolink and automail patterns take, without quotes, brackets, braces,
# backslashes or backticks).
_URL_CHAR = r"[^\s<>\"'`\\{}\[\]"
_KEPT_TAG = re.compile(
    rf"<br ?/?>|<(?:[Hh][Tt][Tt][Pp][Ss]?://{_URL_CHAR}]+"
    rf"|(?:[Mm][Aa][Ii][Ll][Tt][Oo]:)?{_URL_CHAR}@!:]+@{_URL_CHAR}@]+)>",
    re.IGNORECASE,
)
# After these, a "<" cannot start a tag, comment or declaration (and "<-", "<=" are
# smartsymbols' arrows).
_SAFE_AFTER_LT = frozenset(" \t\n-=<0123456789")
_ANGLE_DESTINATION = re.compile(r"\(([ \t]*)<([^<>\n]*)>")
_REFERENCE = re.compile(r"\[([^\[\]]*)\]:")
_SAFE_ATTRIBUTES = re.compile(r"\{:?[ ]*(?:[#.][\w-]+[ ]*)+\}")
_CRITIC_CLOSE = frozenset({"++", "--", "==", "<<", "~~"})


@dataclass(frozen=True)
class _Context:
    text: str  # the paragraph, lines joined with "\n"
    ends: list[int]  # where each line as written out ends
    closes: list[int]  # the last "}" of each (-1: none)

    def closed_on_line(self, pos: int) -> bool:
        """Whether a "}" follows ``pos`` on its line as written out."""
        return self.closes[bisect_left(self.ends, pos)] > pos


def _safe_inline(context: _Context, start: int, end: int) -> str:
    """``context.text[start:end]``, text outside code, made safe.

    Lookups past ``end`` (where a link leads, whether a ``}`` closes an attribute list)
    read the paragraph as written, code spans included, as the renderer would.
    """
    text = context.text
    out: list[str] = []
    pos = start
    while pos < end:
        ch = text[pos]
        if ch == "<":
            if (m := _KEPT_TAG.match(text, pos, end)) is not None:
                out.append(m.group())
                pos = m.end()
                continue
            after = text[pos + 1 : pos + 2]
            out.append("<" if not after or after in _SAFE_AFTER_LT else "&lt;")
        elif ch == "]" and text.startswith("(", pos + 1) and pos + 1 < end:
            if _unsafe_url(text, pos + 2):
                out.append("]\\(")  # the link's text and address show as text
                pos += 2
                continue
            if (m := _ANGLE_DESTINATION.match(text, pos + 1, end)) is not None:
                # The address without its angle brackets, percent-encoded instead.
                out.append("](" + m.group(1) + md_href(m.group(2).strip()))
                pos = m.end()
                continue
            out.append("](")
            pos += 2
            continue
        elif ch == "[":
            m = _REFERENCE.match(text, pos)
            unsafe = (
                m is not None
                and not m.group(1).startswith("^")  # a footnote
                and text[pos - 1 : pos] != "*"  # an abbreviation
                and _unsafe_url(text, m.end())
            )
            out.append("\\[" if unsafe else "[")
        elif ch == "{":
            critic = text[pos + 1 : pos + 2] in ("+", "-", "=", ">", "~")
            attributes = context.closed_on_line(pos) and not _SAFE_ATTRIBUTES.match(text, pos)
            out.append("&#123;" if critic or attributes else "{")
        elif ch == "}":
            out.append("&#125;" if text[max(pos - 2, 0) : pos] in _CRITIC_CLOSE else "}")
        else:
            out.append(ch)
        pos += 1
    return "".join(out)


_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ENTITY = re.compile(r"&(?:#[0-9]{1,10}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});?")


def _unsafe_url(text: str, pos: int) -> bool:
    """Whether the link address at ``text[pos:]`` has a scheme other than the safe ones.

    Read the way a browser would read the ``href`` Python-Markdown writes: character
    references decoded, whitespace and control characters dropped, case ignored; and
    backticks and backslashes dropped too (a code span's text ends up in the address), and
    ``<>"'``, which may be Markdown around it.  Anything that is not clearly a relative
    address or a safe scheme counts as unsafe.
    """
    scheme = ""
    while pos < len(text):
        if text[pos] == "&" and (m := _URL_ENTITY.match(text, pos)) is not None:
            chars, pos = html.unescape(m.group()), m.end()
        else:
            chars, pos = text[pos], pos + 1
        for ch in chars:
            # Also "<" of an address in <...>, a title's quotes, a quote's ">" on a new line.
            if ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "`\\<>\"'":
                continue
            if ch == ":":
                return bool(scheme) and scheme.lower() not in _SAFE_SCHEMES
            if ch.isascii() and (ch.isalpha() or (scheme and (ch.isdigit() or ch in "+.-"))):
                scheme += ch
                continue
            return False
    return False


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
