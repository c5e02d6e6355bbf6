"""A placeholder API spec (TBD, N/A...) shows a warning on the Author page: in the summary,
named by its field, and under the field."""

from __future__ import annotations

from test_author_page import issue_lines, load_example, run, show, start


def test_a_placeholder_spec_is_warned_about_under_its_field() -> None:
    at = show(load_example(start()), "modelServer.API")
    at.text_area(key="modelServer.API.spec").input("TBD")
    run(at)
    warnings = [w for w in issue_lines(at, "orange") if "TBD" in w and "is a placeholder" in w]
    assert warnings, issue_lines(at, "orange")
    # Once in the summary, named by its field, and once under the field itself.
    assert len(warnings) == 2
    assert sum("Spec:**" in w for w in warnings) == 1
    assert all("cannot render" in w for w in warnings)
    assert issue_lines(at, "red") == []
    assert at.code  # a warning: the preview still shows the entities


def test_a_real_spec_gets_no_such_warning() -> None:
    at = show(load_example(start()), "modelServer.API")
    at.text_area(key="modelServer.API.spec").input("https://example.com/openapi.json")
    run(at)
    assert not [w for w in issue_lines(at, "orange") if "placeholder" in w]
