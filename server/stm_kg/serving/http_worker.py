"""Serve a WSGI app with granian's HTTP engine (Rust, hyper) on a listening socket this process inherited.

The one module that knows granian. It drives granian's worker class directly, as granian's own worker
processes do (``granian/server/mp.py``, granian 2.8 pinned in ``constraints.txt``), because granian's process
manager binds its own sockets and forks its own workers, while stm-kg's serving processes share one socket
made by the store's owner: a replacement takes over the same accept queue and no connection is lost.

A stop is graceful: no new connection is taken, idle keep-alive connections are closed, the requests in
flight are answered (with ``Connection: close``, so their clients do not send another on them), then
:meth:`HttpWorker.run` returns.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from granian._futures import _new_cbscheduler
from granian._granian import SocketHolder, WorkerSignal, WSGIWorker
from granian._loops import loops
from granian.wsgi import Response, ResponseIterWrap

WsgiApp = Callable[..., Any]

#: Python threads that run the app: one per CPU. More threads contend for the GIL: every call into Oxigraph
#: lets go of it and the caller queues behind the others to get it back (lookups at 4 connections: ~12,000
#: req/s with 2 threads, 5,000-7,000 with 4, 8 or 16; docs/performance.md).
APP_THREADS = os.cpu_count() or 2


def _wsgi_callback(app: WsgiApp, worker: HttpWorker) -> Callable[[Any, dict], int]:
    """Granian's call of a WSGI app (``granian/wsgi.py``) without its copy of ``os.environ`` into every request's
    environ (the server's environment, a write token say, has no business there, and copying it costs time),
    and with ``Connection: close`` on every response once the worker is winding down (:meth:`HttpWorker.wind_down`)."""
    base = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SCRIPT_NAME": "", "SERVER_SOFTWARE": "stm-kg", "wsgi.errors": sys.stderr,
        "wsgi.input_terminated": True, "wsgi.multiprocess": True, "wsgi.multithread": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }

    def run(protocol, scope: dict) -> int:
        response = Response()
        body = app(base | scope, response)
        if worker.winding_down:
            response.headers = [*response.headers, ("Connection", "close")]
        if isinstance(body, list):
            protocol.response_bytes(response.status, response.headers, b"".join(body))
        else:
            protocol.response_iter(response.status, response.headers, ResponseIterWrap(body))
        return response.status

    return run


#: Seconds between taking no more connections and the graceful stop (see :meth:`HttpWorker.stop`).
SETTLE_SECONDS = 0.1


class HttpWorker:
    """``app`` served on ``listener`` (bound and listening) until :meth:`stop`."""

    def __init__(self, app: WsgiApp, listener: socket.socket, *, threads: int = APP_THREADS, backlog: int = 1024):
        self._app = app
        self._listener = listener
        self._threads = threads
        self._backlog = backlog
        self.winding_down = False
        self._inert: socket.socket | None = None
        self._lock = threading.Lock()
        self._signal = WorkerSignal()
        self._stopped = threading.Event()
        self._signal.add_cb(self._stopped.set)  # called once the last request in flight is answered

    def run(self) -> None:
        """Serve until :meth:`stop` has been called and every request in flight has been answered."""
        loop = loops.get("auto")
        worker = WSGIWorker(
            1,  # worker id (in granian's logs)
            (None, SocketHolder(self._listener.fileno(), False, self._backlog)),
            None,  # no metrics pipe
            1,  # Rust runtime threads (the HTTP engine): one per process, as granian does
            512,  # Rust blocking threads
            self._threads,  # Python threads running the app
            30,  # seconds an idle Python thread lives
            self._backlog,  # requests in flight before backpressure
            "1",  # HTTP/1.1 (the protocol's clients and browsers on http:// use nothing else)
            None, None, None,  # HTTP/1 and HTTP/2 settings, static files: granian's defaults, none
            False, None, None, None, "tls1.3", None, [], False,  # no TLS: a reverse proxy terminates it
            (None, None),  # metrics
        )
        scheduler = _new_cbscheduler(loop, _wsgi_callback(self._app, self), impl_asyncio=True)
        worker.serve_mtr(scheduler, loop, self._signal)
        self._stopped.wait()

    def wind_down(self) -> None:
        """From now on every response says ``Connection: close``: clients move to new connections (the
        replacement's) by themselves, instead of finding their idle connection closed under them at :meth:`stop`."""
        self.winding_down = True

    def stop(self) -> None:
        """Take no new connection, close idle ones, answer those in flight; safe from any thread, repeatable."""
        self.winding_down = True
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
            if self._inert is not None:
                return
            self._inert = socket.socket(self._listener.family, socket.SOCK_STREAM)
            self._inert.bind((self._listener.getsockname()[0], 0))
            self._inert.listen(1)
            self._inert.setblocking(False)
            os.dup2(self._inert.fileno(), self._listener.fileno())
