"""AppTest harness shared by the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_library(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give every app test its own empty catalog library.

    The app autosaves the catalog being edited (``ui.persistence``): without this, tests
    that load an example would store catalogs in the developer's real ``./data`` library.
    """
    data_dir: Path = tmp_path_factory.mktemp("library")
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(data_dir))
    monkeypatch.delenv("MODEL_CATALOG_DB_URL", raising=False)
