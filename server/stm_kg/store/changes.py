"""Writes to the dataset, each one SPARQL Update so that Oxigraph applies it in one transaction.

A change is a value: it can be applied to a throw-away copy first (to validate the outcome) and then to
the store itself. Graph Store Protocol writes become ``DROP``/``INSERT DATA`` requests over the parsed
triples, serialised as N-Triples (a subset of SPARQL's syntax), so no partial write is ever visible.

An update calling ``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()`` or ``BNODE()`` is not *repeatable*: each
evaluation gives other values. Where one change is applied more than once (the gate's preview and the store;
the owner and each serving process's copy), it is first spelled out as the quads it removes and adds
(:func:`spelled_out`), so that every copy ends with the same data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Union

import pyoxigraph as ox

from .query_text import keywords

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

#: Functions whose value differs between two evaluations (NOW() is one value within one evaluation only).
_UNREPEATABLE = ("NOW", "RAND", "UUID", "STRUUID", "BNODE")


def repeatable(change: Change) -> bool:
    """True when applying ``change`` to two copies of the same data gives the same data twice.

    Fresh blank nodes aside: those of an ``INSERT`` are new in every copy, as SPARQL asks, and only their
    labels differ (labels are not identifiers outside one result).
    """
    return not (isinstance(change, SparqlUpdate) and keywords(change.text, _UNREPEATABLE))


def _all_lines(store: ox.Store) -> set[bytes]:
    """The store's quads as N-Quads lines: Oxigraph writes them faster than Python can build quad objects
    (0.4 s against 1.2 s for a million), and the same quad always gives the same line."""
    return set((store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())


def _quads(lines: set[bytes]) -> list[ox.Quad]:
    return list(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)) if lines else []


def _nameable(quad: ox.Quad) -> bool:
    """True when ``DELETE DATA`` can name the quad: no blank node and no triple term in it."""
    return not any(isinstance(term, (ox.BlankNode, ox.Triple)) for term in (quad.subject, quad.object, quad.graph_name))


def _data_block(quads: Iterable[ox.Quad]) -> str:
    """The quads as the inside of ``INSERT DATA { ... }``: default-graph triples, then one ``GRAPH`` block each."""
    by_graph: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    parts = []
    for graph, triples in by_graph.items():
        body = ntriples(triples).decode("utf-8")
        parts.append(body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ {body} }}")
    return "\n".join(parts)


def spelled_out(before: ox.Store, after: ox.Store) -> SparqlUpdate | None:
    """The change from ``before`` to ``after`` as one update of plain data: ``DELETE DATA``, then ``INSERT DATA``.

    ``None`` when a removed quad holds a blank node or a triple term, which ``DELETE DATA`` cannot name, or an
    added one is in a graph named by a blank node.
    """
    old, new = _all_lines(before), _all_lines(after)
    removed, added = _quads(old - new), _quads(new - old)
    if not all(_nameable(quad) for quad in removed) or any(isinstance(q.graph_name, ox.BlankNode) for q in added):
        return None
    parts = [f"DELETE DATA {{ {_data_block(removed)} }}"] if removed else []
    if added:
        parts.append(f"INSERT DATA {{ {_data_block(added)} }}")
    return SparqlUpdate(" ;\n".join(parts))
