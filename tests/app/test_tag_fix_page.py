"""The Author page offers the one core tag fix: 'Bad Tag' becomes 'bad-tag'."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from ui import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_a_tag_with_a_space_gets_the_core_slug_as_its_one_click_fix() -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.button(key="_example:developer-model-service").click()
    at.run()
    editing = at.session_state[state.SESSION_KEY]
    doc: dict[str, Any] = json.loads(json.dumps(editing.document))
    doc["models"][1]["tags"] = ["Bad Tag", "vllm"]
    editing.edit("models.1.tags", doc["models"][1]["tags"])
    state_keys = [k for k in at.session_state if str(k).startswith("models.1.tags")]
    for key in state_keys:
        del at.session_state[key]  # the form re-reads the tags
    at.run()
    assert not at.exception
    fixes = [b for b in at.button if b.key and b.key.startswith("_fix.summary:models.1.tags.0")]
    assert [b.label.replace("\\", "") for b in fixes] == ["Use bad-tag"]  # markdown escapes
    fixes[0].click()
    at.run()
    assert not at.exception
    assert at.session_state[state.SESSION_KEY].document["models"][1]["tags"] == ["bad-tag", "vllm"]
