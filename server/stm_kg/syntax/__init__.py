"""SPARQL text read as tokens: one lexer (:mod:`.lexer`) and the small readers built on its tokens.

Everything in stm-kg that looks at query or update text reads it here: the remote-access policy and the
federation step (SERVICE, LOAD), the store (FROM, the functions a query calls, updates that make up values),
the protocol (nesting depth), named-query binding and paging, the query page's examples. Below the store in
the layers: it knows nothing of stores or HTTP.

- :mod:`.lexer`: :func:`scan`, :func:`tokenize`, :func:`code`, :class:`Token`, :class:`LexError`.
- :mod:`.reading`: :func:`read` (one remembered pass: keywords, glued keywords, depth, calls, values made up),
  :func:`keywords`, :func:`function_iris`.
- :mod:`.scope`: prefixes and base (:func:`prologue`, :func:`scopes`), :func:`iri_value`, :func:`resolve`.
- :mod:`.structure`: :func:`query_form`, :func:`where_group`, :func:`matching`, :func:`clause`,
  :func:`operations`, :func:`leading_comments`.
"""

from .lexer import REMEMBERED_LENGTH, LexError, Token, code, remembered, scan, tokenize
from .reading import MAKE_UP_VALUES, Reading, function_iris, keywords, read
from .scope import IriError, Scope, iri_value, prologue, resolve, scopes, unescape
from .structure import (FORMS, UPDATE_VERBS, Operation, StructureError, clause, leading_comments, matching,
                        operations, query_form, where_group)

__all__ = [
    "FORMS", "MAKE_UP_VALUES", "REMEMBERED_LENGTH", "UPDATE_VERBS", "IriError", "LexError", "Operation", "Reading",
    "Scope", "StructureError", "Token", "clause", "code", "function_iris", "iri_value", "keywords",
    "leading_comments", "matching", "operations", "prologue", "query_form", "read", "remembered", "resolve",
    "scan", "scopes", "tokenize", "unescape", "where_group",
]
