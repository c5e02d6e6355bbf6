"""The Author page's new-user polish in AppTest: plain labels, each issue shown twice at
most (under its field and in the summary), and the preview's YAML readable."""

from __future__ import annotations

import re

from tests.app.test_author_page import load_example, open_model, run, show, start, texts


def test_an_error_is_shown_under_its_field_and_in_the_summary_only() -> None:
    at = open_model(show(load_example(start()), "models"), 0)
    at.text_input(key="models.0.name").input("ibm-granite/granite 3.1")
    run(at)
    lines = [t for t in texts(at) if "not a valid" in t]
    assert len(lines) == 2, lines
    in_summary = max(lines, key=len)  # the summary's line names the model and the field
    assert "> Name" in in_summary.replace("\\", "")
    assert "Export blocked" in " ".join(texts(at))  # the preview says why, without a copy


def test_the_preview_wraps_long_lines() -> None:
    at = load_example(start())
    (code,) = at.code
    assert code.proto.language == "yaml"  # short enough to be coloured
    # Wrapped by the page's style, not by st.code(wrap_lines=True), which builds an
    # element per line (slow with a hundred models); tests/e2e checks it in Chromium.
    assert not code.proto.wrap_lines
    styles = " ".join(h.proto.body for h in at.html)
    assert '.st-key-_preview-body [data-testid="stCode"] code' in styles
    assert "white-space: pre-wrap" in styles


def test_labels_are_plain_text_and_required_fields_are_marked_by_style() -> None:
    at = load_example(start())
    widgets = [*at.text_input, *at.text_area, *at.selectbox, *at.multiselect, *at.toggle]
    labels = {w.key: w.label for w in widgets if w.key and w.key.startswith("modelServer")}
    # What a screen reader announces: the words, no markdown (it read "Name :red[\*]").
    assert labels["modelServer.name"] == "Name"
    assert labels["modelServer.owner"] == "Owner"
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z ()/'-]*", label) for label in labels.values())
    styles = " ".join(h.proto.body for h in at.html)
    for required in ("modelServer-name", "modelServer-owner", "modelServer-description"):
        assert f".st-key-{required} label p::after" in styles
    assert ".st-key-modelServer-homepageURL " not in styles  # optional: no mark
