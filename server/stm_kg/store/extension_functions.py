"""Calls to functions the engine does not have are an evaluation error, as SPARQL says, not a failed request.

SPARQL 1.1 (17.2, 17.6): a call to an extension function the implementation does not know is an error in
the expression: ``FILTER(<http://x/f>(1))`` is false, ``BIND(<http://x/f>(1) AS ?x)`` leaves ``?x`` unbound.
Oxigraph 0.5 instead refuses the whole query ("The custom function … is not supported"). So each IRI a text
calls as a function (:func:`stm_kg.syntax.function_iris`) that Oxigraph does not implement is given to it as a
custom function without a value (returning ``None`` is an error in Oxigraph's evaluation).

Which IRIs Oxigraph implements (the XSD casts, the GeoSPARQL functions pyoxigraph registers, and whatever a
later version adds) is asked of Oxigraph itself, once per IRI: a call of the IRI with no arguments in an empty
store is refused with "is not supported" exactly when the engine has no such function (a cast answers that it
wants one argument; a GeoSPARQL function runs). A custom function would take the place of the engine's own,
so those are never given.
"""

from __future__ import annotations

import functools

import pyoxigraph as ox

from ..syntax import LexError, function_iris

_EMPTY = ox.Store()


def _no_value(*_terms):
    return None


@functools.lru_cache(maxsize=4096)
def implemented(iri: str) -> bool:
    """True when Oxigraph evaluates calls to the function ``iri`` itself."""
    try:
        _EMPTY.query(f"SELECT * {{ BIND({ox.NamedNode(iri)}() AS ?x) }}")
    except RuntimeError as error:
        return "is not supported" not in str(error)
    except (SyntaxError, ValueError):
        return True  # not ours to decide: the text is refused by Oxigraph anyway
    return True


def unknown_functions(text: str, base_iri: str | None = None) -> dict:
    """Keyword arguments for ``Store.query``/``Store.update``: ``custom_functions`` without a value for every
    function ``text`` calls that Oxigraph does not implement (none: no arguments)."""
    try:
        called = function_iris(text, base_iri)
    except LexError:
        return {}  # Oxigraph refuses the text with its own syntax error
    unknown = {ox.NamedNode(iri): _no_value for iri in called if not implemented(iri)}
    return {"custom_functions": unknown} if unknown else {}
