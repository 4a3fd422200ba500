"""One access-log line per request, with its duration (logger ``stm_kg.access``)."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger("stm_kg.access")


def log_request(remote: str | None, method: str, path: str, status: int, size, milliseconds: float, kind: str) -> None:
    """One line: ``REMOTE "METHOD PATH" STATUS BYTES DURATIONms KIND`` (the same for every way a request is served)."""
    log.info('%s "%s %s" %s %s %.1fms %s', remote, method, path, status, size, milliseconds, kind)


def install_access_log(app: Flask) -> None:
    """Log ``METHOD PATH STATUS BYTES DURATIONms [query kind]`` after every request."""

    @app.before_request
    def _start_clock() -> None:
        g.stm_kg_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("stm_kg_started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        kind = request.environ.get("stm_kg.query_kind", "-")
        size = response.calculate_content_length() if not response.is_streamed else "-"
        log_request(request.remote_addr, request.method, request.path, response.status_code, size, duration, kind)
        return response
