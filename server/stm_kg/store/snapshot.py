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


class KnownQuick:
    """The last ``size`` query requests that finished within :func:`quick_bound` on this snapshot.

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

    def clear(self) -> None:
        """Forget everything (the data changed)."""
        with self._lock:
            self._keys = {}

    def add(self, key) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._keys[key] = None
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
        def call() -> SerializedResult:
            return evaluate(self._store, sparql, formats, dataset, union_default_graph=self._union,
                            base_iri=base_iri, max_bytes=self._max_result_bytes)

        key = (sparql, formats, dataset, base_iri)
        if key in self._known_quick:  # it ran well within the limit on these very data: no hand-off
            return call()
        started = time.monotonic()
        result = self._threads.run(call, timeout, self._on_overrun)
        if time.monotonic() - started < quick_bound(timeout) and len(sparql) <= REMEMBERED_LENGTH:
            self._known_quick.add(key)
        return result

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
