"""Time a large catalog end to end (read, validate, convert, emit) against a JSON floor.

Run on demand (pytest does not collect it)::

    .venv/bin/python benchmarks/bench_convert.py [--models 10000] [--repeat 3] [--profile yaml]

The catalog: one server with an API and ``--models`` models, each with 6 tags, 3 links
(artifactLocationURL, howToUseURL, a licence URL), 2 annotations and a 2 KB usage text,
written to a temporary JSON file.  End to end is ``python -m catalog convert FILE -o OUT``
run in this process (``catalog.cli.main``): read the file, parse it, validate it (which
converts it and checks every entity) and write YAML or JSON.  Caches start cold each run.

The floor, measured in the same run, is ``json.load`` of the input plus ``json.dumps`` of
it, indented as our JSON output is; the compact (C encoder only) figure is shown too.
Targets: JSON output within 3x the floor, YAML output within 5x.  For comparison, PyYAML's
C dumper (``CSafeDumper``) writes the same entities.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

import catalog.convert
import catalog.emit
import catalog.licenses
import catalog.rules
from catalog import cli
from catalog.emit import to_yaml

JSON_TARGET = 3.0
YAML_TARGET = 5.0

USAGE_PARAGRAPH = (
    "Send chat completions to the server's OpenAI-compatible endpoint with your API key "
    "in the Authorization header. The model answers in the language of the prompt; keep "
    "prompts under 4,000 tokens for the best latency.\n"
)
USAGE_CODE = (
    "```python\n"
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.example.com/v1", api_key=KEY)\n'
    'reply = client.chat.completions.create(model="MODEL", messages=[{"role": "user",'
    ' "content": "Hello"}])\n'
    "print(reply.choices[0].message.content)\n"
    "```\n"
)


def usage_text(i: int) -> str:
    """About 2 KB of Markdown: paragraphs and a code block, as model usage notes are."""
    text = f"# Using model {i}\n\n"
    while len(text) < 2048 - len(USAGE_CODE):
        text += USAGE_PARAGRAPH + "\n"
    return text + USAGE_CODE.replace("MODEL", f"model-{i:05d}")


def build_catalog(models: int) -> dict[str, Any]:
    """A valid catalog: one server with an API and ``models`` fully described models."""
    return {
        "modelServer": {
            "name": "bench-model-service",
            "owner": "group:default/ai-platform",
            "lifecycle": "production",
            "description": f"A vLLM model service running {models} models",
            "homepageURL": "https://models.apps.example.com",
            "authentication": True,
            "tags": ["vllm", "genai", "gateway"],
            "usage": usage_text(0),
            "annotations": {"example.com/team": "ai-platform"},
            "API": {
                "url": "https://api.models.apps.example.com/v1",
                "type": "openapi",
                "spec": "https://models.apps.example.com/openapi.json",
                "tags": ["openapi", "openai"],
            },
        },
        "models": [
            {
                "name": f"granite-{i:05d}-code-instruct",
                "owner": f"user:owner-{i % 50}",
                "lifecycle": "production" if i % 3 else "experimental",
                "description": f"Granite model {i}, fine-tuned for code generation and repair",
                "artifactLocationURL": f"https://huggingface.co/ibm-granite/granite-{i:05d}",
                "howToUseURL": f"https://models.apps.example.com/docs/granite-{i:05d}",
                "license": "https://www.apache.org/licenses/LICENSE-2.0",
                "tags": ["genai", "llm", "granite", "code", f"size-{i % 8}b", "ibm"],
                "annotations": {
                    "TechDocs": f"https://github.com/example/models/tree/main/granite-{i:05d}",
                    "example.com/cost-centre": f"cc-{i % 13}",
                },
                "usage": usage_text(i),
            }
            for i in range(models)
        ],
    }


def best_of(repeat: int, runs: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """The fastest of ``repeat`` runs of each, in seconds, taken in interleaved rounds.

    Interleaving keeps the ratios fair on a busy machine: a slow spell hits every
    measurement of a round, not just one of them.  The clock is this process's CPU time
    (everything here is single-threaded and the file is in the page cache), so other
    work on the machine does not count.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for label, run in runs.items():
            cold_caches()
            gc.collect()
            start = time.process_time()
            run()
            best[label] = min(best[label], time.process_time() - start)
    return best


def cold_caches() -> None:
    """Empty the core's memo caches, so every run starts as a fresh process would."""
    for module in (catalog.convert, catalog.emit, catalog.licenses, catalog.rules):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def end_to_end(path: Path, output: str) -> Path:
    """``python -m catalog convert`` in this process: read, validate, convert, write a file."""
    out = path.with_suffix(f".out.{output}")
    status = cli.main(["convert", str(path), "--format", output, "-o", str(out)])
    if status != 0:
        raise SystemExit(f"the benchmark catalog did not convert (exit status {status})")
    return out


def floor(path: Path) -> str:
    """Read the JSON file and write it back as our JSON output is written (indented)."""
    with path.open("rb") as fh:
        data = json.load(fh)
    return json.dumps(data, indent=2, ensure_ascii=False)


def compact_floor(path: Path) -> str:
    """The same with compact output: the C encoder only, the least any tool could do."""
    with path.open("rb") as fh:
        data = json.load(fh)
    return json.dumps(data, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=["yaml", "json"], help="profile one output")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.json"
        path.write_text(json.dumps(build_catalog(args.models), indent=2), encoding="utf-8")
        size = path.stat().st_size / (1024 * 1024)
        print(f"catalog: {args.models:,} models, {size:.1f} MB of JSON; best of {args.repeat}")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(end_to_end, path, args.profile)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            return 0

        entities = json.loads(end_to_end(path, "json").read_text(encoding="utf-8"))
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        times = best_of(
            args.repeat,
            {
                "floor": lambda: floor(path),
                "compact": lambda: compact_floor(path),
                "json": lambda: end_to_end(path, "json"),
                "yaml": lambda: end_to_end(path, "yaml"),
                "emit": lambda: to_yaml(entities),
                "pyyaml": lambda: yaml.dump_all(
                    entities, Dumper=dumper, sort_keys=False, allow_unicode=True
                ),
            },
        )
        yaml_size = len(to_yaml(entities).encode("utf-8"))

    base = times["floor"]
    rows = [
        ("floor: json.load + json.dumps(indent=2)", base, None),
        ("json.load + json.dumps (compact, C only)", times["compact"], None),
        ("end to end, JSON output", times["json"], JSON_TARGET),
        ("end to end, YAML output", times["yaml"], YAML_TARGET),
        ("emit only: catalog.emit.to_yaml", times["emit"], None),
        (f"emit only: PyYAML {dumper.__name__}", times["pyyaml"], None),
    ]
    failed = False
    for label, seconds, target in rows:
        ratio = seconds / base
        verdict = ""
        if target is not None:
            ok = ratio <= target
            failed |= not ok
            verdict = f"  (target {target:.0f}x: {'met' if ok else 'MISSED'})"
        compact = seconds / times["compact"]
        print(
            f"{label:<42} {seconds * 1000:7.0f} ms  {ratio:5.2f}x floor "
            f"({compact:5.2f}x compact){verdict}"
        )
    print(f"YAML output: {yaml_size / (1024 * 1024):.1f} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
