"""CORS: any web page may read from the service; writes stay with clients that hold the token.

Pre-flight requests allow ``Accept`` and ``Content-Type`` (for POSTed queries) but not ``Authorization``,
so a browser on another origin cannot send a write.
"""

from __future__ import annotations

from flask import Flask, Response

_READ_METHODS = "GET, HEAD, POST, OPTIONS"


def install_cors(app: Flask) -> None:
    """Add the CORS headers to every response."""

    @app.after_request
    def _cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = _READ_METHODS
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Expose-Headers"] = "Content-Type, Content-Length, Retry-After"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
