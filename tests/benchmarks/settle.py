"""What settling an update that makes up values costs (decision 0009): `EmbeddedStore.settle` for a STRUUID()
update on an in-memory store of 10k, 100k and 1M quads, against applying the update as it is. Prints figures.

usage: .venv/bin/python tests/benchmarks/settle.py [QUADS ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from stm_kg.store.changes import SparqlUpdate
from stm_kg.store.embedded import EmbeddedStore

EX = "http://example.org/"
CHANGE = SparqlUpdate(f"INSERT {{ GRAPH <{EX}g> {{ <{EX}s1> <{EX}id> ?u }} }} WHERE {{ BIND(STRUUID() AS ?u) }}")


def store_of(quads: int, folder: Path) -> EmbeddedStore:
    data = folder / f"{quads}.nq"
    data.write_text("".join(f"<{EX}s{i // 10}> <{EX}p{i % 10}> \"{i}\" <{EX}g> .\n" for i in range(quads)))
    store = EmbeddedStore()
    store.load_file(data, ox.RdfFormat.N_QUADS, None)
    return store


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for quads in sizes:
            measure(store_of(quads, Path(folder)), quads)


def measure(store: EmbeddedStore, quads: int) -> None:
    settling = []
    for _ in range(3):
        started = time.perf_counter()
        store.settle(CHANGE)
        settling.append(time.perf_counter() - started)
    started = time.perf_counter()
    store.apply(CHANGE)
    plain = time.perf_counter() - started
    print(f"{quads:>9} quads: settle {min(settling):.3f}-{max(settling):.3f} s (3 runs), "
          f"the update as it is {plain * 1000:.2f} ms")

if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
