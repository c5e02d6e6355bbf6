"""The first page fetches the Author form's widget code ahead: the chunks it names exist."""

from __future__ import annotations

import json
import re

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


def test_each_wave_preloads_every_module_its_chunks_import_and_none_twice() -> None:
    waves = prefetch.waves()
    # What an example shows comes first; the table (drawn once opened) last.
    assert [c.split(".")[0] for c in waves[-1]["chunks"]] == ["DataFrame"]
    asked = [m for wave in waves for m in wave["modules"]]
    assert len(asked) == len(set(asked))
    for wave in waves:
        for chunk in wave["chunks"]:
            text = (prefetch.STATIC_JS / chunk).read_text("utf-8")
            imports = set(re.findall(r'(?:\bfrom|\bimport)\s*"\./([^"]+\.js)"', text))
            assert imports, chunk  # a chunk without imports: the pattern no longer matches
            assert imports <= set(asked), (chunk, imports - set(asked))
    # The script carries them as data, not as code.
    assert json.dumps(waves) in prefetch.script()
