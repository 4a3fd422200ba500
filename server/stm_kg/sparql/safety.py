"""What a query may reach outside the store: nothing, until the federation issue allows some endpoints.

Oxigraph would follow ``SERVICE`` and ``LOAD`` over HTTP; this policy refuses both before Oxigraph sees the
request. ``FROM``/``FROM NAMED`` and the protocol's graph parameters need no check: Oxigraph only selects
graphs already in the store, never loads them (the tests prove it).

The check is lexical (:mod:`.lexical`): it looks for the keywords ``SERVICE`` and ``LOAD`` outside comments,
strings and IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexical import keywords


class RemoteAccessRefused(Exception):
    """The request would make the server reach outside its store; ``keyword`` says how."""

    def __init__(self, keyword: str, message: str):
        super().__init__(message)
        self.keyword = keyword


@dataclass(frozen=True)
class RemoteAccessPolicy:
    """Which remote SPARQL endpoints ``SERVICE`` may call (none, for now); ``LOAD`` is always refused.

    One object, so that the federation issue can add its allowlist of endpoints in one place.
    """

    def check(self, sparql: str) -> None:
        """Raise :class:`RemoteAccessRefused` when ``sparql`` would fetch or call anything outside the store."""
        found = keywords(sparql, ("SERVICE", "LOAD"))
        if "LOAD" in found:
            raise RemoteAccessRefused("LOAD", "LOAD is refused: this server never fetches data from URLs or files")
        if "SERVICE" in found:
            raise RemoteAccessRefused(
                "SERVICE", "SERVICE is refused: this endpoint does not call other SPARQL endpoints (federation is off)"
            )
