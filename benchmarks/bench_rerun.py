"""Time one field edit with 100 models in the catalog against a rerun of an empty catalog.

Run: ``python benchmarks/bench_rerun.py [--models 100] [--repeat 15]``.  Both are
measured with Streamlit's AppTest in the same process, interleaved, so the ratio
cancels out the machine's speed and load; the target is a ratio of 5 or less (the
script exits 1 above ``--max-ratio``).  The edit is a real one: a model's description
is typed into its text area, so validation, the YAML and the page all run again.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui import state  # noqa: E402
from ui.form import SECTION_KEY  # noqa: E402
from ui.sections import PAGE_SIZE  # noqa: E402

EXAMPLE = ROOT / "examples" / "developer-model-service.json"


def big_catalog(models: int) -> dict[str, Any]:
    """The vLLM example with ``models`` models (copies of its first, renamed)."""
    document = json.loads(EXAMPLE.read_text("utf-8"))
    template = document["models"][0]
    document["models"] = []
    for n in range(models):
        model = copy.deepcopy(template)
        model["name"] = f"model-{n:03d}"
        document["models"].append(model)
    return document


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def empty_app() -> AppTest:
    """The app after its first run, with an empty catalog."""
    return _app().run()


def big_app(models: int) -> tuple[AppTest, int]:
    """The app showing ``models`` models, the middle one open; returns it and that index."""
    at = _app()
    at.session_state[state.DOCUMENT_KEY] = big_catalog(models)
    at.session_state[state.REVISION_KEY] = 1
    at.session_state[SECTION_KEY] = "models"
    middle = models // 2
    at.session_state[state.form_key("open", f"models.{middle}")] = True
    # The model list is paged: show the page holding the open model, as a user would.
    at.session_state[state.form_key("page", "models")] = middle // PAGE_SIZE + 1
    return at.run(), middle


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def measure(models: int, repeat: int) -> tuple[list[float], list[float]]:
    """Interleave empty reruns and field edits, so load on the machine hits both alike."""
    empty = empty_app()
    big, middle = big_app(models)
    key = f"models.{middle}.description"
    empty_times: list[float] = []
    edit_times: list[float] = []
    for n in range(repeat + 2):  # the first two warm caches and are dropped
        empty_times.append(_timed(empty))
        big.text_area(key=key).input(f"Edited description number {n}.")
        edit_times.append(_timed(big))
    for at in (empty, big):
        assert not at.exception, at.exception
    edited = big.session_state[state.DOCUMENT_KEY]["models"][middle]["description"]
    assert edited == f"Edited description number {repeat + 1}.", edited
    return empty_times[2:], edit_times[2:]


def main(argv: list[str] | None = None) -> int:
    """Print both medians and their ratio; fail when the ratio exceeds ``--max-ratio``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--max-ratio", type=float, default=5.0)
    args = parser.parse_args(argv)
    empty_times, edit_times = measure(args.models, args.repeat)
    empty, edit = statistics.median(empty_times), statistics.median(edit_times)
    ratio = edit / empty
    best = min(edit_times) / min(empty_times)
    print(f"empty catalog rerun      {empty * 1000:7.1f} ms  (median of {args.repeat})")
    print(f"field edit, {args.models:>3} models  {edit * 1000:7.1f} ms  (median of {args.repeat})")
    print(
        f"ratio                    {ratio:7.2f}x    (best runs: {best:.2f}x; target <= "
        f"{args.max_ratio:g}x)"
    )
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
