"""The headers every response carries, whoever made it: one list, one function.

The Flask app adds them after every request (:func:`install_security_headers`); the serving front
(:mod:`stm_kg.serving.front`) adds them to the responses it makes itself (refusals, ``/health``, quick
queries) with :func:`security_headers`. A response that sets one of them itself keeps its own value.
"""

from __future__ import annotations

from flask import Flask, Response

#: Everything from this server, nothing inline but styles (YASGUI sets some), no framing by other sites.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)

#: Sent with every response. ``nosniff``: a browser never guesses another type than the one we send (a
#: Turtle file or a query result is not run as a script); the referrer policy keeps query texts in our URLs
#: from leaking to the sites our pages link to (they see our origin only).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def security_headers(present: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The security headers a response still lacks; ``present`` holds the lower-case names it has."""
    return [(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present]


def install_security_headers(app: Flask) -> None:
    """Add :data:`SECURITY_HEADERS` to every response of ``app`` that does not set them itself."""

    @app.after_request
    def _secure(response: Response) -> Response:
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response
