"""The sidebar logo: its name fits whatever font the browser falls back to."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

LOGO = Path(__file__).resolve().parents[2] / "ui" / "assets" / "logo.svg"
SVG = "{http://www.w3.org/2000/svg}"


def test_the_name_is_fitted_inside_the_logo_so_no_font_cuts_it_off() -> None:
    # Before: no Source Sans in the <img>, a wider fallback font, "Model Catalog Stuc".
    root = ElementTree.parse(LOGO).getroot()
    width = float(root.get("viewBox", "").split()[2])
    [text] = root.iter(f"{SVG}text")
    assert "".join(text.itertext()) == "Model Catalog Studio"
    assert text.get("lengthAdjust") == "spacingAndGlyphs"
    assert float(text.get("x", 0)) + float(text.get("textLength", width)) <= width
