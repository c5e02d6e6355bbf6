"""Time the command line's cold start against the libraries it stands on.

Run on demand (pytest does not collect it)::

    .venv/bin/python benchmarks/bench_cli.py [--rounds 20] [--imports]

A pipeline validating 50 catalogs starts Python 50 times, so what counts is the whole
process: ``python -m catalog validate FILE`` and ``python -m catalog convert FILE -o OUT``
on a small catalog (the reference example ``003-multiple-models.json``), each as a fresh
process, timed from start to exit (wall clock).  The floor, timed in the same rounds, is
``python -c "import pydantic, yaml"``: what any tool built on those libraries pays
before it does anything.  Rounds alternate the three commands so a busy spell on the
machine hits each of them; one warm-up round (which also writes the bytecode caches) is
not counted.  Each process's CPU time (user + system, from the kernel's accounting) is
what is judged, as the wall clock of a shared machine mostly measures the other work on
it; the wall clock is shown too.  Target: each command within 1.3x the floor (medians;
minima shown too).

Python runs as installed: with bytecode caches (in a temporary ``PYTHONPYCACHEPREFIX``,
so nothing is written beside the sources, even where ``PYTHONDONTWRITEBYTECODE`` is set).
``--no-bytecode`` times the worse case where every module is compiled on every start.

``--imports`` prints the slowest imports of ``validate`` (``python -X importtime``), the
place to look when the ratio grows.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "reference" / "model-catalog" / "examples" / "003-multiple-models.json"
TARGET = 1.3


def commands(out: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        'floor: python -c "import pydantic, yaml"': [python, "-c", "import pydantic, yaml"],
        "python -m catalog validate": [python, "-m", "catalog", "validate", str(EXAMPLE)],
        "python -m catalog convert -o": [
            python,
            "-m",
            "catalog",
            "convert",
            str(EXAMPLE),
            "-o",
            str(out),
        ],
    }


def environment(cache: Path | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = "/nonexistent-bytecode-cache"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The process's wall-clock time and its CPU time (user + system), in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def slowest_imports(env: dict[str, str], limit: int = 15) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "catalog", "validate", str(EXAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[1].strip().isdigit():
            own = int(parts[0].split(":")[1])
            rows.append((own, int(parts[1]), parts[2].rstrip()))
    print("\nslowest imports of validate (own time, with what they import):")
    for own, total, name in sorted(rows, reverse=True)[:limit]:
        print(f"  {own / 1000:6.1f} ms own {total / 1000:6.1f} ms total  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--imports", action="store_true", help="show the slowest imports")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile every module on every start"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        env = environment(None if args.no_bytecode else Path(tmp) / "pycache")
        runs = commands(Path(tmp) / "catalog-info.yaml")
        for argv_ in runs.values():  # warm-up: bytecode caches, page cache
            run_once(argv_, env)
        wall: dict[str, list[float]] = {label: [] for label in runs}
        cpu: dict[str, list[float]] = {label: [] for label in runs}
        for _ in range(args.rounds):
            for label, argv_ in runs.items():
                w, c = run_once(argv_, env)
                wall[label].append(w)
                cpu[label].append(c)
        if args.imports:
            slowest_imports(env)

    cache = "no bytecode cache" if args.no_bytecode else "bytecode cached"
    print(f"{args.rounds} alternated rounds ({cache}), small catalog: {EXAMPLE.name}")
    failed = False
    for clock, times in (("CPU time", cpu), ("wall clock", wall)):
        print(f"{clock}:")
        floor_label = next(iter(runs))
        floor_median = statistics.median(times[floor_label])
        floor_min = min(times[floor_label])
        for label, seconds in times.items():
            median, least = statistics.median(seconds), min(seconds)
            ratio, min_ratio = median / floor_median, least / floor_min
            verdict = ""
            if label != floor_label and clock == "CPU time":
                ok = ratio <= TARGET
                failed |= not ok
                verdict = f"  (target {TARGET}x: {'met' if ok else 'MISSED'})"
            print(
                f"  {label:<42} median {median * 1000:6.1f} ms {ratio:5.2f}x   "
                f"min {least * 1000:6.1f} ms {min_ratio:5.2f}x{verdict}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
