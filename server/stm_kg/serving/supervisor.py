"""The store's owner: keeps serving processes running over the current data and applies every write.

It never answers HTTP itself. Each serving process is forked from it, so it starts with the owner's data
(copy-on-write in memory, or a read-only checkpoint of the on-disk store). After a write the owner has every
serving process catch up in place before the writer is answered: an in-memory copy applies the same change,
an on-disk reader opens a fresh checkpoint. A serving process that cannot catch up, crashes, or has a query
it cannot stop is replaced: a fresh one is forked and the old one retires once the fresh one serves (so
there is always a process taking connections).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Literal, NoReturn

from ..store.embedded import Snapshot
from ..store.gate import GatedWriter, WriteRefused
from ..store.interface import StoreError

log = logging.getLogger(__name__)

_FORK = multiprocessing.get_context("fork")

#: Runs a serving process (in the forked child): its pipe to the owner, and how to open its data there.
ServingMain = Callable[[Connection, Callable[[], Any]], NoReturn]

#: How serving processes catch up with a write: apply the change to their in-memory copy, open a fresh
#: checkpoint of the on-disk store, or nothing (they query a remote store themselves).
FollowMode = Literal["apply", "reopen", "none"]

#: Seconds a serving process may take to catch up with a write before it is replaced.
CATCH_UP_LIMIT = 30.0

#: A serving process that ends on its own sooner than this after the last one did is restarted after a pause.
_CRASH_PAUSE = 1.0


@dataclass(eq=False)
class _Child:
    process: Any
    connection: Connection
    snapshot: Snapshot
    replaces: _Child | None = None
    ready: bool = False
    retiring: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)  # SERVICE answers come from other threads

    def send(self, message: tuple) -> bool:
        try:
            with self.lock:
                self.connection.send(message)
        except OSError:  # it has gone: reaped soon
            return False
        return True

    def retire(self) -> None:
        if not self.retiring:
            self.retiring = True
            self.send(("retire",))


class Supervisor:
    """``processes`` serving processes made by ``serving_main``; ``writer`` applies the writes they send.

    ``snapshot()`` gives the current data for a new serving process (``None``: they reach the store
    themselves); ``follow`` says how running ones catch up after a write. ``fetch`` makes the SERVICE calls
    serving processes ask for (they have no network); ``None``: they may not ask.
    """

    def __init__(self, serving_main: ServingMain, writer: GatedWriter, *, snapshot: Callable[[], Snapshot] | None,
                 follow: FollowMode, processes: int = 1, grace: float = 10.0, fetch: Callable | None = None):
        self._serving_main = serving_main
        self._writer = writer
        self._make_snapshot = snapshot or (lambda: Snapshot(lambda: None, lambda: None, None))
        self._follow = follow
        self._processes = max(1, processes)
        self._grace = grace
        self._children: list[_Child] = []
        self._snapshot: Snapshot | None = None
        self._old_snapshots: list[tuple[Snapshot, float]] = []
        self._deferred: list[tuple[_Child, tuple]] = []
        self._stopping = False
        self._last_crash = 0.0
        self._wake_r, self._wake_w = socket.socketpair()
        self._fetch = fetch
        self._service_calls = ThreadPoolExecutor(8, thread_name_prefix="stm-kg-service") if fetch else None

    # -- running --------------------------------------------------------------------------------------

    def run(self) -> None:
        """Serve until SIGTERM, SIGINT or SIGHUP; then drain every serving process and wait for them (``grace`` s)."""
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # a closed terminal stops it gracefully too
            signal.signal(signum, self._on_signal)
        self._snapshot = self._make_snapshot()
        for _ in range(self._processes):
            self._fork()
        try:
            while not self._stopping:
                self._step(timeout=0.5)
        finally:
            self._shut_down()

    def _on_signal(self, *_: Any) -> None:
        """Stop: the serving processes start draining at once (a signal of their own: the owner may be busy
        with a write, and its pipes are not safe to use from here); the owner winds up after its write."""
        self._stopping = True
        for child in list(self._children):
            try:
                os.kill(child.process.pid, signal.SIGTERM)
            except (OSError, TypeError):  # gone already, or not started
                pass
        self._wake_w.send(b"x")

    def _step(self, timeout: float) -> None:
        while self._deferred:
            child, message = self._deferred.pop(0)
            self._handle(child, message)
        by_connection = {child.connection: child for child in self._children}
        for ready in wait([*by_connection, self._wake_r], timeout):
            if ready is self._wake_r:
                self._wake_r.recv(64)
                continue
            child = by_connection[ready]
            if not ready.poll(0):  # drained meanwhile: waiting for a catch-up reads other pipes too
                continue
            try:
                message = ready.recv()
            except (EOFError, OSError):
                continue  # it exited: reaped below
            self._handle(child, message)
        self._reap()
        self._clean_up_old_snapshots()

    def _handle(self, child: _Child, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            child.ready = True
            if child.replaces is not None:
                child.replaces.retire()
                child.replaces = None
        elif kind == "write":
            _, number, change = message
            error = self._write(change)
            if not child.send(("written", number, error)):
                log.warning("a serving process ended before hearing how its write went")
        elif kind == "service":
            _, number, call = message
            if self._service_calls is None:
                child.send(("served", number, None, StoreError("this server makes no SERVICE calls")))
            else:
                self._service_calls.submit(self._serve_call, child, number, call)
        elif kind == "replace":
            self._replace(child)
        # "caught-up" outside a write: a late answer of a process already being replaced

    def _serve_call(self, child: _Child, number: int, call: tuple) -> None:
        try:
            rows, error = self._fetch(*call), None
        except Exception as raised:  # noqa: BLE001 - raised in the serving process that asked
            rows, error = None, _sendable(raised)
        child.send(("served", number, rows, error))

    # -- writes ---------------------------------------------------------------------------------------

    def _write(self, change) -> BaseException | None:
        """Apply ``change`` and have every serving process catch up; the exception to raise, or ``None``."""
        try:
            change = self._writer.write(change)  # as applied: an update calling RAND() or NOW() spelled out
        except (StoreError, WriteRefused, RuntimeError) as error:  # refused, or Oxigraph's: nothing was changed
            return _sendable(error)
        except Exception as error:  # reported to the client as a store error, logged here
            log.exception("a write failed")
            return StoreError(f"the write failed: {type(error).__name__}: {error}")
        self._catch_up(change)
        return None

    def _catch_up(self, change) -> None:
        if self._follow == "none":
            return
        if self._follow == "apply":
            update = ("apply", change)
        else:
            self._supersede(self._make_snapshot())
            if self._snapshot.path is None:  # no checkpoint (a full disk): only fresh processes get the data
                for child in self._live():
                    self._replace(child)
                return
            update = ("reopen", self._snapshot.path)
        asked = [child for child in self._live() if child.send(update)]
        deadline = time.monotonic() + CATCH_UP_LIMIT
        for child in asked:
            if not self._await_catch_up(child, deadline):
                log.warning("serving process %d did not catch up with a write; replacing it", child.process.pid)
                self._replace(child)

    def _await_catch_up(self, child: _Child, deadline: float) -> bool:
        """Wait for ``child``'s answer to an update; other messages it sends meanwhile are handled later."""
        while child.connection.poll(max(0.0, deadline - time.monotonic())):
            try:
                message = child.connection.recv()
            except (EOFError, OSError):
                return False
            if message[0] == "caught-up":
                if message[1] is None and self._follow == "reopen":
                    child.snapshot = self._snapshot
                return message[1] is None
            self._deferred.append((child, message))
        return False

    # -- processes -----------------------------------------------------------------------------------------

    def _live(self) -> list[_Child]:
        return [child for child in self._children if not child.retiring]

    def _fork(self, replaces: _Child | None = None) -> None:
        ours, theirs = _FORK.Pipe()
        inherited = [child.connection for child in self._children] + [ours, self._wake_r, self._wake_w]
        process = _FORK.Process(target=_child_main, args=(self._serving_main, theirs, self._snapshot.open, inherited),
                                name="stm-kg-serving", daemon=False)
        process.start()
        theirs.close()
        self._children.append(_Child(process, ours, self._snapshot, replaces=replaces))

    def _replace(self, child: _Child) -> None:
        """Fork a fresh serving process; ``child`` retires once the fresh one serves."""
        if child.retiring or self._stopping or any(other.replaces is child for other in self._children):
            return
        self._fork(replaces=child)

    def _reap(self) -> None:
        for child in list(self._children):
            if child.process.is_alive():
                continue
            child.process.join()
            child.connection.close()
            self._children.remove(child)
            for other in self._children:
                if other.replaces is child:
                    other.replaces = None
            if not child.retiring and not self._stopping:
                log.warning("serving process %d ended unexpectedly (exit code %s); starting another",
                            child.process.pid, child.process.exitcode)
                if time.monotonic() - self._last_crash < _CRASH_PAUSE:
                    time.sleep(_CRASH_PAUSE)
                self._last_crash = time.monotonic()
                self._fork(replaces=child.replaces)  # a replacement that died goes on replacing

    def _supersede(self, snapshot: Snapshot) -> None:
        if self._snapshot is not None:
            self._old_snapshots.append((self._snapshot, time.monotonic()))
        self._snapshot = snapshot

    def _clean_up_old_snapshots(self, everything: bool = False) -> None:
        """Remove checkpoints no process uses any more, and none has used for ``grace`` seconds (queries end)."""
        now = time.monotonic()
        for entry in list(self._old_snapshots):
            snapshot, since = entry
            in_use = any(child.snapshot is snapshot for child in self._children)
            if everything or (not in_use and now - since > self._grace):
                self._old_snapshots.remove(entry)
                _clean_up(snapshot)

    def _shut_down(self) -> None:
        """Drain every serving process (new requests: 503; queries: cancelled), answering the writes they still
        send until they have ended, ``grace`` seconds at most; then end the ones left."""
        for child in self._children:
            if not child.retiring:
                child.retiring = True
                child.send(("drain",))
        deadline = time.monotonic() + self._grace + 1
        while self._children and time.monotonic() < deadline:
            self._step(timeout=0.1)
        for child in self._children:
            child.connection.close()  # a write still waiting for us is answered 503 by its serving process
            if child.process.is_alive():
                log.warning("serving process %d did not finish in time; killing it", child.process.pid)
                child.process.kill()
            child.process.join()
        self._children.clear()
        if self._service_calls is not None:
            self._service_calls.shutdown(wait=False, cancel_futures=True)
        self._clean_up_old_snapshots(everything=True)
        if self._snapshot is not None:
            _clean_up(self._snapshot)
        self._wake_r.close()
        self._wake_w.close()


def _clean_up(snapshot: Snapshot) -> None:
    try:
        snapshot.clean_up()
    except OSError as error:  # a leftover checkpoint is harmless
        log.warning("could not remove an old snapshot: %s", error)


def _sendable(error: BaseException) -> BaseException:
    """``error`` itself when it survives pickling (to be raised in the serving process), else a StoreError."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure to pickle
        return StoreError(f"{type(error).__name__}: {error}")
    return error


def _child_main(serving_main: ServingMain, connection: Connection, open_snapshot: Callable[[], Any],
                inherited: list) -> NoReturn:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the owner's handlers (serving_main sets its own)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for other in inherited:  # the owner's ends of the pipes: the owner alone may hold them
        other.close()
    _end_with_the_owner()
    serving_main(connection, open_snapshot)


def _end_with_the_owner() -> None:
    """Have the kernel kill this process when the owner dies (Linux; a stopped owner retires us itself).

    An owner killed with SIGKILL cannot retire its serving processes, and one left running would hold the port.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed pipe still makes the process retire
        pass
