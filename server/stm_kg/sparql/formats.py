"""Result formats and content negotiation: ``Accept`` with q-values, and the ``format`` parameter.

Each offered format has one canonical media type (what Oxigraph writes), other media types clients use
for it, and short names for the ``format`` parameter. Order matters: on equal preference the first wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..store.interface import FormatChoice


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation we offer: its media type, other media types for it, and its ``format`` names."""

    media_type: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


#: Formats of SELECT and ASK results (SPARQL 1.1 Query Results JSON, XML, CSV and TSV).
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("application/sparql-results+json", ("application/json",), ("json", "srj")),
    ResultFormat("application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx")),
    ResultFormat("text/csv", (), ("csv",)),
    ResultFormat("text/tab-separated-values", (), ("tsv",)),
)

#: Formats of CONSTRUCT and DESCRIBE results, and of Graph Store responses.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("text/turtle", ("application/x-turtle",), ("turtle", "ttl")),
    ResultFormat("application/n-triples", (), ("nt", "ntriples", "n-triples")),
    ResultFormat("application/ld+json", ("application/json",), ("jsonld", "json-ld", "json")),
    ResultFormat("application/rdf+xml", ("application/xml", "text/xml"), ("rdfxml", "rdf", "xml")),
    ResultFormat("application/trig", (), ("trig",)),
    ResultFormat("application/n-quads", (), ("nq", "nquads", "n-quads")),
)

ANY = MIMEAccept([("*/*", 1)])


def _by_name(formats: tuple[ResultFormat, ...], name: str) -> str | None:
    wanted = name.strip().lower()
    for fmt in formats:
        if wanted in fmt.names or wanted in fmt.media_types:
            return fmt.media_type
    return None


def best_format(formats: tuple[ResultFormat, ...], accept: MIMEAccept, name: str | None = None) -> str | None:
    """The canonical media type to answer with, or ``None`` when nothing the client accepts is offered.

    ``name`` (the ``format`` parameter: a short name or a media type) overrides ``accept``; an empty
    ``Accept`` header accepts anything.
    """
    if name:
        return _by_name(formats, name)
    accept = accept if accept else ANY
    offered = [media_type for fmt in formats for media_type in fmt.media_types]
    match = accept.best_match(offered)
    if match is None:
        return None
    return next(fmt.media_type for fmt in formats if match in fmt.media_types)


def negotiate(accept: MIMEAccept, name: str | None = None) -> FormatChoice:
    """The format for each kind of query result, as the client asks for it."""
    return FormatChoice(best_format(SOLUTION_FORMATS, accept, name), best_format(GRAPH_FORMATS, accept, name))


@lru_cache(maxsize=512)
def negotiate_header(accept: str, name: str | None = None) -> FormatChoice:
    """:func:`negotiate` for the raw ``Accept`` header, remembered: clients send the same few headers over and
    over, and parsing and matching one costs about 0.1 ms per request (measured, tests/benchmarks)."""
    return negotiate(parse_accept_header(accept, MIMEAccept), name)


def offered_media_types(kind: str) -> list[str]:
    """The canonical media types offered for a kind of result (``"graph"`` or another), for 406 bodies."""
    formats = GRAPH_FORMATS if kind == "graph" else SOLUTION_FORMATS
    return [fmt.media_type for fmt in formats]


def explicit_quality(accept: MIMEAccept, media_types) -> float:
    """The best quality ``accept`` gives one of ``media_types`` by name (wildcards do not count)."""
    wanted = set(media_types)
    return max((quality for value, quality in accept if value in wanted), default=0)


def prefers_html(accept: MIMEAccept) -> bool:
    """True when the client (a browser) names HTML and prefers it to every RDF format."""
    html = explicit_quality(accept, ("text/html", "application/xhtml+xml"))
    rdf = explicit_quality(accept, [media_type for fmt in GRAPH_FORMATS for media_type in fmt.media_types])
    return html > 0 and html >= rdf
