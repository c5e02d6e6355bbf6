"""What Backstage cannot take, though its validation lets it pass, and why we refuse it.

A NUL character (U+0000) in a description passes ``validate-entity``, but Backstage's
PostgreSQL refuses to store the entity: it stays unprocessed, and no error reaches the
entity or the location (only the backend's log says so).  Our validation calls it an
error (:mod:`catalog.text_checks`), so the Studio never publishes such a catalog.

Annotation keys that differ only in letter case (``Team`` and ``team``) pass too, and
Backstage processes the entity, but its stitcher cannot store it; again nothing but the
log says why.  Our validation calls it an error (:mod:`catalog.annotation_case`) and its
fix gives an entity Backstage stores.
"""

from __future__ import annotations

import copy
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.validate import fix_all, validate
from tests.backstage_backend import STUDIO_HOST, BackstageBackend, managed_by

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = 'invalid byte sequence for encoding "UTF8": 0x00'


@pytest.fixture
def served() -> Iterator[tuple[str, dict[str, str]]]:
    """A loopback server answering ``files[path]`` (a test fills it in)."""
    files: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path, "").encode()
            self.send_response(200 if self.path in files else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer((STUDIO_HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{STUDIO_HOST}:{server.server_address[1]}", files
    finally:
        server.shutdown()
        server.server_close()


def resource(name: str, **metadata: Any) -> dict[str, Any]:
    """A Resource entity (an ai-model) named ``name`` with more ``metadata``."""
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {"name": name, **metadata},
        "spec": {"type": "ai-model", "owner": "group:ml", "lifecycle": "production"},
    }


def assert_never_stored(
    backstage: BackstageBackend, served: tuple[str, dict[str, str]], entity: Any, refusal: str
) -> None:
    """Backstage's validation takes ``entity``; registered, it stays pending with no
    error, and only the backend's log says ``refusal``."""
    base, files = served
    path = f"/{entity['metadata']['name']}.yaml"
    files[path] = json.dumps(entity)  # JSON is YAML; \u0000 stays a NUL
    target = base + path
    assert backstage.validate_entity(entity, target).status_code == 200
    location = backstage.register(target)
    backstage.wait_for("the refusal in the log", lambda: refusal in backstage.log_tail(200_000))
    pending = [p for p in backstage.pending() if managed_by(p["unprocessed_entity"]) == target]
    assert [p["errors"] for p in pending] == [[]]  # stuck, and nothing says why
    assert [e["kind"] for e in backstage.entities_at(target)] == ["Location"]  # only its own
    backstage.unregister(location["location"]["id"])


def test_a_nul_character_passes_backstage_validation_but_is_never_stored(
    backstage: BackstageBackend, served: tuple[str, dict[str, str]]
) -> None:
    document = json.loads((ROOT / "examples" / "standalone-models.json").read_text())
    model = copy.deepcopy(document["models"][0])
    model["name"] = "nul-in-description"
    model["description"] = "Before\x00after."
    assert "nul-character" in {i.code for i in validate({"models": [model]}).errors}

    entity = resource(model["name"], description=model["description"])
    assert_never_stored(backstage, served, entity, REFUSAL)


CASE_REFUSAL = "duplicate keys that vary only in casing"


def test_annotation_keys_in_two_letter_cases_are_never_stored_and_our_fix_is(
    backstage: BackstageBackend, served: tuple[str, dict[str, str]]
) -> None:
    model = {
        "name": "case-clash-model",
        "owner": "group:ml",
        "lifecycle": "production",
        "description": "Two spellings of one annotation key.",
        "annotations": {"Team": "a", "team": "b"},
    }
    report = validate({"models": [model]})
    assert "annotation-key-case" in {i.code for i in report.errors}

    entity = resource(model["name"], annotations=model["annotations"])
    assert_never_stored(backstage, served, entity, CASE_REFUSAL)

    # What our one-click fix makes of it, Backstage stores.
    fixed, after = fix_all({"models": [dict(model, name="case-fixed-model")]})
    assert after.ok and after.entities is not None
    base, files = served
    files["/fixed.yaml"] = json.dumps(after.entities[0])
    fixed_target = f"{base}/fixed.yaml"
    fixed_location = backstage.register(fixed_target)
    stored = backstage.wait_for(
        "the fixed entity",
        lambda: [e for e in backstage.entities_at(fixed_target) if e["kind"] == "Resource"],
    )
    ours = fixed["models"][0]["annotations"]
    assert ours == {"Team": "a"}
    assert ours.items() <= stored[0]["metadata"]["annotations"].items()  # + Backstage's own
    backstage.unregister(fixed_location["location"]["id"])
