"""Counts over the compiled dataset: triples per graph and module, entities per class, facts per source.

Used by ``stm-kg stats`` and quoted in the README; computed with SPARQL over the compiled TriG so that the
figures are those of what the endpoint serves (asserted and inferred triples together).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef

from ..config import graph_names
from .compile import BuildInfo

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER(?g IN (<%(data)s>, <%(inferred)s>))
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "%(base)sid/"))
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

SOURCE_COUNTS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX stm: <%(base)sdef/ont/>
SELECT ?source (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?s) AS ?entities) (COUNT(DISTINCT ?d) AS ?quotes) WHERE {
  ?s prov:wasDerivedFrom ?source .
  OPTIONAL { ?s prov:qualifiedDerivation ?d . ?d prov:entity ?source ; stm:quote ?q }
  OPTIONAL { ?source skos:prefLabel ?label FILTER(lang(?label) = "nl") }
} GROUP BY ?source ORDER BY DESC(?entities)
"""


@dataclass
class Stats:
    graphs: dict[str, int]
    modules: dict[str, int]
    classes: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, str, int, int]] = field(default_factory=list)


def load_compiled(path: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(data=path.read_bytes(), format="trig")
    return dataset


def compute_stats(dataset: Dataset, info: BuildInfo) -> Stats:
    names = graph_names(info.base)
    params = {"base": info.base, "data": names.data, "inferred": names.inferred}
    shorten = dataset.namespace_manager.normalizeUri
    classes = [(shorten(URIRef(row[0])), int(row[1])) for row in dataset.query(CLASS_COUNTS % params)]
    sources = [
        (str(row[0]).removeprefix(f"{info.base}id/"), str(row[1] or ""), int(row[2]), int(row[3]))
        for row in dataset.query(SOURCE_COUNTS % params)
    ]
    return Stats(graphs=info.graphs, modules=info.modules, classes=classes, sources=sources)
