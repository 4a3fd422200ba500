"""Writes to the dataset, each one SPARQL Update so that Oxigraph applies it in one transaction.

A change is a value: it can be applied to a throw-away copy first (to validate the outcome) and then to
the store itself. Graph Store Protocol writes become ``DROP``/``INSERT DATA`` requests over the parsed
triples, serialised as N-Triples (a subset of SPARQL's syntax), so no partial write is ever visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Union

import pyoxigraph as ox

#: ``None`` names the store's own default graph.
GraphName = Union[str, None]


def _graph_ref(graph: GraphName) -> str:
    return "DEFAULT" if graph is None else f"GRAPH <{graph}>"


def _insert_data(graph: GraphName, triples: bytes) -> str:
    body = triples.decode("utf-8")
    if not body.strip():
        return ""
    return f"INSERT DATA {{ {body} }}" if graph is None else f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}"


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """Serialise triples as N-Triples."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


@dataclass(frozen=True)
class SparqlUpdate:
    """A SPARQL 1.1 Update request, as sent by the client."""

    text: str
    base_iri: str | None = None

    def apply_to(self, store: ox.Store) -> None:
        store.update(self.text, base_iri=self.base_iri)


@dataclass(frozen=True)
class ReplaceGraph:
    """Graph Store PUT: the graph holds exactly ``triples`` (N-Triples bytes) afterwards."""

    graph: GraphName
    triples: bytes

    def apply_to(self, store: ox.Store) -> None:
        create = "" if self.graph is None else f"; CREATE SILENT GRAPH <{self.graph}>"
        insert = _insert_data(self.graph, self.triples)
        store.update(f"DROP SILENT {_graph_ref(self.graph)}{create}" + (f"; {insert}" if insert else ""))


@dataclass(frozen=True)
class AddToGraph:
    """Graph Store POST: ``triples`` (N-Triples bytes) are merged into the graph."""

    graph: GraphName
    triples: bytes

    def apply_to(self, store: ox.Store) -> None:
        create = "" if self.graph is None else f"CREATE SILENT GRAPH <{self.graph}>"
        insert = _insert_data(self.graph, self.triples)
        request = "; ".join(part for part in (create, insert) if part)
        if request:
            store.update(request)


@dataclass(frozen=True)
class DropGraph:
    """Graph Store DELETE: the named graph is removed (the default graph is emptied)."""

    graph: GraphName

    def apply_to(self, store: ox.Store) -> None:
        store.update(f"DROP {_graph_ref(self.graph)}")


Change = Union[SparqlUpdate, ReplaceGraph, AddToGraph, DropGraph]
