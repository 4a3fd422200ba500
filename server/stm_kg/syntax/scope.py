"""What an IRI token means: prefixes and base as the text declares them, IRIs resolved as Oxigraph resolves them.

A ``PREFIX`` or ``BASE`` declaration holds from where it stands on: in a query they all come first (the
prologue), in an update each operation may add some, and they stay for the operations after it (SPARQL 1.1
Update's grammar nests ``Prologue`` in ``Update``). A ``PREFIX`` IRI and a ``BASE`` IRI are resolved against
the base declared before them. :func:`scopes` walks a token stream and says, at each token, which prefixes
and which base hold; :func:`iri_value` turns an ``IRIREF``, ``PNAME_LN`` or ``PNAME_NS`` into the IRI it
names: ``\\u``/``\\U`` escapes unescaped, the local part of a prefixed name with its ``PN_LOCAL_ESC``
backslashes removed and its ``PERCENT`` escapes kept (the grammar: "%-encoded sequences are in the character
range for IRIs and are explicitly allowed in local names"), a relative IRI resolved against the base (RFC 3986
resolution by Oxigraph's own IRI library, through pyoxigraph, so that the answer is the IRI Oxigraph uses).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .lexer import Token

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


class IriError(ValueError):
    """A token that names no IRI: an undeclared prefix, a relative IRI without a base, an invalid IRI."""

    def __init__(self, message: str, token: Token):
        super().__init__(f"line {token.line}, column {token.column}: {message}")
        self.token = token


@dataclass(frozen=True)
class Scope:
    """The prefixes (name without colon -> IRI) and the base that hold at one place of a text."""

    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None


def unescape(iriref: str) -> str:
    """The text of an ``IRIREF`` token without its angle brackets, ``\\u``/``\\U`` escapes unescaped."""
    inner = iriref[1:-1]
    if "\\" not in inner:
        return inner
    return _UCHAR.sub(lambda found: chr(int(found.group(1) or found.group(2), 16)), inner)


def resolve(reference: str, base: str | None) -> str:
    """``reference`` resolved against ``base`` as Oxigraph resolves it; :class:`ValueError` for no valid IRI."""
    if _NOT_IN_IRI.search(reference):
        raise ValueError(f"<{reference}> is not a valid IRI")
    if base is None:
        return ox.NamedNode(reference).value  # must be absolute
    try:
        (quad,) = ox.parse(f"<{reference}> <x:p> <x:o> .".encode(), format=ox.RdfFormat.TURTLE, base_iri=base)
    except (SyntaxError, ValueError) as error:
        raise ValueError(f"<{reference}> is not a valid IRI relative to <{base}>: {error}") from None
    return quad.subject.value


def iri_value(token: Token, scope: Scope) -> str:
    """The IRI an ``IRIREF``, ``PNAME_LN`` or ``PNAME_NS`` token names where ``scope`` holds (:class:`IriError`
    when it names none)."""
    try:
        if token.kind == "IRIREF":
            return resolve(unescape(token.text), scope.base)
        prefix, _, local = token.text.partition(":")
        if prefix not in scope.prefixes:
            raise IriError(f"the prefix {prefix}: is not declared", token)
        return ox.NamedNode(scope.prefixes[prefix] + local.replace("\\", "")).value
    except IriError:
        raise
    except ValueError as error:
        raise IriError(str(error), token) from None


def _declaration(code: Sequence[Token], i: int, scope: Scope) -> tuple[int, Scope] | None:
    """(tokens it takes, the scope after it) when a declaration starts at ``code[i]``, else None."""
    word = code[i].keyword
    if word == "PREFIX" and i + 2 < len(code) and code[i + 1].kind == "PNAME_NS" and code[i + 2].kind == "IRIREF":
        return 3, Scope({**scope.prefixes, code[i + 1].text[:-1]: iri_value(code[i + 2], scope)}, scope.base)
    if word == "BASE" and i + 1 < len(code) and code[i + 1].kind == "IRIREF":
        return 2, Scope(scope.prefixes, iri_value(code[i + 1], scope))
    if word == "VERSION" and i + 1 < len(code) and code[i + 1].kind in ("STRING_LITERAL1", "STRING_LITERAL2"):
        return 2, scope
    return None


def scopes(code: Sequence[Token], scope: Scope | None = None) -> Iterator[tuple[Token, Scope]]:
    """Each token of ``code`` (tokens without comments) with the scope that holds at it; a declaration's own
    tokens have the scope from before it. ``scope``: what holds before the text (a base IRI the caller gives).

    A declaration that names no IRI (a relative ``BASE`` with no base before it) raises :class:`IriError`."""
    scope = scope or Scope()
    i = 0
    while i < len(code):
        declared = _declaration(code, i, scope)
        if declared is None:
            yield code[i], scope
            i += 1
            continue
        taken, after = declared
        for token in code[i:i + taken]:
            yield token, scope
        i, scope = i + taken, after


def prologue(code: Sequence[Token], scope: Scope | None = None) -> tuple[int, Scope]:
    """(index in ``code`` (tokens without comments) of the first token after the leading declarations, the
    scope they make). The declarations are ``BASE``, ``PREFIX`` and SPARQL 1.2's ``VERSION``."""
    scope = scope or Scope()
    i = 0
    while i < len(code):
        declared = _declaration(code, i, scope)
        if declared is None:
            break
        taken, scope = declared
        i += taken
    return i, scope
