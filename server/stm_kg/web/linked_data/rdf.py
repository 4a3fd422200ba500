"""RDF syntaxes of the linked-data answers, and a small in-memory index of one description.

The store serialises every description as N-Triples (see :mod:`.describe`); this module parses those bytes
(with pyoxigraph's parser: no store is opened here) and writes them in the syntax the client asked for, with
the project's prefixes where the syntax has them. A description in JSON-LD is compact and framed instead
(:mod:`.jsonld`); :func:`serialize` writes the other syntaxes (and JSON-LD of no triples).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ...namespaces import PREFIXES

NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Syntax:
    """One RDF syntax we answer in: media type, file extension, name on pages."""

    media_type: str
    extension: str
    name: str

    @property
    def format(self) -> ox.RdfFormat:
        return ox.RdfFormat.from_media_type(self.media_type)


#: The syntaxes of a description, in order of preference on equal quality.
SYNTAXES: tuple[Syntax, ...] = (
    Syntax("text/turtle", "ttl", "Turtle"),
    Syntax("application/n-triples", "nt", "N-Triples"),
    Syntax("application/ld+json", "jsonld", "JSON-LD"),
    Syntax("application/rdf+xml", "rdf", "RDF/XML"),
)

#: Other media types clients use for them.
ALIASES: dict[str, str] = {
    "application/x-turtle": "text/turtle",
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
}

BY_EXTENSION = {syntax.extension: syntax for syntax in SYNTAXES}
BY_MEDIA_TYPE = {syntax.media_type: syntax for syntax in SYNTAXES}


def parse_ntriples(body: bytes) -> list[ox.Triple]:
    return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def serialize(triples: list[ox.Triple], syntax: Syntax) -> bytes:
    """``triples`` in ``syntax``; Turtle with the project's prefixes, RDF/XML with the namespaces it needs."""
    fmt = syntax.format
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


class TripleIndex:
    """The triples of one description, looked up by subject and by object (terms as pyoxigraph terms)."""

    def __init__(self, triples: list[ox.Triple]):
        self.triples = triples
        self.by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        self.by_object: dict[object, list[ox.Triple]] = defaultdict(list)
        for triple in triples:
            self.by_subject[triple.subject].append(triple)
            self.by_object[triple.object].append(triple)

    def __len__(self) -> int:
        return len(self.triples)

    def objects(self, subject, predicate: str) -> list:
        return [t.object for t in self.by_subject.get(subject, ()) if t.predicate.value == predicate]

    def subjects(self, predicate: str, obj) -> list:
        return [t.subject for t in self.by_object.get(obj, ()) if t.predicate.value == predicate]

    def label_values(self, node) -> list[tuple[str, str, str]]:
        """``(property, text, language)`` of every literal of ``node`` (for :func:`.labels.choose`)."""
        return [
            (t.predicate.value, t.object.value, t.object.language or "")
            for t in self.by_subject.get(node, ())
            if isinstance(t.object, ox.Literal)
        ]
