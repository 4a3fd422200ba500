"""What the web layer may ask of a store: the contract every store implementation keeps.

The embedded store (:mod:`stm_kg.store.embedded`) runs Oxigraph in this process and its workers; a remote
store (another issue) will forward the same calls to a SPARQL server over HTTP. Neither knows anything of
HTTP requests: callers pass plain values and get serialised bytes back, so a result never crosses into
Python objects one term at a time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from .changes import Change

ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class DatasetSelection:
    """The RDF dataset of one query: graphs of the store chosen by the request (never fetched).

    ``None`` for a part means "as the store is": its default graph (or the union of all graphs when the
    store serves the union), and all of its named graphs.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FormatChoice:
    """The media type to serialise each kind of result in; ``None`` where the client accepts none we offer.

    ``solutions`` serves SELECT and ASK (a SPARQL results format), ``graph`` CONSTRUCT and DESCRIBE (an RDF
    format). Plain strings, so that the choice can be sent to a worker process or a remote server.
    """

    solutions: str | None
    graph: str | None


@dataclass(frozen=True)
class SerializedResult:
    """A query result, serialised: what kind it was, its media type and its bytes."""

    kind: ResultKind
    media_type: str
    body: bytes


class StoreError(Exception):
    """Base of the errors a store reports; ``str(error)`` is a message for people."""


class QuerySyntaxError(StoreError):
    """The query or update does not parse; ``line`` and ``column`` (1-based) when the parser says."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column

    def __reduce__(self):  # keep line and column when sent back from a worker process
        return (type(self), (str(self), self.line, self.column))


class QueryTimeout(StoreError):
    """The work went over the time limit and was stopped."""


class ResultTooLarge(StoreError):
    """The serialised result went over the size limit; nothing of it is returned."""


class StoreUnavailable(StoreError):
    """The store cannot do this now (e.g. the process that owns it has ended); nothing may have changed."""

    http_status, kind, title, extra = 503, "store-unavailable", "Store unavailable", {}


class InsufficientStorage(StoreError):
    """The store could not be written for want of disk space; nothing was changed."""

    http_status, kind, title, extra = 507, "insufficient-storage", "Insufficient storage", {}


class NotAcceptable(StoreError):
    """The result is of a kind (``kind``) for which the client accepts none of our formats."""

    def __init__(self, kind: ResultKind):
        super().__init__(f"no acceptable format for a {kind} result")
        self.kind = kind

    def __reduce__(self):
        return (type(self), (self.kind,))


class KnowledgeStore(ABC):
    """An RDF dataset that answers SPARQL queries and takes changes, all or nothing."""

    @property
    @abstractmethod
    def union_default_graph(self) -> bool:
        """True when the default graph of queries is the union of all graphs of the store."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        formats: FormatChoice,
        *,
        dataset: DatasetSelection = DatasetSelection(),
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> SerializedResult:
        """Evaluate ``sparql`` and serialise its result in the format ``formats`` gives for its kind.

        Raises :class:`QuerySyntaxError`, :class:`QueryTimeout`, :class:`ResultTooLarge` or
        :class:`NotAcceptable`; never returns part of a result.
        """

    def query_if_quick(self, sparql: str, formats: FormatChoice, *, dataset: DatasetSelection = DatasetSelection(),
                       base_iri: str | None = None) -> SerializedResult | None:
        """The result of ``sparql`` when the store can give it at once, here (it is known to take a few
        milliseconds at most); else ``None``, and the caller asks :meth:`query`. By default: ``None``."""
        return None

    def cancel_queries(self, reason: str) -> None:
        """Answer the callers of every query still running, and of every later one, with
        :class:`StoreUnavailable` (the process is stopping). By default: nothing to cancel."""

    @abstractmethod
    def graph_sizes(self) -> dict[str | None, int]:
        """Number of triples of each graph: named graphs by IRI, the store's own default graph as ``None``."""

    @abstractmethod
    def default_graph_size(self) -> int:
        """Number of triples in the default graph as queries see it (the union when the store serves it)."""

    @abstractmethod
    def has_graph(self, graph: str | None) -> bool:
        """True when the named graph ``graph`` exists (the default graph, ``None``, always does)."""

    @abstractmethod
    def copy(self) -> ox.Store:
        """The whole dataset as it is, in a throw-away in-memory store."""

    @abstractmethod
    def preview(self, change: Change) -> ox.Store:
        """The whole dataset as it would be after ``change``, in a throw-away store; the store is untouched."""

    @abstractmethod
    def apply(self, change: Change) -> None:
        """Apply ``change`` atomically and durably (when the store is on disk) before returning."""

    def settle(self, change: Change) -> Change:
        """``change`` in a form that has the same effect wherever and however often it is applied.

        As it is here: a store that is the one copy of its data (a remote server, which every stm-kg process
        asks) has no copies to keep alike. A store whose data are copied (:class:`~.embedded.EmbeddedStore`,
        whose serving processes hold copies) spells out an update calling ``RAND()``, ``NOW()``, ...: see
        :func:`~.changes.settled`.
        """
        return change

    def close(self) -> None:
        """Release processes and files; the store is unusable afterwards."""
