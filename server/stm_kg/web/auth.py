"""Who may write: requests with ``Authorization: Bearer <token>`` when a write token is configured."""

from __future__ import annotations

import hmac

from flask import request

from ..sparql.problems import Problem


def require_write_access(write_token: str | None) -> None:
    """Raise :class:`Problem` 403 when writes are off, 401 when the bearer token is missing or wrong."""
    if not write_token:
        raise Problem(403, "read-only", "Read-only", "this server does not accept writes (start it with --write-token)")
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), write_token.encode()):
        raise Problem(
            401, "unauthorized", "Unauthorized", "writes need the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="stm-kg"'},
        )
