"""The test backend itself: it starts, checks its token, and reads what it is allowed to."""

from __future__ import annotations

from tests.backstage_backend import BackstageBackend


def test_backend_answers_with_its_token_and_refuses_without(backstage: BackstageBackend) -> None:
    assert backstage.request("GET", "/api/catalog/entities?limit=1").status_code == 200
    assert backstage.request("GET", "/api/catalog/entities", token="").status_code == 401
    assert backstage.request("GET", "/api/catalog/entities", token="wrong-token").status_code == 401
