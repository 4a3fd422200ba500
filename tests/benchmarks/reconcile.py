"""Reconciliation figures on the bundled graph, over HTTP against a real ``stm-kg serve``: prints, asserts nothing.

1. Precision on the names and abbreviations of every organisation of the graph (each ``skos:prefLabel``,
   ``skos:altLabel`` and ``rdfs:label`` of each ``org:Organization``), asked as OpenRefine asks (type
   ``org:Organization``, ``type_strict`` "should") and without a type: how often the top candidate is right,
   how often it is taken as a certain match, and how often a certain match is wrong.
2. What the same names cost when each is given a slip (one letter dropped from the middle, as OCR does), and
   when they are nonsense (the names reversed): right top candidates, and matches taken.
3. Latency of a batch of 50 queries (form-encoded POST, as OpenRefine sends it): the first batch after start
   (the index is built then) and the median of 20 batches after it.

usage: .venv/bin/python tests/benchmarks/reconcile.py [--url http://HOST:PORT]   (default: starts a server)
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "endpoint"))
from endpoint_server import RunningServer  # noqa: E402

NAMES = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?o ?name WHERE { ?o a org:Organization . VALUES ?p { skos:prefLabel skos:altLabel rdfs:label } ?o ?p ?name }"""
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}


def names(url: str) -> dict[str, set[str]]:
    rows = requests.post(f"{url}/sparql", data={"query": NAMES}, headers={"Accept": "application/sparql-results+json"},
                         timeout=60).json()["results"]["bindings"]
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["name"]["value"]].add(row["o"]["value"].split("/id/", 1)[1])
    return found


def batch(url: str, texts: list[str], **fields) -> list[list[dict]]:
    queries = {f"q{i}": {"query": text, **fields} for i, text in enumerate(texts)}
    answer = requests.post(f"{url}/reconcile", data={"queries": json.dumps(queries)}, headers=FORM, timeout=300).json()
    return [answer[f"q{i}"]["result"] for i in range(len(texts))]


def precision(label: str, texts: list[str], owners: list[set[str]], results: list[list[dict]]) -> None:
    right = sum(1 for found, own in zip(results, owners) if found and found[0]["id"] in own)
    taken = [(found[0], own) for found, own in zip(results, owners) if found and found[0]["match"]]
    wrong = sum(1 for candidate, own in taken if candidate["id"] not in own or len(own) > 1)
    n = len(texts)
    print(f"{label:<44} {n:>4} names: top candidate right {right}/{n} ({100 * right / n:.1f} %), "
          f"taken as certain {len(taken)}/{n} ({100 * len(taken) / n:.1f} %), wrongly taken {wrong}")


def slipped(text: str) -> str:
    return text[: len(text) // 2] + text[len(text) // 2 + 1:] if len(text) > 8 else text


def main(url: str) -> None:
    found = names(url)
    texts = sorted(found)
    owners = [found[t] for t in texts]
    print(f"{len({o for own in owners for o in own})} organisations, {len(texts)} distinct names and abbreviations")
    typed = {"type": "org:Organization", "type_strict": "should"}
    precision("as OpenRefine asks (type, should)", texts, owners, batch(url, texts, **typed))
    precision("without a type", texts, owners, batch(url, texts))
    long_ones = [t for t in texts if len(t) > 8]
    precision("one letter dropped (names over 8 letters)", long_ones, [found[t] for t in long_ones],
              batch(url, [slipped(t) for t in long_ones], **typed))
    nonsense = batch(url, [t[::-1] for t in texts], **typed)
    print(f"{'nonsense (each name reversed)':<44} {len(texts):>4} names: candidates offered for "
          f"{sum(1 for r in nonsense if r)}, taken as certain {sum(1 for r in nonsense if r and r[0]['match'])}")
    fifty = (texts * 2)[:50]
    started = time.perf_counter()
    batch(url, fifty, **typed)
    first = time.perf_counter() - started
    took = []
    for _ in range(20):
        started = time.perf_counter()
        batch(url, fifty, **typed)
        took.append(time.perf_counter() - started)
    print(f"a batch of 50 queries: {1000 * first:.0f} ms the first time after this run's earlier batches, "
          f"median {1000 * statistics.median(took):.0f} ms ({1000 * min(took):.0f}-{1000 * max(took):.0f}, 20 batches)")


def cold_start() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = RunningServer([], Path(folder) / "server.log").start(timeout=180)
        try:
            texts = sorted(names(server.url))[:50]
            started = time.perf_counter()
            batch(server.url, texts, type="org:Organization", type_strict="should")
            print(f"the very first batch of 50 after start (the index is built): {1000 * (time.perf_counter() - started):.0f} ms")
            main(server.url)
        finally:
            server.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--url":
        main(sys.argv[2].rstrip("/"))
    else:
        cold_start()
