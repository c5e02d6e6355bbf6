"""The user's Markdown on TechDocs pages: it stays Markdown but never becomes HTML or a script.

Each page is rendered here the way the TechDocs build renders it: Python-Markdown with the
extensions and settings techdocs-core configures (read from the plugin itself) and the
GitHub-alert rewrite its gh-admonitions plugin applies first.  What a reader would notice
is checked on the HTML: no element or attribute the user's text brought in, no link that
runs a script, and the user's words still there.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from html_checks import (
    BUILD_TAGS,
    HOSTILE_HTML,
    SCRIPT_URLS,
    unsafe_markup,
    visible_text,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.markdown import md_block

needs_techdocs = pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("techdocs_core") is None,
    reason="mkdocs and mkdocs-techdocs-core are not installed (requirements-dev.txt)",
)


# --- the renderer and what may come out of it ------------------------------------------


@functools.cache
def _techdocs_markdown_config(folder: str) -> tuple[list[Any], dict[str, Any], Any]:
    from mkdocs.config import load_config

    (Path(folder) / "docs").mkdir()
    (Path(folder) / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - techdocs-core\n")
    config = load_config(str(Path(folder) / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    return config["markdown_extensions"], config["mdx_configs"] or {}, config


@pytest.fixture(scope="session")
def techdocs_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("techdocs-config"))


def render(text: str, folder: str) -> str:
    """``text`` as the TechDocs build turns a page into HTML."""
    import markdown
    from admonitions.admonition import AdmonitionConverter

    extensions, configs, config = _techdocs_markdown_config(folder)
    page = AdmonitionConverter().on_page_markdown(text, page=None, config=config, files=None)
    return str(markdown.Markdown(extensions=extensions, extension_configs=configs).convert(page))


# --- raw HTML is text ----------------------------------------------------------------


@needs_techdocs
@pytest.mark.parametrize("sample", HOSTILE_HTML)
@pytest.mark.parametrize(
    "where",
    [
        "Before {} after.",
        "Before:\n\n{}\n\nafter.",
        "Before\n\n- an item {}\n- after",
        "| Before | after |\n|---|---|\n| cell | {} |",
        "# Before {} after",
        "> Before {} after",
        "!!! note\n    Before {} after.",
    ],
    ids=["inline", "block", "list-item", "table-cell", "heading", "quote", "admonition"],
)
def test_raw_html_in_user_markdown_is_shown_as_text(
    sample: str, where: str, techdocs_dir: str
) -> None:
    text = where.format(sample)
    out = md_block(text)
    assert not re.search(r"<[A-Za-z/!?]", out), out  # no tag, comment or declaration left
    page = render(out, techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], page
    shown = visible_text(page)
    assert "Before" in shown and "after" in shown
    # The reader sees what was written: the tag as text, and every word of it.
    assert sample[:2] in shown
    assert all(word in shown for word in re.findall(r"\w+", sample)), shown


@needs_techdocs
@pytest.mark.parametrize("sample", HOSTILE_HTML)
def test_html_in_code_spans_and_blocks_stays_as_written(sample: str, techdocs_dir: str) -> None:
    fenced = f"Example:\n\n```html\n{sample}\n```"
    assert md_block(fenced) == fenced + "\n"
    span = f"Use `{sample}` here."
    # A code span holding "<" is written as HTML, each character escaped (the raw-HTML
    # pass reads code spans too); one without stays as it is.
    escaped = "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in sample)
    assert md_block(span) == f"Use <code>{escaped}</code> here.\n"
    assert md_block("Use `a > b && c` here.") == "Use `a > b && c` here.\n"
    for text in (span, fenced, f"Example:\n\n    {sample}"):
        page = render(md_block(text), techdocs_dir)
        assert unsafe_markup(page, BUILD_TAGS) == [], page
        codes = re.findall(r"<code[^>]*>(.*?)</code>", page, re.DOTALL)
        assert any(sample in html.unescape(re.sub(r"<[^>]+>", "", c)) for c in codes), page


@needs_techdocs
def test_markdown_still_renders_links_lists_tables_and_code(techdocs_dir: str) -> None:
    text = (
        "## Usage\n\n"
        "Read **the docs** at [the site](https://example.com/a?b=1&c=2), <https://example.org>\n"
        "or <mailto:team@example.com>; see [the next page](training.md), [below](#usage) and\n"
        "[the reference][ref].  A line break<br>and `x < y` & co.\n\n"
        "![diagram](https://example.com/d.png)\n\n"
        "| a | b |\n|---|:-:|\n| `c|d` | *e* |\n\n"
        "1. one\n2. two\n\n"
        "```python\nprint('<b>')\n```\n\n"
        "x <-- y <= z, 3 < 4\n\n"
        "[ref]: https://example.com/ref\n"
    )
    out = md_block(text)
    page = render(out, techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], page
    hrefs = re.findall(r'<a href="([^"]*)"', page)
    assert "https://example.com/a?b=1&amp;c=2" in hrefs
    assert "https://example.org" in hrefs and "training.md" in hrefs and "#usage" in hrefs
    assert "https://example.com/ref" in hrefs
    assert any(h.startswith("&#109;&#97;&#105;&#108;&#116;&#111;&#58;") for h in hrefs)  # mailto
    assert '<img alt="diagram" src="https://example.com/d.png"' in page
    assert "<strong>the docs</strong>" in page and "<br>" in page
    assert "<code>x < y</code>" in html.unescape(page)
    assert "<code>c|d</code>" in html.unescape(page)
    assert "<ol>" in page and "<table>" in page and 'class="language-python' in page
    assert "&larr;" in page  # smartsymbols still draws "<--"
    # Only the code spans holding "<" or a table's "|" changed their form.
    assert out == text.replace("`c|d`", "<code>c&#124;d</code>").replace(
        "`x < y`", "<code>x &#60; y</code>"
    )


# --- links that would run a script are text ------------------------------------------


LINK_FORMS = {
    "link": "Please [click me]({})",
    "image": "Please ![click me]({})",
    "titled": 'Please [click me]({} "title")',
    "reference": "Please [click me][x].\n\n[x]: {}",
    "reference-next-line": "Please [click me][x].\n\n[x]:\n  {}",
    "list": "- Please [click me][x].\n- [x]: {}",
    "attrs": "Please [click me]({}){{: .button }}",
}
# A reference's address is one word, read as written: these make no link to begin with.
NOT_LINKS = {("reference", "java\nscript"), ("reference", "`javascript`"),
             ("list", "java\nscript"), ("list", "`javascript`")}  # fmt: skip


@needs_techdocs
@pytest.mark.parametrize(
    ("form", "url"),
    [
        pytest.param(LINK_FORMS[name], url, id=f"{name}-{url!r}")
        for name in LINK_FORMS
        for url in SCRIPT_URLS
        if not any(name.startswith(f) and url.startswith(u) for f, u in NOT_LINKS)
    ],
)
def test_links_with_a_script_scheme_are_neutralised(form: str, url: str, techdocs_dir: str) -> None:
    page = render(md_block(form.format(url)), techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], page
    assert "click me" in visible_text(page)  # the link's text is still there


@needs_techdocs
@pytest.mark.parametrize(
    "url", ["https://example.com/x", "http://example.com", "mailto:a@example.com", "page.md",
            "../other/page.md#part", "#anchor", "/abs/path", "?q=1", "x.png", "C++.md"],
)  # fmt: skip
def test_web_mail_and_relative_links_stay_links(url: str, techdocs_dir: str) -> None:
    text = f"[go]({url}) and ![pic]({url}) and [ref][r]\n\n[r]: {url}"
    assert md_block(text) == text + "\n"
    page = render(md_block(text), techdocs_dir)
    assert len(re.findall(r'<a href="[^"]*">go</a>', page)) == 1, page
    assert len(re.findall(r'<a href="[^"]*">ref</a>', page)) == 1, page
    assert "<img " in page


# --- attribute lists, and what the build reads in code too ---------------------------


@needs_techdocs
@pytest.mark.parametrize(
    "text",
    [
        '# Title {: onclick="alert(1)" }',
        "A paragraph\n{: onmouseover=alert(1) }",
        "[x](https://example.com){: onclick=alert(1) }",
        "*emphasis*{onclick=alert(1)}",
        "| a |\n|---|\n| b {: onclick=alert(1) } |",
        '``` { .python onclick="alert(1)" data-x="1" }\nprint(1)\n```',
        "# Title {#id .cls onclick=alert(1)}",
        '# Title {: href="javascript:alert(1)" }',
    ],
)
def test_attribute_lists_cannot_add_handlers_or_links(text: str, techdocs_dir: str) -> None:
    page = render(md_block(text), techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], page
    assert "data-x" not in page


@needs_techdocs
def test_ids_and_classes_from_attribute_lists_stay(techdocs_dir: str) -> None:
    page = render(md_block("# Title {#my-title .wide}"), techdocs_dir)
    assert '<h1 class="wide" id="my-title">' in page


@needs_techdocs
@pytest.mark.parametrize(
    "text",
    [
        # pymdownx.critic reads code too: an insertion opened in code, closed in text.
        "```\n{++ a\n```\n<b onmouseover=alert(1)>x</b>\n++}",
        # ...and a comment drops what it spans, the closing fence here.
        "{>>\n```\n<<}\n<script>alert(1)</script>\n```",
        "`{>>` then\n\n```\n<<}\n<script>alert(1)</script>\n```",
        # GitLab's multi-line alert re-indents every line to a later ">>>", fences included.
        "~~~~\n>>> [!note]\n~~~~\n```\n>>>\n```\n~~~~\n<script>alert(1)</script>\n~~~~",
        ">>> [!note]\n```\n>>>\n<script>alert(1)</script>\n```",
        # superfences closes a fence only with the same length.
        "````\nx\n`````\n````\n<script>alert(1)</script>\n````",
        # ...and gives up an indented fence at a less indented line.
        " ```\n<script>alert(1)</script>\n ```",
        "  ```\n```\n<script>alert(1)</script>\n```",
        "- item\n\n    ```\n<script>alert(1)</script>\n    ```",
        # Openers md_block does not take as fences are escaped, so superfences cannot
        # take them either (it would close them at the next fence, leaving the rest text).
        "> ```\n```\n<script>alert(1)</script>\n```",
        '```python title="`"\n```\n<script>alert(1)</script>\n```',
        # A code span across lines, broken by a line the renderer reads first.
        "text `a\n<div onclick=alert(1)>` b",
        "text `a\n# heading <img src=x onerror=alert(1)>` b",
        "a `b\nc `<script>alert(1)</script>` d",
        # Indented lines that are a list's, an admonition's or an alert's, not code.
        "1. Install:\n\n    <script>alert(1)</script>",
        "!!! note\n\n    <script>alert(1)</script>",
        "> [!note]\n> <script>alert(1)</script>",
        "> [!note] <img src=x onerror=alert(1)>\n> text",
        # A fence right under indented code is taken into it, and its source put back.
        "1. a\n\n        code\n~~~\n<script>alert(1)</script>\n~~~",
        "    \n~~~\n<script>alert(1)</script>\n~~~",
        "\t\n~~~\n<b onclick=alert(1)>\n~~~",
        # After a stray "&#" the raw-HTML pass loses track of line starts, and takes a
        # tag in a code span for the start of a raw HTML block.
        "a\n&#`<script>alert(1)</script>`;",
        # A quote's ">" on the next line of an address is not part of it.
        "> [x]:\n> javascript:alert(1)\n\n[click me][x]",
        "> [x](java\n> script:alert(1))",
        # A code span written as HTML joins its lines: "{" and "}" meet on one.
        "*:*{onclick=alert(1)`\n`}",
        # The renderer's own placeholder characters.
        "```\nx\n```\n\x02wzxhzdk:0\x03 \x01wzxhzdk:0\x04 <\x02script>alert(1)</script>",
        "[x](<javascript:alert(1)>) [y](<a b.md>)",
    ],
)
def test_the_renderers_own_steps_cannot_turn_code_or_text_into_html(
    text: str, techdocs_dir: str
) -> None:
    page = render(md_block(text), techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], page


@needs_techdocs
def test_code_the_build_would_reach_into_is_shown_exactly(techdocs_dir: str) -> None:
    text = "```js\nif (a) {++i; --j;}\n```\n\nand `{>> x <<}` inline"
    out = md_block(text)
    assert "```" not in out  # written as escaped HTML instead of a fence and a span
    page = render(out, techdocs_dir)
    codes = [html.unescape(c) for c in re.findall(r"<code[^>]*>(.*?)</code>", page, re.DOTALL)]
    assert codes == ["if (a) {++i; --j;}\n", "{>> x <<}"]
    assert 'class="language-js"' in page


@needs_techdocs
def test_indented_code_becomes_a_fence_and_list_text_stays_text(techdocs_dir: str) -> None:
    text = (
        "Run:\n\n    curl -H 'A: <b>' \\\n      https://x.example.com\n\n1. Then:\n\n    <b>x</b>"
    )
    out = md_block(text)
    assert out.startswith("Run:\n\n```\ncurl -H 'A: <b>' \\\n  https://x.example.com\n```\n")
    page = render(out, techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], page
    assert "curl -H &#39;A: &lt;b&gt;&#39;" in page or "curl -H 'A: &lt;b&gt;'" in page
    assert "<li>" in page and "&lt;b&gt;x&lt;/b&gt;" in page


# --- any mix of it -------------------------------------------------------------------

PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b onclick=alert(1)>",
    "<div>", "</div>", "<!--", "-->", "<svg onload=alert(1)>", "<a href=javascript:alert(1)>",
    "`", "``", "```", "````", "~~~", "~~~~", "```python", "``` {.py onclick=x}", "\\`",
    "[x](javascript:alert(1))", "[x](java&#115;cript:x)", "[x]:", " javascript:alert(1)",
    "[x]", "](", "(", ")", "[", "]", "<", ">", ">>> [!note]", ">>>", "> [!tip]", "> ",
    "{++", "++}", "{>>", "<<}", "{--", "--}", "{: onclick=alert(1) }", "{#i}", "- ", "1. ",
    "!!! note", "    ", "  ", "\t", "| a |", "|---|", "# ", "*", "_", "&", "&#60;", "x",
    "<https://example.com>", "<br>", "{%", "%}", "--8<--", '"', "'", ":", "\x02", "\x01",
]  # fmt: skip


@needs_techdocs
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from(["", "", " ", "\n", "\n\n"])),
        max_size=30,
    )
)
def test_no_mix_of_markdown_and_html_reaches_the_page_as_html(
    parts: list[tuple[str, str]], techdocs_dir: str
) -> None:
    text = "".join(piece + sep for piece, sep in parts)
    page = render(md_block(text), techdocs_dir)
    assert unsafe_markup(page, BUILD_TAGS) == [], (text, page)
