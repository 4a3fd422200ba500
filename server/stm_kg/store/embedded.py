"""The embedded store: Oxigraph in this process, in memory or on disk; the store's owner in ``stm-kg serve``.

Writes run here, one at a time, each in one Oxigraph transaction. The owner answers no query of a client:
serving processes forked from it do, on snapshots it prepares (:meth:`EmbeddedStore.prepare_snapshot`,
:mod:`stm_kg.serving`). Its own :meth:`EmbeddedStore.query` is for using the store in one process (scripts,
tests through Flask's test client): the caller gets its timeout at the limit, but the query cannot be
stopped there and runs on in its thread.
"""

from __future__ import annotations

import errno
import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, NamedTuple

import pyoxigraph as ox

from .changes import Change, repeatable, settled
from .evaluation import syntax_error
from .interface import (
    DatasetSelection,
    FormatChoice,
    InsufficientStorage,
    KnowledgeStore,
    SerializedResult,
    StoreError,
    StoreUnavailable,
)
from .reads import OxigraphReads
from .snapshot import SnapshotStore
from .threads import FORK_LOCK, call_with_big_stack

log = logging.getLogger(__name__)


class EmbeddedStore(OxigraphReads, KnowledgeStore):
    """An Oxigraph store: in memory (``path=None``) or in the directory ``path``, kept across restarts.

    ``max_result_bytes`` bounds a serialised result.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        union_default_graph: bool = True,
        max_result_bytes: int | None = None,
    ):
        self.path = Path(path) if path else None
        try:
            self._store = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as error:  # read-only directory, full disk, another server holding it
            raise StoreError(f"cannot open the store in {self.path}: {error}") from None
        self._union = union_default_graph
        self._write_lock = threading.Lock()
        # queries run as in a serving process, but nothing replaces this one: a runaway query runs on
        self._reader = SnapshotStore(self._store, union_default_graph=union_default_graph,
                                     max_result_bytes=max_result_bytes, on_overrun=_left_running, known_quick=0)

    # -- loading ----------------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when the store holds no quad at all (a new on-disk store, or a fresh in-memory one)."""
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    def load_file(self, path: Path, fmt: ox.RdfFormat, graph: str | None) -> None:
        """Bulk-load an RDF file (offline: no context or entity is fetched) before serving.

        Triples go to the named graph ``graph``; quad formats keep their graphs, their default graph goes to
        ``graph``. Raises :class:`SyntaxError` with the position for a malformed file.
        """
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        with self._write_lock, FORK_LOCK:
            self._store.bulk_load(path=str(path), format=fmt, to_graph=target)

    # -- reads ------------------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        formats: FormatChoice,
        *,
        dataset: DatasetSelection = DatasetSelection(),
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> SerializedResult:
        return self._reader.query(sparql, formats, dataset=dataset, base_iri=base_iri, timeout=timeout)

    # -- writes -----------------------------------------------------------------------------------------

    def copy(self) -> ox.Store:
        copy = ox.Store()
        copy.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
        for graph in self._store.named_graphs():  # empty ones too (CREATE GRAPH): Graph Store answers 200, not 404
            copy.add_graph(graph)
        return copy

    def preview(self, change: Change) -> ox.Store:
        copy = self.copy()
        self._apply(change, copy)
        return copy

    def settle(self, change: Change) -> Change:
        """An update calling ``RAND()``, ``NOW()``, ... evaluated once, on a copy, and spelled out as plain data
        (:func:`~.changes.settled`), so that the gate's preview, this store and every serving process's copy
        end with the same data; any other change as it is."""
        if repeatable(change):
            return change
        return settled(change, self._store, self.preview(change))

    def apply(self, change: Change) -> None:
        with self._write_lock:
            with FORK_LOCK:
                try:
                    self._apply(change, self._store)
                except OSError as error:  # a full disk, a store directory made read-only: nothing was written
                    if error.errno == errno.ENOSPC or "No space left" in str(error):
                        raise InsufficientStorage(f"the store could not be written, nothing was changed: {error}") from None
                    raise StoreUnavailable(f"the store could not be written, nothing was changed: {error}") from None

    @staticmethod
    def _apply(change: Change, store: ox.Store) -> None:
        try:  # Oxigraph's update parser recurses: a big stack keeps a deeply nested update from killing the server
            call_with_big_stack(change.apply_to, store)
        except SyntaxError as error:
            raise syntax_error(error) from None

    def close(self) -> None:
        if self.path:
            self._store.flush()

    # -- snapshots for serving processes ---------------------------------------------------------------------

    def prepare_snapshot(self) -> Snapshot:
        """The current data for processes forked from this one, and how to clean up after them.

        In memory: the store itself, shared copy-on-write with the forked process. On disk: a read-only
        checkpoint (a forked process cannot use this process's RocksDB handle), whose ``path`` a running
        process can open to catch up after a write.
        """
        if self.path is None:
            store = self._store
            return Snapshot(lambda: store, lambda: None, None)
        folder = Path(tempfile.mkdtemp(prefix="stm-kg-snapshot-"))
        checkpoint = folder / "store"
        try:
            with FORK_LOCK:
                self._store.backup(str(checkpoint))
        except OSError as error:  # a full disk (the checkpoint flushes first): keep answering queries from memory
            shutil.rmtree(folder, ignore_errors=True)
            log.warning("cannot write a snapshot for the forked readers (%s); they use an in-memory copy", error)
            copy = self.copy()
            return Snapshot(lambda: copy, lambda: None, None)
        return Snapshot(lambda: ox.Store.read_only(str(checkpoint)), lambda: shutil.rmtree(folder, ignore_errors=True),
                        str(checkpoint))


def _left_running() -> None:
    log.warning("a query overran the time limit; it runs on in this process until it ends")


class Snapshot(NamedTuple):
    """The data of a store at one moment, for forked processes: ``open()`` it there, ``clean_up()`` after.

    ``path``: the read-only checkpoint on disk (``None`` when the data are shared in memory).
    """

    open: Callable[[], ox.Store]
    clean_up: Callable[[], None]
    path: str | None
