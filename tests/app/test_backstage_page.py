"""The Backstage page in AppTest: how to configure it, and (with a real Backstage) its work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def backstage_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/backstage.py").run()
    assert not at.exception
    return at


def test_without_configuration_the_page_says_how_to_configure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MODEL_CATALOG_BACKSTAGE_URL", raising=False)
    monkeypatch.delenv("MODEL_CATALOG_BACKSTAGE_TOKEN", raising=False)
    at = backstage_page()
    assert "Backstage is not configured" in at.info[0].value
    shown = "\n".join(c.value for c in at.code)
    assert "MODEL_CATALOG_BACKSTAGE_URL=" in shown
    assert "MODEL_CATALOG_BACKSTAGE_TOKEN=" in shown
    assert "reading:" in shown and "- host: " in shown
    assert not [b for b in at.button if b.key.startswith("backstage.")]  # nothing to press yet


def test_a_url_that_is_not_one_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_CATALOG_BACKSTAGE_URL", "localhost 7007")
    at = backstage_page()
    assert "is not a Backstage URL" in at.error[0].value
