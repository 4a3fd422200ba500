"""What ``/api/{name}`` answers in: a plain JSON list of objects, HTML, or any SPARQL results format.

The SPARQL results formats are those of the endpoint (:data:`stm_kg.sparql.formats.SOLUTION_FORMATS`) and are
negotiated the same way (``Accept`` with q-values, or the ``format`` parameter); the API adds its own plain
JSON (``application/json``, ``format=json``: a list of objects, what JavaScript and pandas read directly) and
an HTML table for browsers. ``application/json`` therefore means the plain list here, and the SPARQL JSON
results are asked for by their own media type or ``format=srj``.
"""

from __future__ import annotations

import json
import math

import pyoxigraph as ox

from ...queries.runner import plain_value
from ...sparql.formats import SOLUTION_FORMATS, ResultFormat

PLAIN_JSON = "application/json"
HTML = "text/html"
SPARQL_JSON = "application/sparql-results+json"

#: The formats of ``/api/{name}``, the plain list first (the answer to ``Accept: */*`` or none).
API_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(PLAIN_JSON, (), ("json", "records")),
    *(
        ResultFormat(
            f.media_type,
            tuple(a for a in f.aliases if a != PLAIN_JSON),
            tuple(n for n in f.names if n != "json") + (("sparql-json",) if f.media_type == SPARQL_JSON else ()),
        )
        for f in SOLUTION_FORMATS
    ),
    ResultFormat(HTML, ("application/xhtml+xml",), ("html",)),
)

#: ``format`` names, for the OpenAPI description of the parameter.
FORMAT_NAMES: tuple[str, ...] = tuple(f.names[0] for f in API_FORMATS)


def _term(binding: dict):
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return ox.Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    return None  # a quoted triple (RDF 1.2): not expected in our answers


def _plain(binding: dict):
    if binding.get("type") == "bnode":
        return f"_:{binding.get('value', '')}"  # not an IRI: the label means something within this answer only
    term = _term(binding)
    value = plain_value(term) if term is not None else binding.get("value")
    if isinstance(value, float) and not math.isfinite(value):
        return binding.get("value")  # JSON has no NaN or INF: keep the lexical form
    return value


def records(sparql_json: bytes) -> tuple[list[str], list[dict]]:
    """(variables, rows as plain objects) from SPARQL 1.1 JSON results, shaped like ``QueryResult.records()``.

    Values as :func:`stm_kg.queries.plain_value` gives them (IRIs and text as strings, numbers and booleans as
    such), except that a blank node is written ``_:label`` so that a client can tell it from an IRI or a text.
    """
    document = json.loads(sparql_json)
    variables = document.get("head", {}).get("vars", [])
    rows = [
        {name: _plain(binding[name]) for name in variables if name in binding}
        for binding in document.get("results", {}).get("bindings", [])
    ]
    return variables, rows


def count(sparql_json: bytes, variable: str) -> int:
    """The single integer of a COUNT query's SPARQL JSON answer."""
    bindings = json.loads(sparql_json)["results"]["bindings"]
    return int(bindings[0][variable]["value"]) if bindings else 0
