"""Mapping between the served address and the URI base, in both directions.

The data keeps its real URIs (``https://w3id.org/stm-kg/id/organisatie/comensha``); a server running at
another address (``http://127.0.0.1:8000/``) answers for them at the same path below its own root
(``http://127.0.0.1:8000/id/organisatie/comensha``). :class:`UriMapper` turns a request path into the URI it
names, and a URI into the local address to link to. When the server runs at the base itself, both are the
identity.

A path that no URI of ours could have (``..`` segments, encoded slashes, characters that cannot appear in an
IRI, overlong names) names nothing: :func:`named_iri` answers ``None`` and the caller answers 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Longest name part (after ``id/``, ``doc/`` or ``def/``) we look up; longer ones name nothing of ours.
MAX_NAME_LENGTH = 300

#: Characters that cannot appear in an IRI written in SPARQL (``<...>``), nor in our names.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')


@dataclass(frozen=True)
class UriMapper:
    """``base``: the URI base of the data; ``root``: the address the server answers at (ends with ``/``)."""

    base: str
    root: str

    def local(self, iri: str) -> str:
        """The address on this server that answers for ``iri`` (``iri`` itself when it is not ours)."""
        if self.base != self.root and iri.startswith(self.base):
            return self.root + iri[len(self.base):]
        return iri

    def iri(self, path: str) -> str:
        """The URI that the path ``path`` (below the root, no leading ``/``) of this server answers for."""
        return self.base + path

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def document_of(self, iri: str) -> str | None:
        """The local address of the page about ``iri``: ``doc/`` for a thing under ``id/``, else the URI's own."""
        if not self.is_ours(iri):
            return None
        rest = iri[len(self.base):]
        if rest.startswith("id/"):
            return self.root + "doc/" + rest[3:]
        return self.local(iri)


def safe_name(name: str, raw_uri: str | None = None) -> bool:
    """True when ``name`` (a decoded path part) could be the name part of one of our URIs.

    ``raw_uri`` is the request line's URI as sent (``REQUEST_URI``): an encoded slash there (``%2F``) makes
    a different URI from the one the decoded path shows, so it names nothing of ours either.
    """
    if not name or len(name) > MAX_NAME_LENGTH or _NOT_IN_IRI.search(name):
        return False
    if any(segment in ("", ".", "..") for segment in name.split("/")):
        return False
    return raw_uri is None or not re.search(r"%2f|%5c|%2e%2e", raw_uri, re.IGNORECASE)
