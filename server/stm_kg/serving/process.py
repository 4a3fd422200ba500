"""The serving process: the web app on granian's HTTP engine, over a read-only view of the store's data.

Forked from the store's owner (:mod:`.supervisor`); never returns. Queries are evaluated here; writes go to
the owner through :class:`~.control.OwnerLink`, and the owner has every serving process catch up with each
write in place. Told to retire (once a replacement serves, after a query it cannot stop; on shutdown; or
when the owner is gone), it takes no new connection, answers the requests it has, and exits; one that is
still not done ``grace`` seconds later exits anyway.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import NoReturn

import pyoxigraph as ox

from ..store.interface import KnowledgeStore, StoreError
from ..store.snapshot import SnapshotStore
from ..web import ServerConfig, create_app
from .control import ForwardingWriter, OwnerLink
from .http_worker import HttpWorker
from .logs import BatchWriter

log = logging.getLogger(__name__)

#: Builds the store view of a serving process; its argument is what to call when a query overruns the limit.
ViewMaker = Callable[[Callable[[], None]], KnowledgeStore]
#: Builds the app's configuration around the store view.
ConfigMaker = Callable[[KnowledgeStore], ServerConfig]


class _Retirement:
    """Stops the HTTP worker once, and ends the process if it has not finished ``grace`` seconds later."""

    def __init__(self, grace: float):
        self.grace = grace
        self.requested = False
        self.before_exit: Callable[[], None] = lambda: None
        self._worker: HttpWorker | None = None
        self._lock = threading.Lock()

    def attach(self, worker: HttpWorker) -> bool:
        """Retire ``worker`` when told to; False when that was asked already (nothing to serve then)."""
        with self._lock:
            self._worker = worker
            return not self.requested

    def __call__(self) -> None:
        with self._lock:
            if self.requested:
                return
            self.requested = True
            worker = self._worker
        if worker is None:  # not serving yet: serve() sees it and exits
            return
        worker.stop()
        timer = threading.Timer(self.grace, self._give_up)
        timer.daemon = True
        timer.start()

    def _give_up(self) -> None:
        log.warning("requests still running after the grace period; the serving process %d exits", os.getpid())
        self.before_exit()
        os._exit(1)


def _follow(view: KnowledgeStore, update: tuple) -> None:
    """Catch up with a write of the owner: apply it to the in-memory copy, or open the newer checkpoint."""
    if not isinstance(view, SnapshotStore):
        raise StoreError(f"a {type(view).__name__} does not follow the owner's writes")
    if update[0] == "apply":
        view.apply_here(update[1])
    else:
        view.switch_to(ox.Store.read_only(update[1]))


def serve(listener: socket.socket, connection: Connection, make_view: ViewMaker, make_config: ConfigMaker,
          grace: float) -> NoReturn:
    """Run a serving process on ``listener`` until it retires, then exit the process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the owner decides
    retire = _Retirement(grace)
    signal.signal(signal.SIGTERM, lambda *_: retire())
    link: OwnerLink | None = None
    worker: HttpWorker | None = None

    def overrun() -> None:  # a query this process cannot stop: a fresh process takes over, clients move there
        worker.wind_down()
        link.ask_for_replacement()

    view = make_view(overrun)  # the view exists before any update can arrive
    link = OwnerLink(connection, on_retire=retire, follow=lambda update: _follow(view, update))
    app = create_app(make_config(view), writer=ForwardingWriter(link))
    worker = HttpWorker(app, listener)
    if not retire.attach(worker):
        os._exit(0)
    lines = BatchWriter()
    link.ready()
    retire.before_exit = lines.stop
    code = 0
    try:
        worker.run()
    except BaseException:  # noqa: BLE001 - the owner starts another; say why this one ended
        log.exception("the serving process %d failed", os.getpid())
        code = 1
    lines.stop()
    os._exit(code)
