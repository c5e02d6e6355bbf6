"""The TechDocs bundle: every file, readable pages, safe folders and Markdown, real builds."""

from __future__ import annotations

import html as html_module
import importlib.util
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from html_checks import BUILD_TAGS, HOSTILE_HTML, SCRIPT_URLS, unsafe_markup, visible_text

from catalog.convert import ConvertOptions
from catalog.errors import LayoutError
from catalog.markdown import md_block, md_code, md_text, md_url
from catalog.schema import ModelCatalog
from catalog.techdocs import (
    MODEL_PAGES,
    build_bundle,
    bundle_zip,
    check_bundle_path,
    folder_name,
    folder_names,
    make_bundle,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "reference" / "model-catalog" / "examples").glob("*.json"))
SAFE_FOLDER = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9_.]*$")


def load(path: Path) -> ModelCatalog:
    return ModelCatalog.model_validate(json.loads(path.read_text()))


def model(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "owner": "jdoe", "lifecycle": "production", "description": "d", **fields}


def catalog(*models: dict[str, Any], server: dict[str, Any] | None = None) -> ModelCatalog:
    doc: dict[str, Any] = {"models": list(models)}
    if server is not None:
        doc["modelServer"] = server
    return ModelCatalog.model_validate(doc)


SERVER = {
    "name": "model-service",
    "owner": "group:ai-platform",
    "lifecycle": "production",
    "description": "Serves **models** over vLLM.",
    "API": {"url": "https://api.example.com/v1", "type": "openapi", "spec": "openapi: 3.0.0\n"},
    "homepageURL": "https://models.example.com",
    "authentication": True,
}
HOSTILE_NAMES = [
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "..",
    ".",
    "",
    "   ",
    "a/b",
    "a\\b",
    "docs",
    "DOCS",
    "mkdocs.yml",
    "catalog-info.yaml",
    "site",
    "con",
    "NUL.txt",
    "lpt1",
    "name\x00with-nul",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "модель",
    "x" * 300,
    "-.-",
    "trailing.",
]


def entities(files: dict[str, str]) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all(files["catalog-info.yaml"]))


# --- the files -------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("layout", ["classic", "ai-model-server"])
def test_every_file_is_there_for_the_shared_examples(path: Path, layout: str) -> None:
    cat = load(path)
    files = build_bundle(cat, ConvertOptions(layout=layout))  # type: ignore[arg-type]
    expected = {"catalog-info.yaml", "mkdocs.yml", "docs/index.md"}
    assert cat.modelServer is not None
    if cat.modelServer.usage:
        expected.add("docs/usage.md")
    for m in cat.models:
        expected |= {f"{m.name}/mkdocs.yml", f"{m.name}/docs/index.md"}
        expected |= {f"{m.name}/docs/{f}.md" for f, _ in MODEL_PAGES if getattr(m, f)}
    assert set(files) == expected


def test_a_catalog_without_a_server_gets_a_root_page_listing_its_models() -> None:
    files = build_bundle(catalog(model("granite"), model("mistral", description="Fast.")))
    assert set(files) == {
        "catalog-info.yaml",
        "mkdocs.yml",
        "docs/index.md",
        "granite/mkdocs.yml",
        "granite/docs/index.md",
        "mistral/mkdocs.yml",
        "mistral/docs/index.md",
    }
    assert "### granite" in files["docs/index.md"]
    assert "Fast." in files["docs/index.md"]
    refs = [e["metadata"]["annotations"]["backstage.io/techdocs-ref"] for e in entities(files)]
    assert refs == ["dir:granite", "dir:mistral"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_techdocs_refs_point_at_folders_with_an_mkdocs_yml(path: Path) -> None:
    files = build_bundle(load(path))
    for entity in entities(files):
        ref = entity["metadata"].get("annotations", {}).get("backstage.io/techdocs-ref")
        if entity["kind"] == "API":
            assert ref is None
            continue
        assert ref is not None and ref.startswith("dir:")
        folder = ref.removeprefix("dir:")
        assert ("mkdocs.yml" if folder == "." else f"{folder}/mkdocs.yml") in files


def test_the_one_ai_model_server_entity_points_at_the_root_and_the_root_includes_the_models() -> (
    None
):
    files = build_bundle(load(EXAMPLES[2]), ConvertOptions(layout="ai-model-server"))
    [entity] = entities(files)
    assert entity["metadata"]["annotations"]["backstage.io/techdocs-ref"] == "dir:."
    nav = yaml.safe_load(files["mkdocs.yml"])["nav"]
    models = next(item["Models"] for item in nav if "Models" in item)
    assert models == [
        {"ibm-granite-20b": "!include ./ibm-granite-20b/mkdocs.yml"},
        {"mistral-7b": "!include ./mistral-7b/mkdocs.yml"},
        {"gemma-2-2b": "!include ./gemma-2-2b/mkdocs.yml"},
    ]


def test_annotations_sit_before_tags_and_other_annotations_are_kept() -> None:
    files = build_bundle(load(EXAMPLES[4]))
    component = entities(files)[0]
    assert list(component["metadata"]) == ["name", "description", "annotations", "tags", "links"]
    assert component["metadata"]["annotations"] == {
        "some-string": "example",
        "another-string": "another",
        "backstage.io/techdocs-ref": "dir:.",
    }


def test_the_ai_model_server_layout_needs_an_api_here_too() -> None:
    with pytest.raises(LayoutError, match="needs a model server with an API"):
        build_bundle(catalog(model("m")), ConvertOptions(layout="ai-model-server"))


def test_a_techdocs_url_of_the_catalog_is_replaced_with_a_warning() -> None:
    bundle = make_bundle(catalog(model("granite", annotations={"TechDocs": "https://x.io/d"})))
    [resource] = entities(bundle.files)
    assert resource["metadata"]["annotations"]["backstage.io/techdocs-ref"] == "dir:granite"
    assert bundle.warnings == [
        "Resource 'granite': its TechDocs reference 'url:https://x.io/d' is replaced by "
        "'dir:granite', the pages in this bundle"
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_mkdocs_yml_names_the_plugin_and_only_pages_that_exist(path: Path) -> None:
    files = build_bundle(load(path))
    for name, text in files.items():
        if not name.endswith("mkdocs.yml"):
            continue
        config = yaml.safe_load(text)
        assert list(config) == ["site_name", "nav", "plugins"]
        assert config["plugins"] == ["techdocs-core"]
        base = name.removesuffix("mkdocs.yml")
        for entry in config["nav"]:
            [(title, page)] = entry.items()
            assert f"{base}docs/{page}" in files, (name, title)


# --- what the pages say ----------------------------------------------------------


def test_the_server_page_shows_access_authentication_and_api() -> None:
    page = build_bundle(catalog(model("granite"), server=SERVER))["docs/index.md"]
    assert page.startswith("# model-service\n\nServes **models** over vLLM.\n")
    assert "- **Homepage:** <https://models.example.com>" in page
    assert "- **API URL:** <https://api.example.com/v1>" in page
    assert "- **Authentication:** required" in page
    assert "- **Type:** OpenAPI" in page
    assert "embedded in the API entity `api:model-service`" in page
    assert "- **Owner:** `group:ai-platform`" in page
    assert "`auth-required`" not in page  # the page shows the user's tags only


def test_a_spec_url_is_a_link_and_no_authentication_is_said_plainly() -> None:
    server = {**SERVER, "authentication": False, "homepageURL": None}
    server["API"] = {**SERVER["API"], "spec": "https://example.com/openapi.json"}
    page = build_bundle(catalog(server=server))["docs/index.md"]
    assert "- **Specification:** <https://example.com/openapi.json>" in page
    assert "- **Authentication:** not required." in page
    assert "- **Homepage:** none given" in page


def test_model_pages_render_every_field_and_keep_the_users_markdown() -> None:
    files = build_bundle(load(EXAMPLES[3]))
    usage = files["ibm-granite-20b/docs/usage.md"]
    assert usage.startswith("# Usage\n\nThis is a simple example")
    assert "```python\nimport torch\n" in usage and usage.rstrip().endswith("#generation)*")
    assert "**Code Commits Datasets:**" in files["ibm-granite-20b/docs/training.md"]
    assert "few-shot examples" in files["ibm-granite-20b/docs/ethics.md"]
    assert files["ibm-granite-20b/docs/support.md"] == "# Support\n\nstring\n"
    index = files["ibm-granite-20b/docs/index.md"]
    assert index.startswith("# ibm-granite-20b\n\nGranite-8B-Code-Instruct-4K is a 8B")
    assert "- **Owner:** `user:example-user`" in index
    assert "- **Lifecycle:** `production`" in index
    assert "- **Served by:** `component:developer-model-service`" in index
    assert "- **Tags:** `ibm`, `granite`, `vllm`, `20b`" in index
    assert (
        "- **Artifact location:** <https://huggingface.co/ibm-granite/granite-20b-code-instruct>"
        in (index)
    )
    assert "- [Usage](usage.md)\n- [Training](training.md)\n- [Ethics](ethics.md)" in index


@pytest.mark.parametrize(
    ("license_value", "summary", "body"),
    [
        (
            "apache-2.0",
            "[Apache-2.0](https://spdx.org/licenses/Apache-2.0.html)",
            "licensed under **Apache-2.0** ([full text on spdx.org]"
            "(https://spdx.org/licenses/Apache-2.0.html))",
        ),
        (
            "https://example.com/LICENSE",
            "<https://example.com/LICENSE>",
            "The license is published at <https://example.com/LICENSE>.",
        ),
        (
            "Internal use only.\n\nNo redistribution.",
            "see [License](license.md)",
            "Internal use only.\n\nNo redistribution.",
        ),
    ],
    ids=["spdx", "url", "text"],
)
def test_the_license_page_links_spdx_ids_and_urls_or_holds_the_text(
    license_value: str, summary: str, body: str
) -> None:
    files = build_bundle(catalog(model("m", license=license_value)))
    assert f"- **License:** {summary}" in files["m/docs/index.md"]
    assert files["m/docs/license.md"].startswith("# License\n\n")
    assert body in files["m/docs/license.md"]


def test_blank_optional_fields_get_no_page() -> None:
    files = build_bundle(catalog(model("m", usage="  ", training="", ethics="\n")))
    assert set(files) == {"catalog-info.yaml", "mkdocs.yml", "docs/index.md"} | {
        "m/mkdocs.yml",
        "m/docs/index.md",
    }
    assert "## More" not in files["m/docs/index.md"]


# --- folders that stay inside ----------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=repr)
def test_a_folder_name_is_one_safe_segment(name: str) -> None:
    folder = folder_name(name)
    assert SAFE_FOLDER.match(folder) and folder not in (".", "..")
    assert folder.lower() not in ("docs", "site", "mkdocs.yml", "catalog-info.yaml")
    assert folder.split(".")[0].lower() not in ("con", "nul", "lpt1")
    assert "/" not in folder and "\\" not in folder and folder != ".."


def test_folder_names_that_differ_only_in_case_or_spaces_stay_apart() -> None:
    names = folder_names(["Granite", "granite", "gran ite", "granite-2", "GRANITE"])
    assert names == ["Granite", "granite-2", "granite-3", "granite-2-2", "GRANITE-4"]
    assert len({n.lower() for n in names}) == len(names)


def test_valid_entity_names_keep_their_folder_name() -> None:
    assert folder_names(["ibm-granite-20b", "Mistral_7B.v2"]) == [
        "ibm-granite-20b",
        "Mistral_7B.v2",
    ]


def hostile_catalog() -> ModelCatalog:
    return catalog(
        *(model(n, usage="u", license="MIT") for n in HOSTILE_NAMES),
        server={**SERVER, "name": "../srv"},
    )


def test_a_zip_of_hostile_names_extracts_inside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    data = bundle_zip(build_bundle(hostile_catalog()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            out = (target / info.filename).resolve()
            assert out.is_relative_to(target.resolve()), info.filename
            assert not info.filename.startswith("/") and "\\" not in info.filename
        archive.extractall(target)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(target.resolve()) for p in written)
    folders = {
        p.relative_to(target).parts[0] for p in written if len(p.relative_to(target).parts) > 2
    }
    assert len(folders) == len(HOSTILE_NAMES)  # one per model (docs/index.md has 2 parts)


def test_hostile_names_are_reported_with_the_folder_they_got() -> None:
    bundle = make_bundle(catalog(model("../../etc/passwd")))
    assert bundle.warnings == [
        "model '../../etc/passwd': its pages are in the folder 'etc-passwd' (the name as it "
        "is cannot be a folder, or another model has it)"
    ]
    assert "etc-passwd/docs/index.md" in bundle.files


@pytest.mark.parametrize(
    "path", ["../x", "/etc/x", "a/../../b", "a\\b", "a//b", "", ".", "./a", "C:/x", "a/\x00"]
)
def test_bundle_zip_refuses_a_path_that_could_leave_the_bundle(path: str) -> None:
    with pytest.raises(ValueError, match="not a path inside the bundle"):
        check_bundle_path(path)
    with pytest.raises(ValueError):
        bundle_zip({path: "x"})


def test_the_same_catalog_at_the_same_time_gives_the_same_bytes() -> None:
    when = datetime(2026, 3, 4, 5, 6, 8)
    first = bundle_zip(build_bundle(load(EXAMPLES[2])), when)
    second = bundle_zip(build_bundle(load(EXAMPLES[2])), when)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in archive.infolist()} == {(2026, 3, 4, 5, 6, 8)}
        assert archive.read("catalog-info.yaml").decode().startswith("apiVersion:")


def test_the_zip_is_stamped_with_the_time_it_was_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now().replace(microsecond=0) - timedelta(seconds=2)
    data = bundle_zip(build_bundle(load(EXAMPLES[2])))
    after = datetime.now() + timedelta(seconds=2)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():  # unzip shows today, not 1 January 1980
            assert before <= datetime(*info.date_time) <= after, info.filename


def test_source_date_epoch_fixes_the_zip_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00:00 UTC
    first = bundle_zip(build_bundle(load(EXAMPLES[0])))
    assert first == bundle_zip(build_bundle(load(EXAMPLES[0])))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


# --- Markdown that stays Markdown, names that stay text ---------------------------

TECHDOCS_EXTENSIONS = [
    "attr_list",
    "pymdownx.magiclink",
    "pymdownx.emoji",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "tables",
]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=TECHDOCS_EXTENSIONS)


@pytest.mark.parametrize(
    "name",
    [
        "[x](javascript:alert(1))",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "name {: onclick=alert(1) }",
        "https://evil.example.com",
        "www.evil.example.com",
        "a@b.example.com",
        "**bold** _em_ ~~del~~ ==mark== ^^ins^^ `code`",
        "| a | b |",
        "&lt;script&gt;",
    ],
)
def test_an_escaped_name_renders_as_exactly_its_text(name: str) -> None:
    html = render(f"# {md_text(name)}")
    assert html.startswith("<h1>") and html.endswith("</h1>")  # no attribute was added
    inner = html.removeprefix("<h1>").removesuffix("</h1>")
    assert "<" not in inner  # no element inside: no link, image, script or emphasis
    assert html_module.unescape(inner) == name


@pytest.mark.parametrize("text", ["a`b", "`start", "end`", "``x``", "user:jdoe"])
def test_a_code_span_holds_any_backticks(text: str) -> None:
    html = render(md_code(text))
    assert html_module.unescape(re.sub(r"^<p><code>|</code></p>$", "", html)) == text


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.com/a?b=1&c=2", True),
        ("http://example.com", True),
        ("javascript:alert(1)", False),
        ("s3://bucket/model", False),
        ('https://x.example.com/a)b"c<d>', True),
        ("not a url", False),
    ],
)
def test_only_web_urls_become_links_and_they_cannot_break_out(url: str, linked: bool) -> None:
    html = render(f"See {md_url(url)}")
    hrefs = re.findall(r'href="([^"]*)"', html)
    if linked:
        assert len(hrefs) == 1 and hrefs[0].startswith(("http://", "https://"))
        assert "<d>" not in html and '"c' not in hrefs[0]
    else:
        assert hrefs == [] and "<code>" in html


def test_user_markdown_keeps_code_fences_and_formatting() -> None:
    text = "Run it:  \nnow\n\n```python\nprint('# not a heading')\n```\n\n**Done.** <br>"
    assert md_block(text) == text + "\n"  # trailing spaces (a line break) included


def test_snippet_lines_are_escaped_the_way_the_snippets_extension_defines() -> None:
    text = '--8<-- "catalog-info.yaml"\n--8<--\n/etc/passwd\n--8<--\nx --8<-- [start:a]\n'
    assert md_block(text) == (
        ';--8<-- "catalog-info.yaml"\n;--8<--\n/etc/passwd\n;--8<--\nx ;--8<-- [start:a]\n'
    )
    assert md_block("--8<-- not quoted\n") == "--8<-- not quoted\n"


def test_diagram_blocks_become_plain_code_and_open_fences_are_closed() -> None:
    text = "```plantuml\nA -> B\n```\n\n```graphviz dot g.svg\ndigraph{}\n```\n{% dot g.svg\n%}"
    # The fence keeps its language only: superfences takes no "```text dot g.svg" opener.
    assert md_block(text) == (
        "```text\nA -> B\n```\n\n```text\ndigraph{}\n```\n {% dot g.svg\n%}\n"
    )
    assert md_block("```python\nx = 1") == "```python\nx = 1\n```\n"
    assert md_block("~~~~\n```\nstill code") == "~~~~\n```\nstill code\n~~~~\n"


def test_hostile_text_in_headings_never_reaches_the_page_as_html() -> None:
    files = build_bundle(hostile_catalog())
    for path, text in files.items():
        if path.endswith(".md"):
            html = render(text)
            assert "<script" not in html and "javascript:alert" not in html.replace(
                "<code>javascript:alert", ""
            )
            assert "onclick" not in html and "onerror" not in html


# --- real builds -----------------------------------------------------------------

needs_mkdocs = pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("techdocs_core") is None,
    reason="mkdocs and mkdocs-techdocs-core are not installed (requirements-dev.txt)",
)


def extract(files: dict[str, str], target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(bundle_zip(files))) as archive:
        archive.extractall(target)
    return target


def mkdocs_build(folder: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_mkdocs
def test_mkdocs_with_techdocs_core_builds_the_server_and_a_model(tmp_path: Path) -> None:
    bundle = extract(build_bundle(load(EXAMPLES[3])), tmp_path / "bundle")
    for folder in (bundle, bundle / "ibm-granite-20b"):
        result = mkdocs_build(folder, tmp_path / "site" / folder.name)
        assert result.returncode == 0, result.stderr[-2000:]
    usage = (tmp_path / "site" / "ibm-granite-20b" / "usage" / "index.html").read_text()
    assert "AutoModelForCausalLM" in usage and 'class="language-python' in usage
    home = (tmp_path / "site" / "bundle" / "index.html").read_text()
    assert 'href="https://api.example.com"' in home


@needs_mkdocs
def test_mkdocs_builds_the_ai_model_server_site_with_every_model(tmp_path: Path) -> None:
    files = build_bundle(load(EXAMPLES[2]), ConvertOptions(layout="ai-model-server"))
    result = mkdocs_build(extract(files, tmp_path / "bundle"), tmp_path / "site")
    assert result.returncode == 0, result.stderr[-2000:]
    for folder in ("ibm-granite-20b", "mistral-7b", "gemma-2-2b"):
        assert (tmp_path / "site" / folder / "index.html").is_file()


@needs_mkdocs
def test_mkdocs_builds_hostile_text_without_reading_files_or_running_programs(
    tmp_path: Path,
) -> None:
    server = {
        **SERVER,
        "name": "<script>alert(1)</script>",
        "description": '--8<-- "catalog-info.yaml"\n\n```plantuml\nA -> B\n```\n',
        "usage": "--8<--\n/etc/passwd\n--8<--\n",
    }
    files = build_bundle(catalog(model("[x](javascript:alert(1))"), server=server))
    result = mkdocs_build(extract(files, tmp_path / "bundle"), tmp_path / "site")
    assert result.returncode == 0, result.stderr[-2000:]
    home = (tmp_path / "site" / "index.html").read_text()
    usage = (tmp_path / "site" / "usage" / "index.html").read_text()
    assert "apiVersion" not in home and "root:" not in usage  # nothing was pasted in
    # The lines show as text (smartsymbols draws "<-" as an arrow).
    assert '"catalog-info.yaml"</p>' in home and "/etc/passwd" in usage
    assert "<script>alert(1)</script>" not in home


def article(page: str) -> str:
    """The page's content, without the theme around it (which has scripts of its own)."""
    start = page.index('<article class="md-content__inner md-typeset">')
    return page[start : page.index("</article>", start) + len("</article>")]


@needs_mkdocs
def test_mkdocs_builds_user_html_and_script_links_as_text(tmp_path: Path) -> None:
    html_texts = [f"Before{n} {sample} after{n}." for n, sample in enumerate(HOSTILE_HTML)]
    link_texts = [
        f"Link{n}: [click{n}]({url}) ![pic{n}]({url})" for n, url in enumerate(SCRIPT_URLS)
    ]
    tricks = (
        "```\n{++ a\n```\n<b onmouseover=alert(1)>x</b>\n++}\n\n"
        "text `a\n<div onclick=alert(1)>` b\n\n"
        '# Title {: onclick="alert(1)" }\n\n'
        "[ref link][r]\n\n[r]: java&#115;cript:alert(1)\n\n"
        "1. Install:\n\n    <script>alert(1)</script>\n\n"
        "Usage: `<script>alert(1)</script>` and <https://example.com/ok>.\n\n"
        "```html\n<script>alert(1)</script>\n```"
    )
    usage = "\n\n".join([*html_texts, *link_texts, tricks])
    server = {**SERVER, "description": "\n\n".join(html_texts), "usage": usage}
    files = build_bundle(
        catalog(model("m", description=usage, usage=usage, support=tricks), server=server)
    )
    bundle = extract(files, tmp_path / "bundle")
    for folder in (bundle, bundle / "m"):
        result = mkdocs_build(folder, tmp_path / "site" / folder.name)
        assert result.returncode == 0, result.stderr[-2000:]
    pages = ["bundle/index.html", "bundle/usage/index.html", "m/index.html", "m/usage/index.html",
             "m/support/index.html"]  # fmt: skip
    for name in pages:
        content = article((tmp_path / "site" / name).read_text())
        # No element, handler or script link the user's text brought in...
        assert unsafe_markup(content, BUILD_TAGS | {"article"}) == [], name
        shown = visible_text(content)
        # ...and what they wrote is on the page, as text.
        if name != "m/support/index.html":
            assert all(
                f"Before{n}" in shown and f"after{n}" in shown for n in range(len(html_texts))
            )
            assert "<script>alert(1)</script>" in shown and "<img src=x onerror=alert(1)>" in shown
        if "usage" in name:
            assert all(f"click{n}" in shown for n in range(len(link_texts))), name
            assert '<a href="https://example.com/ok">' in content
            assert "<code><script>alert(1)</script></code>" in html_module.unescape(content)
