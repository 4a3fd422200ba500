"""Errors as answers: RFC 9457 problem details, readable by people and by machines.

Raise :class:`Problem` anywhere below a request handler; the web layer renders it as
``application/problem+json`` when the client asks for JSON, as HTML for a browser, and as plain text
otherwise.
"""

from __future__ import annotations

from typing import Any

#: Base of the ``type`` IRIs of our problems (each names one kind of failure).
PROBLEM_BASE = "https://w3id.org/stm-kg/def/problem/"


class Problem(Exception):
    """An HTTP error with a title (the kind of problem), a detail (this occurrence) and extra members."""

    def __init__(self, status: int, kind: str, title: str, detail: str = "", headers: dict | None = None, **extra: Any):
        super().__init__(detail or title)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        """The problem details object (RFC 9457)."""
        body = {"type": PROBLEM_BASE + self.kind, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        body.update(self.extra)
        return body

    def as_text(self) -> str:
        """The problem for people: status, title, detail and the extra members, one a line."""
        lines = [f"{self.status} {self.title}"]
        if self.detail:
            lines.append(self.detail)
        lines += [f"{key}: {value}" for key, value in self.extra.items() if not isinstance(value, (dict, list))]
        return "\n".join(lines) + "\n"


def problem_for_store_error(error: Exception) -> Problem:
    """The HTTP problem for an error of the store (:mod:`stm_kg.store.interface`)."""
    from ..sparql.formats import offered_media_types
    from ..store.interface import NotAcceptable, QuerySyntaxError, QueryTimeout, ResultTooLarge

    if isinstance(error, QuerySyntaxError):
        where = {"line": error.line, "column": error.column} if error.line is not None else {}
        at = f" at line {error.line}, column {error.column}" if error.line is not None else ""
        return Problem(400, "malformed-query", "Malformed query", f"syntax error{at}: {error}", **where)
    if isinstance(error, QueryTimeout):
        return Problem(503, "query-timeout", "Query timed out", str(error), headers={"Retry-After": "60"})
    if isinstance(error, ResultTooLarge):
        return Problem(422, "result-too-large", "Result too large", f"{error}; narrow the query or add a LIMIT")
    if isinstance(error, NotAcceptable):
        offered = offered_media_types(error.kind)
        return Problem(406, "not-acceptable", "Not acceptable", f"{error}; offered: {', '.join(offered)}", offered=offered)
    status = getattr(error, "http_status", None)  # errors that say how to answer them (federation: SERVICE calls)
    if isinstance(status, int):
        return Problem(status, error.kind, error.title, str(error), **getattr(error, "extra", {}))
    return Problem(500, "store-error", "Store error", str(error))
