"""What a query may reach outside the store: only the SPARQL endpoints on the allowlist, through ``SERVICE``.

Oxigraph would follow ``SERVICE`` and ``LOAD`` over HTTP by itself; this policy decides before Oxigraph sees
the request. ``LOAD`` is always refused. ``SERVICE`` is refused unless every endpoint the request names is on
the allowlist (``stm-kg serve --service-allow PREFIX``); allowed clauses are then evaluated by our own code
(:mod:`.federation`, with time and size limits), never by Oxigraph. ``SERVICE`` in an update is refused:
updates are applied by Oxigraph, which would make the call without our limits.
``FROM``/``FROM NAMED`` and the protocol's graph parameters need no check: Oxigraph only selects graphs
already in the store, never loads them (the tests prove it).

The policy decides on tokens (:mod:`stm_kg.syntax`), read as Oxigraph reads the text, not on a simpler scan:
a prefixed name with an escape (``ex:a\\#``), a comment that ends at a carriage return, a string or IRI with
``\\u`` escapes can hide nothing. Text the lexer cannot read is refused as malformed (Oxigraph would refuse it
too; if it would not, it must not run unchecked). Oxigraph's parser also takes a keyword glued to the front
of a longer word or prefixed name (``SERVICESILENT<…>``, ``SERVICEex:a {…}``, ``SERVICE:a {…}``, ``LOADex:a``):
any such name is refused, since no reading short of Oxigraph's own parser can tell whether it is the keyword.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store.interface import QuerySyntaxError
from ..syntax import UPDATE_VERBS, LexError, Reading, read


class RemoteAccessRefused(Exception):
    """The request would make the server reach outside its store; ``keyword`` says how."""

    def __init__(self, keyword: str, message: str):
        super().__init__(message)
        self.keyword = keyword


def _default_limits():
    from .federation import ServiceLimits

    return ServiceLimits()


def reading_of(sparql: str) -> Reading:
    """The tokens' reading of a request (:func:`stm_kg.syntax.read`); text that is no SPARQL is a
    :class:`~stm_kg.store.interface.QuerySyntaxError` (400) with its line and column."""
    try:
        return read(sparql)
    except LexError as error:
        raise QuerySyntaxError(error.reason, error.line, error.column) from None


def refuse_glued(reading: Reading) -> None:
    """:class:`RemoteAccessRefused` when Oxigraph may read ``SERVICE`` or ``LOAD`` glued to another name."""
    for keyword in ("SERVICE", "LOAD"):
        if reading.glued(keyword):
            raise RemoteAccessRefused(
                keyword, f"{keyword} is refused: a name that begins with {keyword} (e.g. {keyword}ex:a, "
                f"{keyword}SILENT, {keyword.lower()}:a) can be read as the keyword {keyword}; put a space after "
                f"the keyword, or use another prefix")


@dataclass(frozen=True)
class RemoteAccessPolicy:
    """Which remote SPARQL endpoints ``SERVICE`` may call (``service_allow``: address prefixes), and the limits
    of each call (``service_limits``, a :class:`~stm_kg.sparql.federation.ServiceLimits`). ``LOAD`` is always
    refused. With an empty allowlist no ``SERVICE`` is allowed (the default)."""

    service_allow: tuple[str, ...] = ()
    service_limits: object = field(default_factory=_default_limits)
    #: Makes the calls: :func:`~stm_kg.sparql.federation.fetch` by default (``None``), or a stand-in with its
    #: signature (a serving process has the store's owner make them).
    fetcher: object = None

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

    def check(self, sparql: str, base_iri: str | None = None) -> None:
        """Raise :class:`RemoteAccessRefused` when ``sparql`` would fetch or call anything not allowed, and
        :class:`~stm_kg.store.interface.QuerySyntaxError` when it cannot be read."""
        reading = reading_of(sparql)
        refuse_glued(reading)
        if reading.says("LOAD"):
            raise RemoteAccessRefused("LOAD", "LOAD is refused: this server never fetches data from URLs or files")
        if not reading.says("SERVICE"):
            return
        if not self.service_allow:
            raise RemoteAccessRefused(
                "SERVICE", "SERVICE is refused: this endpoint does not call other SPARQL endpoints (federation is off)"
            )
        if any(reading.says(verb) for verb in UPDATE_VERBS):
            raise RemoteAccessRefused("SERVICE", "SERVICE is refused in updates: only queries may call other endpoints")
        from .federation import ServiceError, read_services

        try:
            services = read_services(sparql, base_iri)
        except ServiceError as error:
            raise RemoteAccessRefused("SERVICE", f"SERVICE is refused: {error}") from None
        for clause in services.all_endpoints:
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
