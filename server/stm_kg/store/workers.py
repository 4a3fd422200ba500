"""Query worker processes: the mechanism that makes the time limit real.

Oxigraph cannot be interrupted from Python, so queries are evaluated in worker processes forked from the
server, and a query over its time limit is stopped by killing its process (a new worker takes its place).
Each worker holds a snapshot of the store taken when it was forked: the in-memory store is shared
copy-on-write; an on-disk store is opened read-only from a checkpoint. After a write the pool is renewed
before the write is acknowledged, so every later query sees it.

Forking while another thread is inside Oxigraph writing could copy a held lock into the child; writes
therefore run under :data:`FORK_LOCK`, which every fork of this process takes first.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

import pyoxigraph as ox

from .interface import QuerySyntaxError, QueryTimeout, StoreError

log = logging.getLogger(__name__)

#: Held while the store is written, and by every ``fork()`` of this process (see the module docstring).
FORK_LOCK = threading.Lock()
os.register_at_fork(before=FORK_LOCK.acquire, after_in_parent=FORK_LOCK.release, after_in_child=FORK_LOCK.release)

_FORK = multiprocessing.get_context("fork")
SnapshotOpener = Callable[[], ox.Store]


#: Stack of the threads that run Oxigraph's parsers and evaluator (reserved, used only as deep as it goes).
#: They recurse: with the usual 8 MB a query of about 3,000 nested groups, 10,000 joined paths or a
#: 1,000-term collection overflows it and kills the process (found by tests/robustness).
BIG_STACK = 512 * 1024 * 1024
_STACK_SIZE_LOCK = threading.Lock()

#: Exit codes of a worker that crashed inside Oxigraph (SIGSEGV, SIGABRT: stack overflow), not killed by us.
_CRASH_SIGNALS = (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS)


def start_with_big_stack(target: Callable[..., Any], *args: Any) -> threading.Thread:
    """Start ``target(*args)`` in a thread whose stack is :data:`BIG_STACK`."""
    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(BIG_STACK)
        try:
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


def call_with_big_stack(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` run in a thread with a :data:`BIG_STACK` stack; its result, or its exception raised."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, function(*args)))
        except BaseException as error:  # re-raised in the caller
            outcome.append((False, error))

    start_with_big_stack(run).join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _serve(connection: Connection, open_snapshot: SnapshotOpener, parent: int) -> None:
    """The worker process: :func:`_loop` in a thread with a big stack."""
    start_with_big_stack(_loop, connection, open_snapshot, parent).join()


def _loop(connection: Connection, open_snapshot: SnapshotOpener, parent: int) -> None:
    """The worker's loop: run each task on the snapshot and send back its result or its exception."""
    snapshot = open_snapshot()
    while os.getppid() == parent:  # a worker outlives no server, even one killed with SIGKILL
        if not connection.poll(1.0):
            continue
        try:
            function, args, kwargs = connection.recv()
        except EOFError:
            break
        try:
            reply = ("ok", function(snapshot, *args, **kwargs))
        except Exception as error:  # sent back to be raised in the server
            reply = ("error", error)
        try:
            connection.send(reply)
        except Exception as error:  # an exception that does not pickle
            connection.send(("error", StoreError(f"{type(error).__name__}: {error}")))


class _Worker:
    """One forked worker process and our end of its pipe."""

    def __init__(self, open_snapshot: SnapshotOpener):
        self.connection, theirs = _FORK.Pipe()
        self.process = _FORK.Process(target=_serve, args=(theirs, open_snapshot, os.getpid()), daemon=True)
        self.process.start()
        theirs.close()

    def stop(self) -> None:
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join()
        self.connection.close()


class _Pool:
    """The workers over one snapshot; ``retire`` ends them as they become idle, then cleans up."""

    def __init__(self, size: int, open_snapshot: SnapshotOpener, cleanup: Callable[[], None]):
        self._open_snapshot = open_snapshot
        self._cleanup = cleanup
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._live = 0
        self.retired = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        with self._lock:
            self._live += 1
        self._idle.put(_Worker(self._open_snapshot))

    def take(self, timeout: float | None) -> _Worker | None:
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            return None

    def give_back(self, worker: _Worker) -> None:
        if self.retired:
            self._end(worker)
        else:
            self._idle.put(worker)

    def replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (its task overran or it died) and start another in its place."""
        self._end(worker)
        if not self.retired:
            self._add()

    def retire(self) -> None:
        self.retired = True
        while True:
            try:
                self._end(self._idle.get_nowait())
            except queue.Empty:
                break
        self._maybe_clean_up()

    def _end(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._live -= 1
        self._maybe_clean_up()

    def _maybe_clean_up(self) -> None:
        with self._lock:
            done = self.retired and self._live == 0
        if done:
            try:
                self._cleanup()
            except OSError as error:  # a leftover checkpoint is harmless
                log.warning("could not clean up an old snapshot: %s", error)


class QueryWorkers:
    """``size`` worker processes over the current snapshot of a store, renewed after each write.

    ``prepare`` is called (in this process) before a new pool starts; it returns how a new worker opens its
    snapshot and a clean-up function to call once all workers of that pool have ended (and maybe more).
    """

    def __init__(self, size: int, prepare: Callable[[], tuple]):
        self.size = size
        self._prepare = prepare
        self._lock = threading.Lock()
        self._pool: _Pool | None = None
        self._closed = False

    def run(self, function: Callable[..., Any], *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Call ``function(snapshot, *args, **kwargs)`` in a worker and return its result.

        Raises :class:`QueryTimeout` when ``timeout`` seconds pass first, counted from this call (waiting for
        a free worker included); the worker running the task is killed.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        pool = self._current_pool()
        worker = pool.take(timeout)
        if worker is None:
            raise QueryTimeout(f"no query worker became free within the limit of {timeout:g} s; try again later")
        try:
            worker.connection.send((function, args, kwargs))
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not worker.connection.poll(remaining):
                pool.replace(worker)
                raise QueryTimeout(f"the query took longer than the limit of {timeout:g} s and was stopped")
            status, value = worker.connection.recv()
        except (EOFError, OSError):
            pool.replace(worker)
            if worker.process.exitcode in _CRASH_SIGNALS:  # the query itself broke Oxigraph: it would again
                raise QuerySyntaxError("the query could not be evaluated: evaluating it crashed the query process "
                                       "(it is most likely nested or chained too deeply); simplify it") from None
            raise StoreError("the query worker ended while evaluating the query; a fresh worker has taken its place") from None
        pool.give_back(worker)
        if status == "error":
            raise value
        return value

    def renew(self) -> None:
        """Let the next query start a new pool (a new snapshot); the old pool's workers end when idle."""
        with self._lock:
            old, self._pool = self._pool, None
        if old is not None:
            old.retire()

    def close(self) -> None:
        """End all workers (those busy, once their task is done)."""
        with self._lock:
            self._closed = True
        self.renew()

    def _current_pool(self) -> _Pool:
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            if self._pool is None:
                snapshot = self._prepare()
                self._pool = _Pool(self.size, snapshot[0], snapshot[1])
            return self._pool
