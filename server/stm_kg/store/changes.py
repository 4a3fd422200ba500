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

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Union

import pyoxigraph as ox

from ..syntax import LexError, read
from .extension_functions import unknown_functions

log = logging.getLogger(__name__)

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
        store.update(self.text, base_iri=self.base_iri, **unknown_functions(self.text, self.base_iri))


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

def repeatable(change: Change) -> bool:
    """True when applying ``change`` to two copies of the same data gives the same data twice.

    Fresh blank nodes aside: those of an ``INSERT`` are new in every copy, as SPARQL asks, and only their
    labels differ (labels are not identifiers outside one result). Which updates make up values is read by
    :func:`stm_kg.syntax.read` (as Oxigraph reads them, so a call hidden from a simpler reading counts); an
    update it cannot read counts as not repeatable.
    """
    if not isinstance(change, SparqlUpdate):
        return True
    try:
        return not read(change.text).makes_up_values
    except LexError:
        return False


def _all_lines(store: ox.Store) -> set[bytes]:
    """The store's quads as N-Quads lines: Oxigraph writes them faster than Python can build quad objects
    (0.4 s against 1.2 s for a million), and the same quad always gives the same line."""
    return set((store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())


def _quads(lines: set[bytes]) -> list[ox.Quad]:
    return list(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)) if lines else []


def _blank_nodes(term) -> list[ox.BlankNode]:
    """The blank nodes in ``term``, inside triple terms too."""
    if isinstance(term, ox.BlankNode):
        return [term]
    if isinstance(term, ox.Triple):
        return [node for part in (term.subject, term.object) for node in _blank_nodes(part)]
    return []


def _nameable(quad: ox.Quad) -> bool:
    """True when ``DELETE DATA`` can name the quad: no blank node and no triple term in it."""
    return not any(isinstance(term, (ox.BlankNode, ox.Triple)) for term in (quad.subject, quad.object, quad.graph_name))


def _in(store: ox.Store, node: ox.BlankNode) -> bool:
    return any(True for _ in store.quads_for_pattern(node, None, None, None)) or \
        any(True for _ in store.quads_for_pattern(None, None, node, None))


def _reaches_old_blank_node(quad: ox.Quad, before: ox.Store) -> bool:
    """True when an added quad says something of a blank node that was there before (``INSERT DATA`` would
    make it a new one), or has one where that cannot be checked (a graph name, a triple term)."""
    if isinstance(quad.graph_name, ox.BlankNode) or isinstance(quad.subject, ox.Triple) or \
            (isinstance(quad.object, ox.Triple) and _blank_nodes(quad.object)):
        return True
    return any(_in(before, node) for term in (quad.subject, quad.object) for node in _blank_nodes(term))


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
    """The change from ``before`` to ``after`` as one update of plain data: ``DELETE DATA``, graphs dropped and
    created, ``INSERT DATA``.

    ``None`` when that cannot say it exactly: a removed quad holds a blank node or a triple term (``DELETE DATA``
    cannot name them), an added quad says something of a blank node that was there before (``INSERT DATA``
    would make a new one), or a graph named by a blank node appears or goes.
    """
    old, new = _all_lines(before), _all_lines(after)
    removed, added = _quads(old - new), _quads(new - old)
    graphs_before, graphs_after = set(before.named_graphs()), set(after.named_graphs())
    dropped, created = graphs_before - graphs_after, graphs_after - graphs_before
    if any(isinstance(graph, ox.BlankNode) for graph in dropped | created) or \
            not all(_nameable(quad) for quad in removed) or any(_reaches_old_blank_node(q, before) for q in added):
        return None
    parts = [f"DELETE DATA {{ {_data_block(removed)} }}"] if removed else []
    parts += [f"DROP SILENT GRAPH {graph}" for graph in sorted(dropped, key=str)]
    parts += [f"CREATE SILENT GRAPH {graph}" for graph in sorted(created, key=str)]
    if added:
        parts.append(f"INSERT DATA {{ {_data_block(added)} }}")
    return SparqlUpdate(" ;\n".join(parts))


def settled(change: Change, before: ox.Store, after: ox.Store) -> Change:
    """``change``, which took ``before`` to ``after``, spelled out; or as it is (logged) where that cannot be exact."""
    spelled = spelled_out(before, after)
    if spelled is None:
        log.warning("an update calling NOW(), RAND(), UUID(), STRUUID() or BNODE() cannot be spelled out as plain "
                    "data (it touches blank nodes that were there before, or triple terms): each copy of the data "
                    "evaluates it itself, and their values can differ")
        return change
    return spelled
