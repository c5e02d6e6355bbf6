"""Time the catalog store's common operations (on demand; not part of the test run).

    python -m benchmarks.bench_store                       # a SQLite file in a temp dir
    python -m benchmarks.bench_store postgresql://u@h/db   # an existing database
    python -m benchmarks.bench_store --catalogs 500 --models 50

Prints the median time of each operation.  The database should be empty or disposable:
the benchmark adds catalogs and leaves them there.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from catalog.store import Store


def document(models: int, seed: int) -> dict[str, Any]:
    """A catalog with ``models`` models of a realistic size."""
    return {
        "modelServer": {"name": f"server-{seed}", "owner": "team", "tags": ["vllm", f"s{seed}"]},
        "models": [
            {"name": f"model-{seed}-{i}", "description": "d" * 400, "tags": ["llm", f"m{i % 7}"]}
            for i in range(models)
        ],
    }


def timed(label: str, runs: int, action: Callable[[int], object]) -> None:
    """Run ``action(i)`` ``runs`` times and print the median duration."""
    durations = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        durations.append(time.perf_counter() - start)
    print(f"{label:<34} {statistics.median(durations) * 1000:8.2f} ms  (n={runs})")


def main() -> None:
    """Parse the arguments and run each timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--catalogs", type=int, default=200)
    parser.add_argument("--models", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/bench.db"
        timed("open (migrates a new database)", 1, lambda _: Store(url).close())
        timed("open (schema already at head)", 5, lambda _: Store(url).close())
        with Store(url) as store:
            ids: list[str] = []
            timed(
                "create",
                args.catalogs,
                lambda i: ids.append(store.create("", document(args.models, i)).id),
            )
            timed(
                "save (append a revision)",
                50,
                lambda i: store.save(ids[0], document(args.models, i), i + 1),
            )
            timed(
                "save_draft (autosave)",
                50,
                lambda i: store.save_draft(ids[1], document(args.models, i), 1),
            )
            timed("get", 50, lambda i: store.get(ids[i % len(ids)]))
            timed(f"list all ({args.catalogs})", 20, lambda _: store.list())
            timed("list search", 20, lambda i: store.list(search=f"model-{i}-1"))
            timed("list tag", 20, lambda i: store.list(tag=f"s{i}"))
            timed("revisions (50)", 20, lambda _: store.revisions(ids[0]))
            timed("load_all (library graph)", 5, lambda _: store.load_all())


if __name__ == "__main__":
    main()
