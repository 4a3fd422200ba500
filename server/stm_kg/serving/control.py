"""The pipe between a serving process and the store's owner, and the messages that cross it.

Serving process to owner: ``("ready",)`` (serving now), ``("write", n, change)`` (apply this change through
the SHACL gate), ``("service", n, call)`` (make this allowlisted SERVICE call: a serving process has no
network, :mod:`stm_kg.store.sandbox`), ``("replace",)`` (a query overran the limit: start another serving
process, then retire me) and ``("caught-up", error)`` (an update was followed, or why not). Owner to
serving process: ``("written", n, error)`` (``error`` is ``None`` or the exception to raise, e.g.
:class:`~stm_kg.store.gate.WriteRefused`), ``("served", n, rows, error)`` (the SERVICE call's rows, or the
exception to raise), ``("apply", change)`` / ``("reopen", path)`` (catch up with a write: apply the change
to the in-memory copy, or open the newer checkpoint), ``("retire",)`` (a replacement serves: take no new
connection, finish, exit) and ``("drain",)`` (the server stops: refuse new requests, finish, exit). Every
serving process has caught up with a write before its writer hears that it is done, so every later request
sees it, whichever process answers.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection

from ..store.changes import Change
from ..store.interface import StoreUnavailable

log = logging.getLogger(__name__)

#: Follows an update sent by the owner: ``("apply", change)`` or ``("reopen", path)``.
UpdateFollower = Callable[[tuple], None]


class OwnerLink:
    """A serving process's end of the pipe: sends writes and requests, follows updates, retires when told.

    The owner going away (its end of the pipe closes, e.g. it was killed) counts as being told to retire.
    """

    def __init__(self, connection: Connection, on_retire: Callable[[], None], follow: UpdateFollower,
                 on_drain: Callable[[], None] | None = None):
        self._connection = connection
        self._on_retire = on_retire
        self._on_drain = on_drain or on_retire
        self._follow = follow
        self._send_lock = threading.Lock()
        self._numbers = itertools.count()
        self._pending: dict[int, Future] = {}
        self._replacement_asked = False
        threading.Thread(target=self._listen, name="owner-link", daemon=True).start()

    def _send(self, message: tuple) -> None:
        try:
            with self._send_lock:
                self._connection.send(message)
        except OSError:  # the owner has gone (it is stopping, or was killed)
            raise StoreUnavailable("the server is stopping (the store's owner process ended); try again shortly") from None

    def _listen(self) -> None:
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                break
            kind = message[0]
            if kind == "written":
                _, number, error = message
                future = self._pending.pop(number)
                future.set_exception(error) if error is not None else future.set_result(None)
            elif kind == "served":
                _, number, rows, error = message
                future = self._pending.pop(number)
                future.set_exception(error) if error is not None else future.set_result(rows)
            elif kind in ("apply", "reopen"):
                try:
                    self._follow(message)
                except Exception as error:  # the owner replaces a process that cannot follow
                    log.exception("could not catch up with a write")
                    self._send(("caught-up", f"{type(error).__name__}: {error}"))
                else:
                    self._send(("caught-up", None))
            elif kind == "retire":
                self._on_retire()
            elif kind == "drain":
                self._on_drain()
        for future in list(self._pending.values()):  # the owner is gone: no write can be confirmed
            future.set_exception(StoreUnavailable("the server is stopping (the store's owner process ended); "
                                                  "the write may or may not have been applied"))
        self._on_drain()

    def ready(self) -> None:
        """Tell the owner this process is about to serve."""
        self._send(("ready",))

    def _ask(self, message: tuple):
        number = next(self._numbers)
        future: Future = Future()
        self._pending[number] = future
        try:
            self._send((message[0], number, *message[1:]))
        except StoreUnavailable:
            self._pending.pop(number, None)
            raise
        return future.result()

    def write(self, change: Change) -> None:
        """Have the owner apply ``change`` (gated); returns once every serving process sees it, or raises why not."""
        self._ask(("write", change))

    def fetch_service(self, *call):
        """The rows of an allowlisted SERVICE call (``call``: the arguments of
        :func:`stm_kg.sparql.federation.fetch`), made by the owner; or raises what the call raised."""
        return self._ask(("service", call))

    def ask_for_replacement(self) -> None:
        """Ask (once) for a fresh serving process: this one has a query it cannot stop."""
        if not self._replacement_asked:
            self._replacement_asked = True
            log.warning("a query overran the time limit; this serving process retires once a fresh one serves")
            self._send(("replace",))


class ForwardingWriter:
    """The writer of a serving process's app: each change is applied by the owner, through its gate."""

    def __init__(self, link: OwnerLink):
        self._link = link

    def write(self, change: Change) -> None:
        self._link.write(change)
