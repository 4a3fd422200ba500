"""The metadata reads every Oxigraph-backed store answers the same way: graph sizes and graph existence.

Shared by the store's owner (:mod:`.embedded`) and the read-only snapshots of the serving processes
(:mod:`.snapshot`); both keep their Oxigraph store in ``self._store`` and the union setting in ``self._union``.
"""

from __future__ import annotations

import pyoxigraph as ox

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class OxigraphReads:
    """``graph_sizes``, ``default_graph_size`` and ``has_graph`` of :class:`~.interface.KnowledgeStore`."""

    _store: ox.Store
    _union: bool

    @property
    def union_default_graph(self) -> bool:
        return self._union

    def graph_sizes(self) -> dict[str | None, int]:
        sizes: dict[str | None, int] = {g.value: 0 for g in self._store.named_graphs()}
        for row in self._store.query(_GRAPH_SIZES):
            sizes[row["g"].value] = int(row["n"].value)
        sizes[None] = int(next(iter(self._store.query(_COUNT)))["n"].value)
        return sizes

    def default_graph_size(self) -> int:
        rows = self._store.query(_COUNT, use_default_graph_as_union=self._union)
        return int(next(iter(rows))["n"].value)

    def has_graph(self, graph: str | None) -> bool:
        return graph is None or self._store.contains_named_graph(ox.NamedNode(graph))
