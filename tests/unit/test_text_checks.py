"""A NUL character anywhere in a catalog's text is an error with a fix (Backstage cannot
store it: tests/backstage found the entity stuck unprocessed, with no error shown)."""

from __future__ import annotations

import pytest

from catalog.validate import fix_all, validate


def catalog_with(**model_fields: object) -> dict[str, object]:
    model = {"name": "granite", "owner": "group:ml", "lifecycle": "production"}
    return {"models": [{**model, "description": "A model.", **model_fields}]}


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"description": "A\x00model."}, "models.0.description"),
        ({"usage": "Call it.\x00"}, "models.0.usage"),
        ({"annotations": {"example.com/note": "a\x00b"}}, "models.0.annotations.example.com/note"),
    ],
)
def test_a_nul_character_is_an_error_at_its_field(fields: dict[str, object], path: str) -> None:
    report = validate(catalog_with(**fields))
    (issue,) = [i for i in report.errors if i.code == "nul-character"]
    assert issue.path == path
    assert "NUL" in issue.message and "Backstage" in issue.message
    assert report.entities is None


def test_the_fix_removes_the_nul_characters_and_keeps_the_rest() -> None:
    fixed, report = fix_all(catalog_with(description="A\x00 model.\x00"))
    assert report.ok
    assert fixed["models"][0]["description"] == "A model."


def test_ordinary_control_characters_stay_allowed() -> None:
    assert validate(catalog_with(description="Tab\there, line\nthere.")).ok
