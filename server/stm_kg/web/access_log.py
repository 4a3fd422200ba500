"""One access-log line per request, with its duration (logger ``stm_kg.access``).

By default a line is logged as the request ends. A serving process defers them (:func:`defer_lines`): the
request's thread only queues the line's fields, and a writer thread logs what has queued up in batches, with
each line's own time (see :mod:`stm_kg.serving.logs`: logging every line at once cost a quarter of the
lookup throughput).
"""

from __future__ import annotations

import logging
import queue
import time

from flask import Flask, Response, g, request

log = logging.getLogger("stm_kg.access")

_FORMAT = '%s "%s %s" %s %s %.1fms %s'

#: Where the fields of lines go when they are deferred (``None``: logged at once).
_deferred: queue.SimpleQueue | None = None


def log_request(remote: str | None, method: str, path: str, status: int, size, milliseconds: float, kind: str) -> None:
    """One line: ``REMOTE "METHOD PATH" STATUS BYTES DURATIONms KIND`` (the same for every way a request is served)."""
    if _deferred is not None:
        _deferred.put((time.time(), (remote, method, path, status, size, milliseconds, kind)))
        return
    log.info(_FORMAT, remote, method, path, status, size, milliseconds, kind)


def defer_lines() -> queue.SimpleQueue:
    """From now on queue the lines' fields; pass each queued item to :func:`write_line` to log it."""
    global _deferred
    _deferred = queue.SimpleQueue()
    return _deferred


def write_line(item: tuple) -> None:
    """Log one deferred line, dated when its request ended."""
    when, fields = item
    if not log.isEnabledFor(logging.INFO):
        return
    record = log.makeRecord(log.name, logging.INFO, "(access log)", 0, _FORMAT, fields, None)
    record.created = when
    record.msecs = (when - int(when)) * 1000
    log.handle(record)


def install_access_log(app: Flask) -> None:
    """Log ``METHOD PATH STATUS BYTES DURATIONms [query kind]`` after every request."""

    @app.before_request
    def _start_clock() -> None:
        g.stm_kg_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        if request.environ.get("stm_kg.served_by_front"):  # the front logs it, with the whole duration
            return response
        started = g.get("stm_kg_started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        kind = request.environ.get("stm_kg.query_kind", "-")
        size = response.calculate_content_length() if not response.is_streamed else "-"
        log_request(request.remote_addr, request.method, request.path, response.status_code, size, duration, kind)
        return response
