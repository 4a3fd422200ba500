"""Generate a large data file "of the same shape" as the bundled knowledge graph, for validation timing.

The bundled data (``data/*.ttl``) is copied as often as needed, each copy with its own resources: every
``{base}id/…`` IRI gets the suffix ``-c{k}`` (concepts of our schemes excepted, so that the copies still point
into the actielijnen, statuses, document kinds …) and blank nodes are fresh per copy. The output is
deterministic for a given data folder and size.

    .venv/bin/python tests/benchmarks/validation_generator.py OUT.ttl [--triples 100000]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import BNode, Graph, URIRef

from stm_kg.config import DATA_DIR
from stm_kg.namespaces import PREFIXES, STM_ID
from stm_kg.pipeline.sources import DESCRIPTIONS, read_graph, turtle_files
from stm_kg.pipeline.validation import default_ontology


def bundled_data(data_dir: Path = DATA_DIR) -> Graph:
    graph = Graph()
    for path in turtle_files(data_dir, exclude={"links", DESCRIPTIONS}):
        graph += read_graph(path)
    return graph


def generate(triples: int, data_dir: Path = DATA_DIR) -> Graph:
    """About ``triples`` triples (whole copies of the bundled data, the last one cut off)."""
    template = sorted(bundled_data(data_dir))  # sorted: the same output every time
    shared = set(default_ontology().subjects())  # scheme concepts and schemes stay shared
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    copy = 0
    while len(out) < triples:
        blanks: dict[BNode, BNode] = {}

        def rename(term, copy=copy, blanks=blanks):
            if isinstance(term, BNode):
                return blanks.setdefault(term, BNode(f"c{copy}x{term}"))
            if isinstance(term, URIRef) and str(term).startswith(str(STM_ID)) and term not in shared:
                return URIRef(f"{term}-c{copy}")
            return term

        for s, p, o in template:
            if len(out) >= triples:
                break
            out.add((rename(s), p, rename(o)))
        copy += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=100_000)
    args = parser.parse_args()
    graph = generate(args.triples)
    graph.serialize(args.out, format="nt" if args.out.suffix == ".nt" else "turtle")
    print(f"{len(graph):,} triples -> {args.out}")


if __name__ == "__main__":
    main()
