"""Import a Hugging Face model card (a README.md with YAML front matter) as a model catalog.

The front matter is split off with the Hugging Face Hub library's own pattern and read
with our bounded safe loader (:func:`catalog.reader.load_document`: no Python tags, no
anchors or aliases, bounded size and depth); ``huggingface_hub.ModelCardData`` then
reads ``model-index`` the Hub's way.  Nothing is fetched: the card is parsed from the
text.  :mod:`catalog.merge` puts the result into the catalog being edited.

=================== ==============================================================
card                 model catalog
=================== ==============================================================
``license``          ``license`` (SPDX spelling when recognised); ``license_link``,
                     when a URL (or a repo file, given the repo id), is the License
                     link instead, and the id goes to ``huggingface.co/license``
``tags``             ``tags`` (made valid tags; invalid and duplicates reported)
``pipeline_tag``     a ``task-<pipeline>`` tag, e.g. ``task-text-generation``
``base_model``       annotation ``huggingface.co/base-model`` (a list joined by ", ")
``datasets``         annotation ``huggingface.co/datasets``
``language``         annotation ``huggingface.co/language`` (not tags: multilingual
                     cards list a hundred languages)
``library_name``     annotation ``huggingface.co/library-name``
name                 the repo id given on import, else ``model_name`` and
                     ``model-index[0].name`` when they agree, else the title heading,
                     else the file name; made a valid name; disagreement is a warning
sections             description, usage, training, ethics, license, support (a
                     ``> [!NOTE]`` callout opening the description follows it as text)
=================== ==============================================================

Sections are found by their headings (see :mod:`catalog.sections` and ``FIELD_RULES``).
Everything else (other front matter keys, evaluation results, unmatched sections) is
listed in ``left_out``, so the person sees what the catalog will not carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from huggingface_hub import ModelCardData
from huggingface_hub.repocard import REGEX_YAML_BLOCK

from catalog.errors import InputError
from catalog.licenses import canonical_spdx
from catalog.reader import load_document
from catalog.rules import is_valid_url, slug, tag_slug
from catalog.sections import Document, Section, clean_title, parse

MAX_CARD_BYTES = 1024 * 1024
DEFAULT_OWNER = "guest"
MAX_LISTED = 40
ANNOTATIONS = {
    "base_model": "huggingface.co/base-model",
    "base_model_relation": "huggingface.co/base-model-relation",
    "datasets": "huggingface.co/datasets",
    "language": "huggingface.co/language",
    "library_name": "huggingface.co/library-name",
}
_KNOWN_KEYS = {"license", "license_name", "license_link", "tags", "pipeline_tag", "model_name"}
_KNOWN_KEYS |= set(ANNOTATIONS) | {"model-index"}
_TEMPLATE_TITLE = re.compile(r"^(?:model card for\s+)?(.*?)(?:\s+model card)?$", re.IGNORECASE)
_EMPTY_FRONT_MATTER = re.compile(r"^(\s*---[ \t]*\n)()(---[ \t]*(?:\n|$))")
_README = {"readme", "modelcard", "model_card", "model-card"}
_REPO_ID = re.compile(r"^[A-Za-z0-9][-\w.]*/[A-Za-z0-9][-\w.]*$")
_MEDIA_ONLY = re.compile(
    r"^(?:\s|<[^>]*>|!\[[^\]]*\]\([^)]*\)|\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\))*$"
)

# (field, exact titles, title fragments), tried in order on a heading's normalised text.
# "intended use" is tried before the ethics words so that "Intended uses & limitations"
# (the transformers Trainer's heading over the how-to-use text) counts as usage.
FIELD_RULES: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    ("description", frozenset({"model description", "model summary", "model overview",
                               "description", "summary", "overview"}), ()),
    ("usage", frozenset({"uses", "use", "usage", "direct use", "downstream use",
                         "generation", "inference", "example", "examples"}),
     ("intended use", "how to use", "how to get started", "getting started", "quickstart",
      "quick start")),
    ("training", frozenset(), ("training", "fine-tuning", "finetuning")),
    ("ethics", frozenset(), ("bias", "risk", "limitation", "ethic", "recommendation",
                             "out-of-scope", "out of scope", "misuse", "responsible")),
    ("usage", frozenset(), ("usage", "use case")),
    ("license", frozenset({"license", "licence", "licensing"}), ()),
    ("support", frozenset({"support", "contact", "feedback", "questions"}),
     ("model card contact", "contact")),
)  # fmt: skip
TEXT_FIELDS = ("usage", "training", "ethics", "support")


@dataclass
class ImportResult:
    """A model catalog read from a model card, and what did and did not come across."""

    document: dict[str, Any]
    #: (model field, where its value came from), for the person to check.
    imported: list[tuple[str, str]] = field(default_factory=list)
    #: What the card holds that the catalog will not (keys, sections, results).
    left_out: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_model_card(
    text: str | bytes,
    filename: str | None = None,
    owner: str | None = None,
    lifecycle: str = "experimental",
    *,
    repo_id: str | None = None,
    max_bytes: int = MAX_CARD_BYTES,
) -> ImportResult:
    """Read a Hugging Face model card into a catalog of one model (``{"models": [...]}``).

    ``owner`` defaults to ``guest`` with a warning (a model card names no Backstage
    owner); ``repo_id`` (``org/name``) gives the artifact link and a fallback name.
    Raises :class:`~catalog.errors.InputError` when the text is not a model card.
    """
    label = filename or "model card"
    card = _decode(text, label, max_bytes)
    front, body, body_line = _split(card, label, max_bytes)
    result = ImportResult({})
    if front is None:
        result.warnings.append(
            f"{label}: no YAML front matter ('---' block at the top): license, tags and "
            "the other metadata are missing; imported from the Markdown only"
        )
        front = {}
    doc = parse(body)
    if not front and not any(line.strip() for line in doc.lines):
        raise InputError(f"{label}: the model card holds nothing to import")
    model: dict[str, Any] = {}
    reader = _CardReader(front, doc, label, result)
    model["name"] = reader.name(filename, repo_id)
    model["description"] = reader.description()
    if owner is None or not owner.strip():
        result.warnings.append(
            f"owner: a model card names no Backstage owner; set to '{DEFAULT_OWNER}', "
            "change it to the user or group responsible"
        )
        result.imported.append(("owner", f"'{DEFAULT_OWNER}', a placeholder"))
        owner = DEFAULT_OWNER
    else:
        result.imported.append(("owner", f"'{owner.strip()}', given on import"))
    model["owner"], model["lifecycle"] = owner.strip(), lifecycle
    result.imported.append(("lifecycle", f"'{lifecycle}', given on import"))
    model.update(reader.license(repo_id))
    if tags := reader.tags():
        model["tags"] = tags
    if repo_id is not None:
        if _REPO_ID.match(repo_id.strip()):
            model["artifactLocationURL"] = f"https://huggingface.co/{repo_id.strip()}"
            result.imported.append(("artifactLocationURL", f"repo id '{repo_id.strip()}'"))
        else:
            result.warnings.append(f"repo id '{repo_id}' is not of the form org/name; no link")
    model.update(reader.texts())
    if annotations := reader.annotations():
        model["annotations"] = annotations
    reader.report_leftovers(body_line)
    result.document = {"models": [model]}
    return result


# --- reading the text ---------------------------------------------------------------


def _decode(text: str | bytes, label: str, max_bytes: int) -> str:
    """The card as text, refusing binary, oversized and empty input."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(
            f"{label}: the model card is {_size(size)}, larger than the limit of {_size(max_bytes)}"
        )
    if isinstance(text, bytes):
        data = text
        if b"\x00" in data[:8192] or data.startswith((b"\x89PNG", b"PK\x03\x04", b"%PDF")):
            raise InputError(f"{label}: this is a binary file, not a Markdown model card")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                f"{label}: line {line}: the file is not UTF-8 text; save it as UTF-8"
            ) from None
    if "\x00" in text:
        raise InputError(f"{label}: this is binary data, not a Markdown model card")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{label}: the model card is empty")
    return text


def _split(text: str, label: str, max_bytes: int) -> tuple[dict[str, Any] | None, str, int]:
    """(front matter or None, Markdown body, the body's first line number)."""
    match = REGEX_YAML_BLOCK.search(text) or _EMPTY_FRONT_MATTER.match(text)
    if match is None:
        start = text.lstrip()
        if re.match(r"---[ \t]*\n", start):
            line = text[: len(text) - len(start)].count("\n") + 1
            raise InputError(
                f"{label}: the front matter opened by '---' on line {line} is never closed; "
                "add a line with '---' after it"
            )
        if start[:1] in "{[" or re.match(r"apiVersion\s*:", start):
            raise InputError(f"{label}: {_not_a_card(start)}")
        if not re.search(r"^ {0,3}#", text, re.MULTILINE) and _is_yaml_mapping(text):
            raise InputError(
                f"{label}: this is a YAML document, not a Markdown model card; "
                "open it as a model catalog instead"
            )
        return None, text, 1
    yaml_text = match.group(2)
    # Blank lines before the YAML keep the loader's line numbers those of the file.
    offset = text[: match.start(2)].count("\n")
    body_line = text[: match.end()].count("\n") + 1
    front: Any = {}
    if yaml_text.strip():
        front = load_document(
            "\n" * offset + yaml_text, name=f"{label} front matter", max_bytes=max_bytes
        )
    if not isinstance(front, dict):
        raise InputError(
            f"{label}: the front matter must be 'key: value' lines, not {type(front).__name__}"
        )
    if "apiVersion" in front and "kind" in front:
        raise InputError(f"{label}: {_not_a_card('apiVersion')}")
    return front, text[match.end() :], body_line


def _is_yaml_mapping(text: str) -> bool:
    try:
        return isinstance(load_document(text), dict)
    except InputError:
        return False


def _not_a_card(start: str) -> str:
    if start.startswith("apiVersion"):
        return (
            "this is a Backstage catalog-info.yaml, not a model card; "
            "import it as a catalog-info file"
        )
    return "this is JSON, not a Markdown model card; open it as a model catalog instead"


def normalise_title(title: str) -> str:
    """A heading as the rules compare it: lower case, words only, ``[optional]`` gone."""
    text = clean_title(title).lower().replace("&", " and ")
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.replace("_", " ").split())


@lru_cache(maxsize=4096)
def classify(title: str) -> str | None:
    """The catalog field a section with this heading fills, or None."""
    norm = normalise_title(title)
    for name, exact, fragments in FIELD_RULES:
        if norm in exact or any(f in norm for f in fragments):
            return name
    return None


class _CardReader:
    """Reads one card's fields, noting into ``result`` where each came from."""

    def __init__(
        self, front: dict[str, Any], doc: Document, label: str, result: ImportResult
    ) -> None:
        self.front, self.doc, self.label, self.result = front, doc, label, result
        #: Annotations other readers add (the license id when the link is the License).
        self.extra_annotations: dict[str, str] = {}
        self.data = self._card_data()
        self.title = self._title_section()
        self.found: dict[str, list[Section]] = {}
        # Sections with no place in the catalog, and whether only their own text (before
        # their subsections, some of which did find a place) is meant.
        self.unmatched: list[tuple[Section, bool]] = []
        self.used_own_text: set[int] = set()
        roots = self.doc.sections
        if self.title is not None:
            i = roots.index(self.title)
            roots = roots[:i] + self.title.children + roots[i + 1 :]
        for section in roots:
            self._walk(section)

    # -- front matter --

    def _card_data(self) -> Any:
        # Only what we read through the Hub library goes to it: the whole front matter
        # as keywords breaks on keys such as 'ignore_metadata_errors' or 'tags: 5'.
        given = {k: self.front[k] for k in ("model_name", "model-index") if k in self.front}
        try:
            return ModelCardData(**given)
        except (ValueError, TypeError, KeyError):
            self.result.left_out.append(
                "front matter 'model-index': not in the Hub's format, so not read"
            )
            return ModelCardData(model_name=given.get("model_name"))

    def _texts(self, key: str) -> list[str]:
        """A front matter value as a list of strings (a string, or a list of them)."""
        value = self.front.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if isinstance(item, bool) and key == "language":
                item = "no" if item is False else "yes"  # YAML 1.1 reads Norwegian as false
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                if str(item).strip():
                    out.append(str(item).strip())
            else:
                self.result.left_out.append(f"front matter '{key}': {item!r} is not text")
        return out

    def name(self, filename: str | None, repo_id: str | None) -> str:
        """The model's name, made valid: (1) the repo id the person gave, (2) the front
        matter's names when they agree with each other, (3) the title heading, (4) the
        file name.  When the sources disagree, a warning lists what the others say."""
        index_name = self.data.model_name if self.front.get("model-index") else None
        stem = PurePath(filename).stem if filename else ""
        given = repo_id.strip() if repo_id and _REPO_ID.match(repo_id.strip()) else None
        front = [
            (source, value.strip())
            for source, value in (
                ("front matter 'model_name'", self.front.get("model_name")),
                ("model-index name", index_name),
            )
            if isinstance(value, str) and value.strip()
        ]
        agree = len({slug(v).lower() for _, v in front}) <= 1
        heading = self._title_name()
        candidates = [("repo id", given)]
        candidates += front[:1] if agree else []
        candidates += [("title heading", heading)]
        candidates += [("file name", stem if stem.lower() not in _README else None)]
        for source, value in candidates:
            if isinstance(value, str) and value.strip():
                name = slug(value)
                note = "" if name == value.strip() else f", made a valid name ('{name}')"
                self.result.imported.append(("name", f"{source} '{value.strip()}'{note}"))
                others = [
                    f"{other} '{text}'"
                    for other, text in [*front, ("title heading", heading)]
                    if isinstance(text, str) and text.strip() and slug(text).lower() != name.lower()
                ]
                if others:
                    why = "" if agree else " (the front matter's names disagree)"
                    self.result.warnings.append(
                        f"name: '{name}' from the {source}; the card also says "
                        f"{', '.join(others)}{why}: check it"
                    )
                return name
        self.result.warnings.append(
            "name: the card names no model; called 'imported-model', rename it"
        )
        return "imported-model"

    def license(self, repo_id: str | None = None) -> dict[str, str]:
        """``license``: the card's ``license_link`` as the License link when it is a URL
        (or a file of the repo, with the repo id), else the SPDX-spelt ``license``."""
        values = self._texts("license")
        name = " ".join(self._texts("license_name"))
        raw_link = " ".join(self._texts("license_link"))
        link = self._license_url(raw_link, repo_id)
        if len(values) > 1:
            self.result.warnings.append(
                f"license: the card lists {len(values)} licenses; kept the first, '{values[0]}'"
            )
        value = values[0] if values else ""
        if link:
            where = f"front matter license_link '{raw_link}'"
            if link != raw_link:
                where += f" (in the repo: {link})"
            self.result.imported.append(("license", where))
            for key, text in (("license", value), ("license_name", name)):
                if text and text.lower() != "other":
                    self.extra_annotations[f"huggingface.co/{key.replace('_', '-')}"] = text
                    self.result.imported.append(
                        ("annotations", f"front matter {key} '{text}' as huggingface.co/"
                         f"{key.replace('_', '-')} (the link is the License link)")
                    )  # fmt: skip
            return {"license": link}
        if raw_link:
            self.result.left_out.append(
                f"front matter license_link '{raw_link}': a file in the model's repository, "
                "not a URL (give the repo id to link it)"
            )
        if not value:
            section = self._section_text("license")
            if section:
                self.result.imported.append(("license", "section 'License' (its text)"))
                return {"license": section}
            return {}
        if value.lower() == "other" or (not canonical_spdx(value) and name):
            if name:
                self.result.imported.append(("license", f"front matter license_name '{name}'"))
                self._no_spdx(name)
                return {"license": name}
            self.result.warnings.append("license: 'other', with no name or link; left empty")
            return {}
        spdx = canonical_spdx(value)
        if spdx is None:
            self._no_spdx(value)
        note = f" (SPDX {spdx})" if spdx and spdx != value else ""
        self.result.imported.append(("license", f"front matter license '{value}'{note}"))
        return {"license": spdx or value}

    @staticmethod
    def _license_url(link: str, repo_id: str | None) -> str | None:
        """``license_link`` as a URL: as it is, or a file of the repo at huggingface.co."""
        if not link:
            return None
        if is_valid_url(link):
            return link
        path = link.strip().removeprefix("./")
        if (
            repo_id
            and _REPO_ID.match(repo_id.strip())
            and re.fullmatch(r"[\w][\w./-]*", path)
            and ".." not in path.split("/")
        ):
            return f"https://huggingface.co/{repo_id.strip()}/blob/main/{path}"
        return None

    def _no_spdx(self, value: str) -> None:
        self.result.warnings.append(
            f"license: '{value}' is not an SPDX license id, so it gets no link; its text "
            "goes to the TechDocs license page"
        )

    def tags(self) -> list[str]:
        """Card tags as valid tags, then ``task-<pipeline_tag>``; changes reported."""
        out: list[str] = []
        for raw in self._texts("tags"):
            tag = tag_slug(raw)
            if not tag:
                self.result.left_out.append(f"tag '{raw}': nothing of it is a valid tag")
            elif tag in out:
                self.result.warnings.append(f"tag '{raw}': a duplicate, kept once")
            else:
                if tag != raw:
                    self.result.warnings.append(f"tag '{raw}' became '{tag}' (a valid tag)")
                out.append(tag)
        if out:
            self.result.imported.append(("tags", f"front matter tags ({len(out)})"))
        for pipeline in self._texts("pipeline_tag")[:1]:
            task = tag_slug(f"task-{pipeline}")
            if task not in out:
                out.append(task)
            self.result.imported.append(("tags", f"pipeline_tag '{pipeline}' as '{task}'"))
        return out

    def annotations(self) -> dict[str, str]:
        """Base model, datasets, language and library as ``huggingface.co/...``."""
        out: dict[str, str] = dict(self.extra_annotations)
        for key, annotation in ANNOTATIONS.items():
            values = self._texts(key)
            if values:
                out[annotation] = ", ".join(values)
                self.result.imported.append(("annotations", f"front matter {key} as {annotation}"))
        return out

    # -- Markdown --

    def _title_section(self) -> Section | None:
        first = self.doc.sections[0] if self.doc.sections else None
        if first is not None and first.level == 1 and classify(first.title) is None:
            return first
        return None

    def _title_name(self) -> str | None:
        if self.title is None:
            return None
        match = _TEMPLATE_TITLE.match(clean_title(self.title.title))
        return match.group(1) if match else None

    def _walk(self, section: Section) -> bool:
        """Sort ``section`` into a field, or look into its subsections; True if any fit."""
        name = classify(section.title)
        if name is not None:
            self.found.setdefault(name, []).append(section)
            return True
        mark = len(self.unmatched)
        fits = any([self._walk(child) for child in section.children])
        if not fits:
            del self.unmatched[mark:]  # reported as one, with its subsections
        self.unmatched.append((section, fits))
        return fits

    def _section_text(self, name: str) -> str:
        sections = self.found.get(name, [])
        if len(sections) == 1:
            s = sections[0]
            return self.doc.text(s.start, s.end, top=s.level + 1)
        parts = []
        for s in sections:
            text = self.doc.text(s.start, s.end, top=s.level)
            if text.strip():
                parts.append(f"## {clean_title(s.title)}\n\n{text}")
        return "\n\n".join(parts)

    def _titles(self, name: str) -> str:
        """``section 'A'`` or ``sections 'A', 'B'``: where a field's text came from."""
        found = self.found.get(name, [])
        titles = ", ".join(f"'{clean_title(s.title)}'" for s in found)
        return f"section{'s' if len(found) > 1 else ''} {titles}"

    def description(self) -> str:
        """The summary section, else the first paragraph under the title."""
        intro = _callouts_after(self._intro_paragraphs(), self.result)
        text = self._section_text("description")
        if _CALLOUT.match(text):
            text = "\n\n".join(_callouts_after(_split_paragraphs(text), self.result))
        found = self.found.get("description", [])
        parent = found[0].parent if len(found) == 1 else None
        lead = []
        if parent is not None and parent is not self.title:
            lead = self._paragraphs(parent.start, parent.own_end)
        if text and not _starts_with_prose(text) and (lead or intro):
            # A section of facts only (sentence-transformers and diffusers cards): the
            # summary paragraph above it leads, the facts follow.
            where = "the section above it" if lead else "the first paragraph under the title"
            if lead and parent is not None:
                self.used_own_text.add(parent.line)
            text = (lead or intro).pop(0) + "\n\n" + text
            self.result.imported.append(
                ("description", f"{self._titles('description')} and {where}")
            )
        elif text:
            self.result.imported.append(("description", self._titles("description")))
        elif intro:
            text = intro.pop(0)
            self.result.imported.append(("description", "the first paragraph under the title"))
        else:
            self.result.warnings.append("description: the card has no summary; write one")
        if intro:
            self.result.left_out.append(f"{len(intro)} paragraph(s) of text under the title")
        return text

    def _intro_paragraphs(self) -> list[str]:
        """The text before the first section (under the title), paragraph by paragraph."""
        if self.title is not None:
            return self._paragraphs(self.title.start, self.title.own_end)
        end = self.doc.sections[0].line if self.doc.sections else len(self.doc.lines)
        return self._paragraphs(0, end)

    def _paragraphs(self, start: int, end: int) -> list[str]:
        paragraphs = re.split(r"\n\s*\n", self.doc.text(start, end))
        return [p.strip() for p in paragraphs if p.strip() and not _MEDIA_ONLY.match(p)]

    def texts(self) -> dict[str, str]:
        """Usage, training, ethics and support from their sections."""
        out: dict[str, str] = {}
        for name in TEXT_FIELDS:
            if name not in self.found:
                continue
            text = self._section_text(name)
            if text.strip():
                out[name] = text
                self.result.imported.append((name, self._titles(name)))
            else:
                self.result.left_out.append(f"{self._titles(name)}: only template placeholders")
        if "license" in self.found and "license" in self.front:
            self.result.left_out.append(
                f"{self._titles('license')}: the front matter's license is used"
            )
        return out

    def report_leftovers(self, body_line: int) -> None:
        """List front matter keys and sections that have no place in the catalog."""
        for key, value in self.front.items():
            if key == "model-index" and self.data.eval_results:
                self.result.left_out.append(
                    f"front matter 'model-index': {len(self.data.eval_results)} evaluation "
                    "result(s); benchmark scores have no place in a model catalog"
                )
            elif key not in _KNOWN_KEYS:
                self.result.left_out.append(f"front matter '{key}': {_preview(value)}")
        sections: list[str] = []
        for section, own_only in sorted(self.unmatched, key=lambda u: u[0].line):
            title, where = clean_title(section.title), f"line {section.line + body_line}"
            if own_only:
                if section.line in self.used_own_text:
                    continue
                if self.doc.text(section.start, section.own_end).strip():
                    sections.append(f"the text of section '{title}' ({where})")
            elif self.doc.text(section.start, section.end).strip():
                subs = _count(section) - 1
                more = f" and {subs} subsection(s)" if subs else ""
                sections.append(f"section '{title}' ({where}){more}")
        # A list a person can read: past that, a count.
        self.result.left_out += sections[:MAX_LISTED]
        if len(sections) > MAX_LISTED:
            self.result.left_out.append(f"{len(sections) - MAX_LISTED} more section(s)")


_CALLOUT = re.compile(r"^\s*>\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*", re.IGNORECASE)


def _split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _callouts_after(paragraphs: list[str], result: ImportResult) -> list[str]:
    """Leading GitHub callouts (``> [!NOTE]``) as plain text after the first paragraph
    of prose: a summary starts with what the model is, not with a quoted note."""
    notes: list[str] = []
    while paragraphs and _CALLOUT.match(paragraphs[0]):
        block = paragraphs.pop(0)
        found = _CALLOUT.match(block)
        assert found is not None
        kind = found.group(1).capitalize()
        lines = [re.sub(r"^\s*>\s?", "", line) for line in block[found.end() :].split("\n")]
        body = " ".join(line.strip() for line in lines if line.strip())
        notes.append(f"{kind}: {body}" if body else f"{kind}.")
    if not notes:
        return paragraphs
    result.imported.append(
        ("description", f"{len(notes)} '> [!...]' callout(s) at its start, as plain text after it")
    )
    if not paragraphs:
        return notes
    return [paragraphs[0] + "\n\n" + "\n\n".join(notes), *paragraphs[1:]]


def _starts_with_prose(text: str) -> bool:
    first = next((line for line in text.split("\n") if line.strip()), "")
    return not re.match(r"\s*(?:[-*+]\s|\d+[.)]\s|#|\||<|!\[|```|~~~)", first)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _count(section: Section) -> int:
    return 1 + sum(_count(c) for c in section.children)


def _preview(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"
