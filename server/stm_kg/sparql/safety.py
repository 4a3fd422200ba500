"""What a query may reach outside the store: only the SPARQL endpoints on the allowlist, through ``SERVICE``.

Oxigraph would follow ``SERVICE`` and ``LOAD`` over HTTP by itself; this policy decides before Oxigraph sees
the request. ``LOAD`` is always refused. ``SERVICE`` is refused unless every endpoint the request names is on
the allowlist (``stm-kg serve --service-allow PREFIX``); allowed clauses are then evaluated by our own code
(:mod:`.federation`, with time and size limits), never by Oxigraph. ``SERVICE`` in an update is refused:
updates are applied by Oxigraph, which would make the call without our limits.
``FROM``/``FROM NAMED`` and the protocol's graph parameters need no check: Oxigraph only selects graphs
already in the store, never loads them (the tests prove it).

The first look is lexical (:mod:`stm_kg.store.query_text`): the keywords ``SERVICE`` and ``LOAD`` outside comments, strings
and IRIs. Only a request that says ``SERVICE`` is read further, to find its endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store.query_text import keywords

#: Keywords that only SPARQL Update uses.
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class RemoteAccessRefused(Exception):
    """The request would make the server reach outside its store; ``keyword`` says how."""

    def __init__(self, keyword: str, message: str):
        super().__init__(message)
        self.keyword = keyword


def _default_limits():
    from .federation import ServiceLimits

    return ServiceLimits()


@dataclass(frozen=True)
class RemoteAccessPolicy:
    """Which remote SPARQL endpoints ``SERVICE`` may call (``service_allow``: address prefixes), and the limits
    of each call (``service_limits``, a :class:`~stm_kg.sparql.federation.ServiceLimits`). ``LOAD`` is always
    refused. With an empty allowlist no ``SERVICE`` is allowed (the default)."""

    service_allow: tuple[str, ...] = ()
    service_limits: object = field(default_factory=_default_limits)

    def __post_init__(self):
        from .federation import valid_prefix

        bad = [prefix for prefix in self.service_allow if not valid_prefix(prefix)]
        if bad:
            raise ValueError(f"not an http(s) endpoint address for the SERVICE allowlist: {', '.join(bad)}")

    @property
    def federation_enabled(self) -> bool:
        return bool(self.service_allow)

    def allows(self, endpoint: str) -> bool:
        from .federation import allowed

        return allowed(endpoint, self.service_allow)

    def check(self, sparql: str) -> None:
        """Raise :class:`RemoteAccessRefused` when ``sparql`` would fetch or call anything not allowed."""
        found = keywords(sparql, ("SERVICE", "LOAD"))
        if "LOAD" in found:
            raise RemoteAccessRefused("LOAD", "LOAD is refused: this server never fetches data from URLs or files")
        if "SERVICE" not in found:
            return
        if not self.service_allow:
            raise RemoteAccessRefused(
                "SERVICE", "SERVICE is refused: this endpoint does not call other SPARQL endpoints (federation is off)"
            )
        if keywords(sparql, _UPDATE_KEYWORDS):
            raise RemoteAccessRefused("SERVICE", "SERVICE is refused in updates: only queries may call other endpoints")
        from .federation import ServiceError, read_services

        try:
            reading = read_services(sparql)
        except ServiceError as error:
            raise RemoteAccessRefused("SERVICE", f"SERVICE is refused: {error}") from None
        if len(reading.all_endpoints) != found.count("SERVICE"):
            raise RemoteAccessRefused("SERVICE", "SERVICE is refused: a SERVICE clause could not be read")
        for clause in reading.all_endpoints:
            if clause.endpoint is None:
                raise RemoteAccessRefused(
                    "SERVICE", f"SERVICE {clause.endpoint_text} is refused: a variable endpoint is not allowed; name the endpoint"
                )
            if not self.allows(clause.endpoint):
                raise RemoteAccessRefused(
                    "SERVICE",
                    f"SERVICE <{clause.endpoint}> is refused: not on this server's allowlist "
                    f"({', '.join(self.service_allow)})",
                )
