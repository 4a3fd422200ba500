"""Serve an ASGI app with granian's HTTP engine (Rust, hyper) on a listening socket this process inherited.

The one module that knows granian. It starts granian's ASGI worker as granian's own servers do
(``granian/server/mp.py`` and ``embed.py``: the worker on an event loop of this process, uvloop's where
installed; granian 2.8 is pinned in ``constraints.txt``), because granian's servers bind sockets of their own, while stm-kg's serving processes
share one socket made by the store's owner: a replacement takes over the same accept queue and no connection
is lost (decision 0009). ``tests/endpoint/test_http_worker.py`` checks that what this module relies on of
granian is still there.

What granian bounds for us (the rest is :mod:`.front`'s): connections per process (``max_connections``:
more wait in the accept queue), and the time a connection may take to send a request's headers, which is
also how long an idle keep-alive connection stays open (``header_timeout``).

A stop is graceful: no new connection is taken, idle keep-alive connections are closed, the requests in
flight are answered, then :meth:`HttpWorker.run` returns.
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import threading
from typing import Any, Callable

from granian._futures import _future_watcher_wrapper, _new_cbscheduler
from granian._granian import ASGIWorker, SocketHolder, WorkerSignal
from granian._loops import loops
from granian.asgi import _callback_wrapper
from granian.http import HTTP1Settings

AsgiApp = Callable[..., Any]

#: Seconds between taking no more connections and the graceful stop (see :meth:`HttpWorker.stop`).
SETTLE_SECONDS = 0.1

#: File descriptors kept free for everything but client connections (store files, pipes, logs).
_RESERVED_DESCRIPTORS = 256


def connection_limit(wanted: int) -> int:
    """``wanted`` connections, or fewer when this process may not open that many files.

    The soft limit on open files is raised to the hard one first (it is often 1,024 where the hard limit is far
    higher): each connection is a file descriptor.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, wanted + _RESERVED_DESCRIPTORS)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(16, min(wanted, soft - _RESERVED_DESCRIPTORS))


class HttpWorker:
    """``app`` served on ``listener`` (bound and listening) until :meth:`stop`."""

    def __init__(self, app: AsgiApp, listener: socket.socket, *, max_connections: int = 16384,
                 header_timeout: float = 15.0, backlog: int = 1024):
        self._app = app
        self._listener = listener
        self.max_connections = connection_limit(max_connections)
        self._header_timeout = header_timeout
        self._backlog = backlog
        # made now: the process may not open network sockets later (:mod:`.sandbox`)
        self._inert = socket.socket(listener.family, socket.SOCK_STREAM)
        self._inert.bind((listener.getsockname()[0], 0))
        self._inert.listen(1)
        self._inert.setblocking(False)
        self._accepting = True
        self._lock = threading.Lock()
        self._signal = WorkerSignal()
        self.loop: asyncio.AbstractEventLoop | None = None

    def run(self) -> None:
        """Serve until :meth:`stop` has been called and every request in flight has been answered."""
        self.loop = loops.get("auto")
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        stopped = loop.create_future()
        self._signal.add_cb(lambda: loop.call_soon_threadsafe(stopped.set_result, None))
        worker = ASGIWorker(
            1,  # worker id (in granian's logs)
            (None, SocketHolder(self._listener.fileno(), False, self._backlog)),
            None,  # no metrics pipe
            1,  # Rust runtime threads (the HTTP engine): one per process, as granian does
            512,  # Rust blocking threads (file reads of pathsend): granian's default
            1,  # Python threads: one, the event loop's (ASGI)
            30,  # seconds an idle Python thread lives
            self.max_connections,  # connections served at once (granian's "backpressure")
            "1",  # HTTP/1.1 (the protocol's clients and browsers on http:// use nothing else)
            HTTP1Settings(header_read_timeout=int(self._header_timeout * 1000)),
            None,  # HTTP/2 settings
            False,  # no websockets
            None,  # no static files: the app serves its own
            False, None, None, None, "tls1.3", None, [], False,  # no TLS: a reverse proxy terminates it
            (None, None),  # metrics
        )
        callback = _future_watcher_wrapper(_callback_wrapper(self._app, {}, {}, None))
        # the multi-threaded runtime, as granian's own server runs an ASGI worker (``granian/server/mp.py``)
        worker.serve_mtr(_new_cbscheduler(loop, callback, impl_asyncio=True), loop, self._signal)
        await stopped

    def stop(self) -> None:
        """Take no new connection, close idle ones, answer those in flight; safe from any thread, repeatable."""
        self._stop_accepting()
        # a connection accepted just now may not have sent its request yet, and the graceful stop would close
        # it as idle: give such requests a moment to arrive (they are then answered, with Connection: close)
        timer = threading.Timer(SETTLE_SECONDS, self._signal.set)
        timer.daemon = True
        timer.start()

    def _stop_accepting(self) -> None:
        """Stop taking connections from the shared socket before the graceful stop begins.

        granian's stop races with its accept loop: a connection arriving at that moment can be accepted and then
        closed unanswered (seen under load with a runaway query's replacement). So the listening descriptor of
        this process is first pointed at a socket nobody connects to (``dup2``): the engine's accept calls get
        "try again" from then on, while the shared socket itself stays open (the owner and the other serving
        processes hold it) and its queue waits for them. Linux's epoll keeps reporting the shared socket's
        readiness to this process, which is harmless: every accept finds nothing.
        """
        with self._lock:
            if not self._accepting:
                return
            self._accepting = False
            os.dup2(self._inert.fileno(), self._listener.fileno())
