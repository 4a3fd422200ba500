"""Which representation of a document to answer with: HTML for people, or one RDF syntax for machines.

A file extension (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``) decides; otherwise ``Accept`` with q-values, where
HTML wins ties (so ``*/*`` and browsers get the page) and an absent ``Accept`` header means the page too.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept

from .rdf import ALIASES, BY_EXTENSION, BY_MEDIA_TYPE, SYNTAXES, Syntax

HTML = "text/html"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_OFFERED = [*_HTML_TYPES, *(s.media_type for s in SYNTAXES), *ALIASES]


def split_extension(name: str) -> tuple[str, Syntax | None]:
    """``("organisatie/comensha", Turtle)`` for ``organisatie/comensha.ttl``; the name as is otherwise."""
    stem, dot, extension = name.rpartition(".")
    if dot and "/" not in extension and extension in BY_EXTENSION and stem and not stem.endswith("/"):
        return stem, BY_EXTENSION[extension]
    return name, None


def choose(accept: MIMEAccept) -> Syntax | str | None:
    """:data:`HTML`, a :class:`Syntax`, or ``None`` when the client accepts nothing we offer (406)."""
    if not accept:
        return HTML
    match = accept.best_match(_OFFERED)
    if match is None:
        return None
    if match in _HTML_TYPES:
        return HTML
    return BY_MEDIA_TYPE[ALIASES.get(match, match)]


def offered() -> list[str]:
    return [HTML, *(s.media_type for s in SYNTAXES)]
