"""A store in front of a store: evaluates allowed ``SERVICE`` clauses itself, then asks the inner store.

Every text is read by the lexer first (:func:`~.safety.reading_of`): text it cannot read is refused as
malformed, and text in which Oxigraph may read ``SERVICE`` or ``LOAD`` (also glued to another name) goes
through the policy.

Every query that reaches a store through the web app passes here (``ServerConfig`` wraps its store), so no
``SERVICE`` ever reaches Oxigraph (or a remote SPARQL server behind :mod:`stm_kg.store.remote`): a clause to an endpoint
on the allowlist is replaced by the rows that endpoint gave (:func:`~stm_kg.sparql.federation.resolve_services`),
anything else is refused before a connection is made. The time spent on remote calls counts against the
query's own time limit.
"""

from __future__ import annotations

import time

from ..store.interface import (
    DatasetSelection,
    FormatChoice,
    KnowledgeStore,
    SerializedResult,
)
from .federation import ServiceRefused, ServiceTimeout, resolve_services
from .safety import RemoteAccessPolicy, RemoteAccessRefused, reading_of


class FederatingStore(KnowledgeStore):
    """``inner`` with ``SERVICE`` handled by ``policy``; every other call is passed on unchanged."""

    def __init__(self, inner: KnowledgeStore, policy: RemoteAccessPolicy):
        self.inner = inner
        self.policy = policy

    def __getattr__(self, name):  # anything the inner store offers beyond the interface
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    @property
    def union_default_graph(self) -> bool:
        return self.inner.union_default_graph

    def query(self, sparql: str, formats: FormatChoice, *, dataset: DatasetSelection = DatasetSelection(),
              base_iri: str | None = None, timeout: float | None = None) -> SerializedResult:
        reading = reading_of(sparql)  # text the lexer cannot read never reaches the engine
        if reading.may_say("SERVICE") or reading.may_say("LOAD"):
            try:
                self.policy.check(sparql, base_iri)
            except RemoteAccessRefused as refused:
                raise ServiceRefused(str(refused)) from None
            started = time.monotonic()
            deadline = None if timeout is None else started + timeout
            sparql = resolve_services(sparql, self.policy.service_allow, self.policy.service_limits, deadline,
                                      base_iri, fetcher=self.policy.fetcher)
            if reading_of(sparql).may_say("SERVICE"):  # never let the engine make a call of its own
                raise ServiceRefused("SERVICE is refused: a SERVICE clause remained after federation")
            if timeout is not None:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    raise ServiceTimeout("the SERVICE calls used up the query's time limit")
        return self.inner.query(sparql, formats, dataset=dataset, base_iri=base_iri, timeout=timeout)

    def query_if_quick(self, sparql: str, formats: FormatChoice, *, dataset: DatasetSelection = DatasetSelection(),
                       base_iri: str | None = None) -> SerializedResult | None:
        reading = reading_of(sparql)
        if reading.may_say("SERVICE") or reading.may_say("LOAD"):
            return None  # the policy's turn, and remote calls are never quick
        return self.inner.query_if_quick(sparql, formats, dataset=dataset, base_iri=base_iri)

    def cancel_queries(self, reason: str) -> None:
        self.inner.cancel_queries(reason)

    def graph_sizes(self):
        return self.inner.graph_sizes()

    def default_graph_size(self) -> int:
        return self.inner.default_graph_size()

    def has_graph(self, graph):
        return self.inner.has_graph(graph)

    def copy(self):
        return self.inner.copy()

    def preview(self, change):
        _refuse_service_in_update(change)
        return self.inner.preview(change)

    def settle(self, change):
        _refuse_service_in_update(change)
        return self.inner.settle(change)

    def apply(self, change) -> None:
        _refuse_service_in_update(change)
        self.inner.apply(change)

    def close(self) -> None:
        self.inner.close()


def _refuse_service_in_update(change) -> None:
    """Updates are applied by the engine itself, which would make a SERVICE call without our limits."""
    text = getattr(change, "text", None)
    if text:
        reading = reading_of(text)
        if reading.may_say("SERVICE") or reading.may_say("LOAD"):
            raise ServiceRefused("SERVICE and LOAD are refused in updates (so is a name that begins with SERVICE "
                                 "or LOAD, which the engine can read as the keyword)")
