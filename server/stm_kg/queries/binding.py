"""Binding parameter values into a query safely: a VALUES block of RDF terms, never pasted text.

The values are pyoxigraph terms (checked by :mod:`stm_kg.queries.parameters`) and are written with
pyoxigraph's own N-Triples serialisation (``str(term)``), which escapes quotes, backslashes and line breaks in
literals and refuses IRIs with forbidden characters. The block

    VALUES ($body $from) { (<https://w3id.org/stm-kg/id/overleg/regiegroep> UNDEF) }

is inserted right after the opening brace of the query's outermost WHERE group, so the values are joined with
that group before its FILTERs, OPTIONALs and BINDs are evaluated, as pre-bound variables. A value can only
ever be one RDF term in that block: there is no way for it to close the block or the group.

Why not pyoxigraph's ``substitutions`` (SEP-0007)? pyoxigraph 0.5 applies them to the *result* of the query (a
join on the projected solutions): a FILTER in the query does not see the value, and a variable that is not
projected is refused. Pre-binding needs the VALUES block; it is also plain SPARQL 1.1, so the bound query runs
on any engine (a remote store, the federation test server).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class BindingError(ValueError):
    """The query text has no WHERE group to bind values into (a mistake in the query file)."""


def _code_positions(text: str):
    """Yield (index, char) for each character of ``text`` that is query code: not in a comment, string or IRI."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "<":
            found = _IRIREF.match(text, i)
            if found:
                i = found.end()
                continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    break
                j += 1
            i = j + len(quote)
            continue
        yield i, c
        i += 1


def where_brace(text: str) -> int:
    """Index of the ``{`` that opens the outermost WHERE group of a SELECT, ASK, CONSTRUCT or DESCRIBE query.

    The group is the first top-level ``{`` after the keyword WHERE, or, for ``SELECT * { ... }`` and ``ASK { ... }``
    without WHERE, the first top-level ``{`` after the query form keyword (for CONSTRUCT the keyword WHERE is
    required, since its first group is the template).
    """
    depth = 0
    seen_form = None
    seen_where = False
    positions = _code_positions(text)
    for i, c in positions:
        if c == "{":
            if depth == 0 and (seen_where or seen_form in ("SELECT", "ASK", "DESCRIBE")):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and (c.isalpha() or c == "_") and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_?$:")):
            word = _WORD.match(text, i).group(0).upper()
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and seen_form is None:
                seen_form = word
            elif word == "WHERE":
                seen_where = True
            # skip the rest of the word
            for _ in range(len(word) - 1):
                next(positions, None)
    raise BindingError("the query has no WHERE group to bind parameter values into")


def values_block(values: dict[str, ox.NamedNode | ox.Literal | None]) -> str:
    """``VALUES ($a $b) { (term term) }``; a None value is UNDEF (the parameter stays unbound)."""
    if not values:
        return ""
    names = " ".join(f"${name}" for name in values)
    terms = " ".join("UNDEF" if term is None else _term(term) for term in values.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _term(term: ox.NamedNode | ox.Literal) -> str:
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"a parameter value must be an IRI or a literal, not {type(term).__name__}")
    return str(term)  # N-Triples syntax, escaped by pyoxigraph


def bind_values(text: str, values: dict[str, ox.NamedNode | ox.Literal | None]) -> str:
    """``text`` with a VALUES block for ``values`` at the start of its outermost WHERE group."""
    block = values_block(values)
    if not block:
        return text
    at = where_brace(text) + 1
    return f"{text[:at]}\n  {block}\n{text[at:]}"
