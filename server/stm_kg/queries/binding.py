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

import pyoxigraph as ox

from ..syntax import LexError, StructureError, code, where_group


class BindingError(ValueError):
    """The query text has no WHERE group to bind values into (a mistake in the query file)."""


def where_brace(text: str) -> int:
    """Index of the ``{`` that opens the outermost WHERE group of a SELECT, ASK, CONSTRUCT or DESCRIBE query.

    The group is the first ``{`` outside brackets after the keyword WHERE, or, for ``SELECT * { ... }`` and
    ``ASK { ... }`` without WHERE, the first after the query form keyword (for CONSTRUCT the keyword WHERE is
    required, since its first group is the template): :func:`stm_kg.syntax.where_group` on the query's tokens.
    """
    try:
        tokens = code(text)
        return tokens[where_group(tokens)[0]].start
    except (LexError, StructureError) as error:
        raise BindingError(f"the query has no WHERE group to bind parameter values into ({error})") from None


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
