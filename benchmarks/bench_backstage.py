"""Time the test Backstage backend and a library's way into it (on demand).

    python -m benchmarks.bench_backstage                 # 3 starts, 50 catalogs
    python -m benchmarks.bench_backstage --starts 5 --catalogs 100

Prints: the throwaway PostgreSQL's start, each backend start (process to first answer),
and, for one Location with ``--catalogs`` catalogs served by the running Studio, the
time from registering it until Backstage holds every entity, and the Studio's time to
answer every file in full (200) and with ``If-None-Match`` (304), as a ratio.  Both are
cheap (each revision is validated once); what a 304 spares is Backstage's parsing and
processing of an unchanged file.
Needs what the tests need: PostgreSQL binaries, node 20 and ``backstage-backend/``'s
``npm ci``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.backstage.conftest import start_studio
from tests.backstage_backend import start_backend
from tests.postgres import pg_server

ROOT = Path(__file__).resolve().parent.parent


def _catalog(number: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (ROOT / "examples" / "developer-model-service.json").read_text()
    )
    document["modelServer"]["API"]["spec"] = '{"openapi": "3.0.0", "paths": {}}'
    document["modelServer"]["name"] = f"bench-{number}-server"
    for index, model in enumerate(document["models"]):
        model["name"] = f"bench-{number}-model-{index}"
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--catalogs", type=int, default=50)
    args = parser.parse_args()

    began = time.perf_counter()
    with pg_server() as pg:
        print(f"PostgreSQL start            {time.perf_counter() - began:6.1f} s")
        starts = []
        for _ in range(args.starts):
            began = time.perf_counter()
            with start_backend(pg):
                starts.append(time.perf_counter() - began)
        print(
            f"backend start (median of {args.starts}) {statistics.median(starts):6.1f} s  "
            f"(min {min(starts):.1f}, max {max(starts):.1f})"
        )
        with (
            tempfile.TemporaryDirectory() as data,
            start_studio(Path(data)) as studio,
            start_backend(pg) as backstage,
        ):
            with studio.store() as store:
                for number in range(args.catalogs):
                    store.create(None, _catalog(number))
            want = args.catalogs * 4  # Component, API and two Resources each
            began = time.perf_counter()
            location = backstage.register(studio.location)
            backstage.wait_for(
                f"{want} entities",
                lambda: len(backstage.entities(studio.location)) >= want,
                timeout=600,
            )
            first = time.perf_counter() - began
            print(f"register -> {want} entities  {first:6.1f} s")
            ids = [t.split("/")[-2] for t in _targets(studio.location)]
            etags = {}
            began = time.perf_counter()
            for catalog_id in ids:
                etags[catalog_id] = requests.get(studio.target(catalog_id), timeout=30).headers[
                    "etag"
                ]
            full = time.perf_counter() - began
            began = time.perf_counter()
            for catalog_id in ids:
                answer = requests.get(
                    studio.target(catalog_id),
                    headers={"If-None-Match": etags[catalog_id]},
                    timeout=30,
                )
                assert answer.status_code == 304
            cached = time.perf_counter() - began
            print(
                f"re-read {len(ids)} files: 200 {full * 1000:6.0f} ms, 304 {cached * 1000:6.0f} ms "
                f"(ratio {cached / full:.2f})"
            )
            backstage.unregister(location["location"]["id"])


def _targets(location_url: str) -> list[str]:
    text = requests.get(location_url, timeout=30).text
    return list(yaml.safe_load(text)["spec"]["targets"])


if __name__ == "__main__":
    main()
