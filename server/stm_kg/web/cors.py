"""CORS: any web page may read from the service; writes stay with clients that hold the token.

Pre-flight requests allow ``Accept`` and ``Content-Type`` (for POSTed queries) but not ``Authorization``,
so a browser on another origin cannot send a write.
"""

from __future__ import annotations

from flask import Flask, Response

_READ_METHODS = "GET, HEAD, POST, OPTIONS"

#: The headers every response carries (also sent by :mod:`.fast_path`).
CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", _READ_METHODS),
    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
    ("Access-Control-Expose-Headers", "Content-Type, Content-Length, Retry-After"),
    ("Access-Control-Max-Age", "86400"),
)


def install_cors(app: Flask) -> None:
    """Add the CORS headers to every response."""

    @app.after_request
    def _cors(response: Response) -> Response:
        for name, value in CORS_HEADERS:
            response.headers[name] = value
        return response
