"""What stm_kg.serving.http_worker relies on of granian (its worker class, as granian's embeddable server
starts it), and that a stop answers the request in flight while the shared socket's queue waits for others."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import time

import granian
import pytest

from stm_kg.serving.http_worker import HttpWorker, connection_limit


def test_the_granian_it_was_written_for():
    # a newer granian may change the worker class's arguments: this module must be checked against it first
    assert granian.__version__.startswith("2.8."), granian.__version__
    from granian._granian import ASGIWorker, SocketHolder, WorkerSignal  # noqa: F401
    from granian.http import HTTP1Settings

    assert "header_read_timeout" in HTTP1Settings.__dataclass_fields__


async def _slow_app(scope, receive, send):
    if scope["type"] != "http":
        return
    await asyncio.sleep(1.0)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _serve(listener: socket.socket) -> None:
    worker = HttpWorker(_slow_app, listener)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    worker.run()
    os._exit(0)


def _get(port: int, timeout: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        return sock.recv(1024)


def test_a_stop_answers_the_request_in_flight_and_leaves_the_queue_to_others():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    process = multiprocessing.get_context("fork").Process(target=_serve, args=(listener,))
    process.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # wait until it serves
            try:
                if _get(port, 5).startswith(b"HTTP/1.1 200"):
                    break
            except OSError:
                time.sleep(0.1)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as in_flight:
            in_flight.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.3)
            os.kill(process.pid, signal.SIGTERM)
            assert in_flight.recv(1024).startswith(b"HTTP/1.1 200"), "the request in flight was not answered"
        process.join(20)
        assert process.exitcode == 0
        with pytest.raises(socket.timeout):  # queued on the shared socket, for the next serving process
            _get(port, 1.0)
    finally:
        if process.is_alive():
            process.kill()
        listener.close()


def test_the_connection_limit_fits_the_open_file_limit():
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = connection_limit(10**9)
    now, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert 16 <= limit <= now - 256 and now >= soft
