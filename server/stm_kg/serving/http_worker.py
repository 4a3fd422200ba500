"""Serve a WSGI app with granian's HTTP engine (Rust, hyper) on a listening socket this process inherited.

The one module that knows granian. It drives granian's worker class directly, as granian's own worker
processes do (``granian/server/mp.py``, granian 2.8 pinned in ``constraints.txt``), because granian's process
manager binds its own sockets and forks its own workers, while stm-kg's serving processes share one socket
made by the store's owner: a replacement takes over the same accept queue and no connection is lost.

A stop is graceful: no new connection is taken, idle keep-alive connections are closed, the requests in
flight are answered, then :meth:`HttpWorker.run` returns.
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


def _wsgi_callback(app: WsgiApp) -> Callable[[Any, dict], int]:
    """Granian's call of a WSGI app (``granian/wsgi.py``) without its copy of ``os.environ`` into every request's
    environ: the server's environment (a write token, say) has no business there, and copying it costs time."""
    base = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SCRIPT_NAME": "", "SERVER_SOFTWARE": "stm-kg", "wsgi.errors": sys.stderr,
        "wsgi.input_terminated": True, "wsgi.multiprocess": True, "wsgi.multithread": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }

    def run(protocol, scope: dict) -> int:
        response = Response()
        body = app(base | scope, response)
        if isinstance(body, list):
            protocol.response_bytes(response.status, response.headers, b"".join(body))
        else:
            protocol.response_iter(response.status, response.headers, ResponseIterWrap(body))
        return response.status

    return run


class HttpWorker:
    """``app`` served on ``listener`` (bound and listening) until :meth:`stop`."""

    def __init__(self, app: WsgiApp, listener: socket.socket, *, threads: int = APP_THREADS, backlog: int = 1024):
        self._app = app
        self._listener = listener
        self._threads = threads
        self._backlog = backlog
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
        scheduler = _new_cbscheduler(loop, _wsgi_callback(self._app), impl_asyncio=True)
        worker.serve_mtr(scheduler, loop, self._signal)
        self._stopped.wait()

    def stop(self) -> None:
        """Take no new connection, close idle ones, answer those in flight; safe from any thread, repeatable."""
        self._signal.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the worker has stopped; True if it has."""
        return self._stopped.wait(timeout)
