"""A read-only view of the store's data for a serving process, queried in that process under a time limit.

A serving process (:mod:`stm_kg.serving`) is forked from the process that owns the store and answers HTTP
requests itself, so a query costs no hand-off to another process. Oxigraph cannot be interrupted from
Python, so the time limit works in two steps: the request gets its :class:`~.interface.QueryTimeout` at the
limit, and ``on_overrun`` is called, whose job is to end this process soon (the serving process asks for a
replacement and retires: it takes no new request, finishes the ones it has and exits, which stops the
query). After a write the owner has the view catch up in place (:meth:`SnapshotStore.apply_here`,
:meth:`SnapshotStore.switch_to`), so a write never makes a process retire. Queries run on threads with a big stack (see :data:`~.workers.BIG_STACK`); Oxigraph releases the
GIL while it evaluates, so they run in parallel. A query already seen to finish in a few milliseconds on
this snapshot runs in the request's own thread instead (:class:`KnownQuick`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pyoxigraph as ox

from .changes import Change
from .evaluation import evaluate, syntax_error
from .interface import (
    DatasetSelection,
    FormatChoice,
    KnowledgeStore,
    SerializedResult,
    StoreError,
)
from ..syntax import REMEMBERED_LENGTH
from .reads import OxigraphReads
from .threads import EvaluationThreads, call_with_big_stack


def quick_bound(timeout: float | None) -> float:
    """Seconds within which a query counts as quick: a hundredth of the limit, at most 20 ms."""
    return 0.02 if timeout is None else min(0.02, timeout / 100)


#: CPU seconds a query may have cost for :meth:`SnapshotStore.query_if_quick` to run it where it is asked (on a
#: serving process's event loop, which nothing may hold for long).
INLINE_BOUND = 0.005


class KnownQuick:
    """The last ``size`` query requests that cost less than :func:`quick_bound` on this snapshot, with what
    they cost (CPU seconds of their evaluation, which the load on the machine does not inflate).

    The data of a snapshot never change, so a query costs the same each time it runs on them: one that took
    a few milliseconds would need to become thousands of times slower to reach the limit. Such a query runs
    again in the request's own thread, which saves the hand-off to an evaluation thread (two thread
    wake-ups, ~40 % of a lookup's time in a serving process; docs/performance.md). Forgotten oldest first.
    """

    def __init__(self, size: int):
        self._size = size
        self._keys: dict = {}
        self._lock = threading.Lock()

    def __contains__(self, key) -> bool:
        return key in self._keys

    def seconds(self, key) -> float | None:
        """How long ``key`` took when it was remembered, or ``None``."""
        return self._keys.get(key)

    def clear(self) -> None:
        """Forget everything (the data changed)."""
        with self._lock:
            self._keys = {}

    def add(self, key, seconds: float) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._keys[key] = seconds
            while len(self._keys) > self._size:
                del self._keys[next(iter(self._keys))]


class SnapshotStore(OxigraphReads, KnowledgeStore):
    """The data of ``snapshot`` queried in this process, read-only through this view: the owner's writes
    arrive only by :meth:`apply_here` or :meth:`switch_to` (the owner's own ``EmbeddedStore`` reads through
    one as well, with no quick-query memory, since its store changes under it).

    ``known_quick``: how many quick query requests to remember and run without a hand-off (0: none).
    """

    def __init__(
        self,
        snapshot: ox.Store,
        *,
        union_default_graph: bool = True,
        max_result_bytes: int | None = None,
        on_overrun: Callable[[], None] = lambda: None,
        threads: int = 64,
        known_quick: int = 4096,
    ):
        self._store = snapshot
        self._union = union_default_graph
        self._max_result_bytes = max_result_bytes
        self._on_overrun = on_overrun
        self._threads = EvaluationThreads(threads)
        self._known_quick = KnownQuick(known_quick)

    def query(
        self,
        sparql: str,
        formats: FormatChoice,
        *,
        dataset: DatasetSelection = DatasetSelection(),
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> SerializedResult:
        cost: list[float] = []

        def call() -> SerializedResult:
            began = time.thread_time()  # CPU time of this thread: what the query costs, however busy the machine
            result = evaluate(self._store, sparql, formats, dataset, union_default_graph=self._union,
                              base_iri=base_iri, max_bytes=self._max_result_bytes)
            cost.append(time.thread_time() - began)
            return result

        key = (sparql, formats, dataset, base_iri)
        if key in self._known_quick:  # it ran well within the limit on these very data: no hand-off
            return call()
        result = self._threads.run(call, timeout, self._on_overrun)
        if cost and cost[0] < quick_bound(timeout) and len(sparql) <= REMEMBERED_LENGTH:
            self._known_quick.add(key, cost[0])
        return result

    def query_if_quick(self, sparql: str, formats: FormatChoice, *, dataset: DatasetSelection = DatasetSelection(),
                       base_iri: str | None = None) -> SerializedResult | None:
        """The result of a query that last took at most :data:`INLINE_BOUND` on these data, evaluated here and
        now; ``None`` for any other query (ask :meth:`query`)."""
        seconds = self._known_quick.seconds((sparql, formats, dataset, base_iri))
        if seconds is None or seconds > INLINE_BOUND:
            return None
        return evaluate(self._store, sparql, formats, dataset, union_default_graph=self._union,
                        base_iri=base_iri, max_bytes=self._max_result_bytes)

    def cancel_queries(self, reason: str) -> None:
        """Answer every query waiting for its result, and every later one, with ``StoreUnavailable(reason)``."""
        self._threads.cancel_waiting(reason)

    # -- catching up with the owner's writes --------------------------------------------------------------

    def apply_here(self, change: Change) -> None:
        """Apply a change the owner has applied (and validated) to this in-memory copy as well."""
        try:  # Oxigraph's update parser recurses (see BIG_STACK)
            call_with_big_stack(change.apply_to, self._store)
        except SyntaxError as error:
            raise syntax_error(error) from None
        self._known_quick.clear()

    def switch_to(self, snapshot: ox.Store) -> None:
        """Answer from ``snapshot`` (the owner's newer checkpoint) from now on; queries running keep theirs."""
        self._store = snapshot
        self._known_quick.clear()

    # -- writes belong to the owner -------------------------------------------------------------------------

    def copy(self) -> ox.Store:
        raise StoreError("a serving process has a read-only snapshot; the store's owner makes copies")

    def preview(self, change: Change) -> ox.Store:
        raise StoreError("a serving process has a read-only snapshot; the store's owner previews changes")

    def apply(self, change: Change) -> None:
        raise StoreError("a serving process has a read-only snapshot; the store's owner applies changes")
