"""Why aggregate-types is the slowest query against Oxigraph's server: the same query in pyoxigraph alone (no
HTTP), on the in-memory store stm-kg serves by default and on an on-disk (RocksDB) store like the one
``oxigraph serve-read-only`` uses. Prints medians of 9 runs; asserts nothing.

usage: .venv/bin/python tests/benchmarks/store_kinds.py DATA.nt   (e.g. a file written by generator.py)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

import pyoxigraph as ox

from query_mix import PREFIXES, QUERIES


def median_ms(store: ox.Store, query: str, union: bool, runs: int = 9) -> float:
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        store.query(query, use_default_graph_as_union=union).serialize(format=ox.QueryResultsFormat.JSON)
        took.append(time.perf_counter() - started)
    return statistics.median(took) * 1000


def main(path: str, names: list[str]) -> None:
    in_memory = ox.Store()
    in_memory.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
    with tempfile.TemporaryDirectory() as folder:
        on_disk = ox.Store(folder)
        on_disk.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
        on_disk.flush()
        for name in names:
            query = PREFIXES + QUERIES[name][1]  # queries with sample placeholders ({root}, {doc}) are not for here
            memory, disk = median_ms(in_memory, query, True), median_ms(on_disk, query, True)
            print(f"{name}: in memory {memory:.1f} ms, on disk {disk:.1f} ms, ratio {memory / disk:.2f} (union default graph)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["aggregate-types"])
