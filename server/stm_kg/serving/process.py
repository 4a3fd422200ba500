"""The serving process: the front and the web app on granian's HTTP engine, over a read-only view of the data.

Forked from the store's owner (:mod:`.supervisor`); never returns. Before it serves, it denies itself the
network (:mod:`stm_kg.store.sandbox`): queries are evaluated here, and none can reach another server but
through the owner's allowlisted SERVICE client. Writes go to the owner through :class:`~.control.OwnerLink`,
and the owner has every serving process catch up with each write in place.

Two ways to stop:

- **retire** (a replacement serves now: after a query this process cannot stop, or when the owner is gone):
  take no new connection, answer the requests it has, exit;
- **drain** (the server is shutting down, nobody takes over): answer new requests with 503 at once, cancel the
  queries in flight (their clients get 503 now), answer the writes in flight, then stop.

One that is still not done ``grace`` seconds later exits anyway.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import NoReturn

import pyoxigraph as ox

from ..store import sandbox
from ..store.interface import KnowledgeStore, StoreError
from ..store.snapshot import SnapshotStore
from ..web import ServerConfig, create_app
from .control import ForwardingWriter, OwnerLink
from .front import Front, FrontLimits
from .http_worker import HttpWorker
from .logs import BatchWriter
from .wsgi_bridge import PublicAddress

log = logging.getLogger(__name__)

#: Builds the store view of a serving process; its argument is what to call when a query overruns the limit.
ViewMaker = Callable[[Callable[[], None]], KnowledgeStore]
#: Builds the app's configuration around the store view; its second argument makes the allowlisted SERVICE
#: calls (through the owner) when this process has no network, else ``None``.
ConfigMaker = Callable[[KnowledgeStore, "Callable | None"], ServerConfig]


@dataclass(frozen=True)
class ServingSettings:
    """How a serving process serves: the front's limits, its public address, connections, and whether the
    network is denied (``sandbox``)."""

    front: FrontLimits
    public: PublicAddress | None
    max_connections: int = 16384
    header_timeout: float = 15.0
    grace: float = 35.0
    sandbox: bool = True


class _Stopping:
    """Stops the serving process once: retiring or draining, and ends it if it is not done ``grace`` s later."""

    def __init__(self, grace: float):
        self.grace = grace
        self.requested: str | None = None
        self.before_exit: Callable[[], None] = lambda: None
        self._worker: HttpWorker | None = None
        self._front: Front | None = None
        self._lock = threading.Lock()

    def attach(self, worker: HttpWorker, front: Front) -> bool:
        """Stop ``worker`` when told to; False when that was asked already (nothing to serve then)."""
        with self._lock:
            self._worker, self._front = worker, front
            return self.requested is None

    def retire(self) -> None:
        self._stop("retire")

    def drain(self) -> None:
        self._stop("drain")

    def _stop(self, how: str) -> None:
        with self._lock:
            if self.requested is not None:
                return
            self.requested = how
            worker, front = self._worker, self._front
        if worker is None or worker.loop is None:  # not serving yet: serve() sees it and exits
            return
        timer = threading.Timer(self.grace, self._give_up)
        timer.daemon = True
        timer.start()
        if how == "retire":
            front.winding_down = True
            worker.stop()
            return
        asyncio.run_coroutine_threadsafe(self._drain(worker, front), worker.loop)

    async def _drain(self, worker: HttpWorker, front: Front) -> None:
        await front.drain(self.grace)
        worker.stop()

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
          settings: ServingSettings) -> NoReturn:
    """Run a serving process on ``listener`` until it stops, then exit the process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the owner decides
    stopping = _Stopping(settings.grace)
    signal.signal(signal.SIGTERM, lambda *_: stopping.drain())
    link: OwnerLink | None = None
    worker: HttpWorker | None = None
    front: Front | None = None

    def overrun() -> None:  # a query this process cannot stop: a fresh process takes over, clients move there
        front.winding_down = True
        link.ask_for_replacement()

    view = make_view(overrun)  # the view exists before any update can arrive
    link = OwnerLink(connection, on_retire=stopping.retire, on_drain=stopping.drain,
                     follow=lambda update: _follow(view, update))
    config = make_config(view, link.fetch_service if settings.sandbox else None)
    app = create_app(config, writer=ForwardingWriter(link))
    front = Front(app.wsgi_app, limits=settings.front, public=settings.public, quick=app.wsgi_app.quick_answer,
                  cancel_queries=lambda: config.store.cancel_queries("the server is shutting down; try again shortly"))
    worker = HttpWorker(front, listener, max_connections=settings.max_connections,
                        header_timeout=settings.header_timeout)
    if not stopping.attach(worker, front):
        os._exit(0)
    if settings.sandbox:
        sandbox.deny_network_everywhere()
    lines = BatchWriter()
    link.ready()
    stopping.before_exit = lines.stop
    code = 0
    try:
        worker.run()
    except BaseException:  # noqa: BLE001 - the owner starts another; say why this one ended
        log.exception("the serving process %d failed", os.getpid())
        code = 1
    lines.stop()
    os._exit(code)
