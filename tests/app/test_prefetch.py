"""The first page fetches the Author form's widget code ahead: the chunks it names exist."""

from __future__ import annotations

from ui import prefetch


def test_every_component_the_form_needs_has_one_chunk_in_this_streamlit() -> None:
    # A Streamlit upgrade that renames a chunk would silently bring back the wait.
    names = prefetch.chunk_names()
    for component in prefetch.COMPONENTS:
        matching = [n for n in names if n.split(".")[0] == component]
        assert len(matching) == 1, (component, names)
        assert (prefetch.STATIC_JS / matching[0]).is_file()


def test_the_script_imports_exactly_those_chunks_once_per_page() -> None:
    script = prefetch.script()
    assert "window.__catalogPrefetch" in script
    for name in prefetch.chunk_names():
        assert f'"{name}"' in script
