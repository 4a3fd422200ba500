"""The pipe between a serving process and the store's owner, and the messages that cross it.

Serving process to owner: ``("ready",)`` (serving now), ``("write", n, change)`` (apply this change through
the SHACL gate), ``("replace",)`` (a query overran the limit: start another serving process, then retire me)
and ``("caught-up", error)`` (an update was followed, or why not). Owner to serving process:
``("written", n, error)`` (``error`` is ``None`` or the exception to raise, e.g.
:class:`~stm_kg.store.gate.WriteRefused`), ``("apply", change)`` / ``("reopen", path)`` (catch up with a
write: apply the change to the in-memory copy, or open the newer checkpoint) and ``("retire",)`` (take no
new request, finish, exit). Every serving process has caught up with a write before its writer hears that
it is done, so every later request sees it, whichever process answers.
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

    def __init__(self, connection: Connection, on_retire: Callable[[], None], follow: UpdateFollower):
        self._connection = connection
        self._on_retire = on_retire
        self._follow = follow
        self._send_lock = threading.Lock()
        self._numbers = itertools.count()
        self._pending: dict[int, Future] = {}
        self._replacement_asked = False
        threading.Thread(target=self._listen, name="owner-link", daemon=True).start()

    def _send(self, message: tuple) -> None:
        with self._send_lock:
            self._connection.send(message)

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
        for future in self._pending.values():  # the owner is gone: no write can be confirmed
            future.set_exception(StoreUnavailable("the server is stopping (the store's owner process ended); "
                                                  "the write may or may not have been applied"))
        self._on_retire()

    def ready(self) -> None:
        """Tell the owner this process is about to serve."""
        self._send(("ready",))

    def write(self, change: Change) -> None:
        """Have the owner apply ``change`` (gated); returns once every serving process sees it, or raises why not."""
        number = next(self._numbers)
        future: Future = Future()
        self._pending[number] = future
        self._send(("write", number, change))
        future.result()

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
