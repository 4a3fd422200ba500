"""What writes cost, in this process (no HTTP): prints figures, asserts nothing.

1. A SHACL-gated write on the bundled graph (``GatedWriter`` with the project's shapes, as ``stm-kg serve``
   gates a client's write): one ``INSERT DATA`` of one triple, 5 runs after one untimed.
2. Settling an update that makes up values (decision 0009): ``EmbeddedStore.settle`` for a ``STRUUID()``
   update on in-memory stores of 10k, 100k and 1M quads (3 runs each), against applying the update as it is.

usage: .venv/bin/python tests/benchmarks/writes.py [QUADS ...]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from stm_kg.pipeline.compile import ensure_built
from stm_kg.store.changes import SparqlUpdate
from stm_kg.store.embedded import EmbeddedStore
from stm_kg.store.gate import GatedWriter
from stm_kg.store.shacl import project_validator

EX = "http://example.org/"
MAKES_UP = SparqlUpdate(f"INSERT {{ GRAPH <{EX}g> {{ <{EX}s1> <{EX}id> ?u }} }} WHERE {{ BIND(STRUUID() AS ?u) }}")


def gated_writes(runs: int = 5) -> None:
    store = EmbeddedStore()
    store.load_file(Path(ensure_built()), ox.RdfFormat.TRIG, None)
    writer = GatedWriter(store, project_validator)
    took = []
    for n in range(runs + 1):
        started = time.perf_counter()
        writer.write(SparqlUpdate(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}x> <{EX}note> "{n}" }} }}'))
        took.append(time.perf_counter() - started)
    print(f"gated write, bundled graph ({store.default_graph_size():,} triples): median {statistics.median(took[1:]):.2f} s "
          f"({min(took[1:]):.2f}-{max(took[1:]):.2f}, {runs} runs; the first, with the baseline, {took[0]:.2f} s)")


def store_of(quads: int, folder: Path) -> EmbeddedStore:
    data = folder / f"{quads}.nq"
    data.write_text("".join(f"<{EX}s{i // 10}> <{EX}p{i % 10}> \"{i}\" <{EX}g> .\n" for i in range(quads)))
    store = EmbeddedStore()
    store.load_file(data, ox.RdfFormat.N_QUADS, None)
    return store


def settling(store: EmbeddedStore, quads: int) -> None:
    took = []
    for _ in range(3):
        started = time.perf_counter()
        store.settle(MAKES_UP)
        took.append(time.perf_counter() - started)
    started = time.perf_counter()
    store.apply(MAKES_UP)
    plain = time.perf_counter() - started
    print(f"{quads:>9} quads: settle {min(took):.3f}-{max(took):.3f} s (3 runs), "
          f"the update as it is {plain * 1000:.2f} ms")


def main(sizes: list[int]) -> None:
    gated_writes()
    with tempfile.TemporaryDirectory() as folder:
        for quads in sizes:
            settling(store_of(quads, Path(folder)), quads)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
