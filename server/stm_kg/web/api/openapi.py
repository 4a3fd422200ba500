"""The OpenAPI 3.1 document of ``/api/v1``: one GET operation per named query, from the catalogue's descriptions.

The catalogue gives each operation its parameters (types, defaults, enums), summary, description and the JSON
Schema of the plain JSON answer; this module adds what the web layer does: paging (``page``, ``perPage``),
the ``format`` override, the other media types, the ``API-Version``, ``Link`` and ``X-Total-Count`` headers
and the problem responses. The document follows the NL GOV API Design Rules (checked with their Spectral
ruleset by the tests): the major version in the server URL, the full version in ``info.version`` and in an
``API-Version`` header of every answer, a contact in ``info``, RFC 9457 problem details for every error,
lower-camelCase query parameters, and the document itself at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import copy
import re
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlencode

from ...queries import Catalogue, NamedQuery
from ...sparql.problems import PROBLEM_BASE
from .paging import DEFAULT_PER_PAGE, MAX_PER_PAGE
from .results import FORMAT_NAMES, HTML, PLAIN_JSON, SPARQL_JSON

INTEGER_LIMIT = 10**18 - 1
_GIVEN = re.compile(r"given:([a-z][a-z0-9_]*)=(\S+)")

#: Where the API is: its major version is part of the path (NL API Design Rules, /core/uri-version).
API_PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"

_TEXT = {"type": "string"}
#: Answer fields that hold a date, by the rule the API Design Rules lint with (/core/date-time): ``date``,
#: ``datum``, ``...Date``, ``..._date``. The queries bind them to ``xsd:date`` values (checked by the tests).
_DATE_FIELD = re.compile(r"^(date|datum)$|((\w+D)|(_[dD]))((ate)|(atum))")
_EXAMPLE_TYPES = {"boolean": lambda text: text == "true", "integer": int, "number": float}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_VERSION_HEADER = {"API-Version": {"$ref": "#/components/headers/API-Version"}}


def api_version() -> str:
    """The full version of the API (``info.version``, the ``API-Version`` header): stm-kg's release."""
    try:
        return version("stm-kg")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
        return "0.0.0"


def _problem(description: str) -> dict:
    return {"description": description, "content": copy.deepcopy(_PROBLEM_CONTENT)}


def _components() -> dict:
    binding = {
        "type": "object",
        "required": ["type", "value"],
        "properties": {
            "type": {"enum": ["uri", "literal", "bnode", "triple"]},
            "value": {},
            "datatype": {"type": "string"},
            "xml:lang": {"type": "string"},
        },
    }
    return {
        "schemas": {
            "Problem": {
                "type": "object",
                "description": "RFC 9457 problem details",
                "properties": {
                    "type": {"type": "string", "format": "uri", "examples": [PROBLEM_BASE + "invalid-parameter"]},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "parameter": {"type": ["string", "null"]},
                },
                "required": ["type", "title", "status"],
            },
            "SparqlResults": {
                "type": "object",
                "description": "SPARQL 1.1 Query Results JSON Format",
                "properties": {
                    "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
                    "results": {
                        "type": "object",
                        "properties": {
                            "bindings": {"type": "array", "items": {"type": "object", "additionalProperties": binding}}
                        },
                    },
                    "boolean": {"type": "boolean"},
                },
                "required": ["head"],
            },
            "QuerySummary": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "title": {"type": "string"},
                    "title_en": {"type": "string"},
                    "description": {"type": "string"},
                    "description_en": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "federated": {"type": "boolean"},
                    "url": {"type": "string"},
                    "example": {"type": "string"},
                    "parameters": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["name", "title", "url", "parameters"],
            },
        },
        "parameters": {
            "page": {
                "name": "page", "in": "query", "required": False,
                "description": "Bladzijde van het antwoord, vanaf 1 / Page of the answer, from 1",
                "schema": {"type": "integer", "minimum": 1, "maximum": 10**9, "default": 1},
            },
            "perPage": {
                "name": "perPage", "in": "query", "required": False,
                "description": f"Rijen per bladzijde (hoogstens {MAX_PER_PAGE}) / Rows per page (at most {MAX_PER_PAGE})",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
            },
            "format": {
                "name": "format", "in": "query", "required": False,
                "description": "Antwoordformaat, gaat voor Accept / Answer format, overrides Accept "
                               "(json: a plain list; srj, xml, csv, tsv: SPARQL results; html: a table)",
                "schema": {"type": "string", "enum": list(FORMAT_NAMES)},
            },
        },
        "headers": {
            "API-Version": {"description": "The full version of the API (info.version)", "schema": _TEXT},
            "Link": {
                "description": 'RFC 8288 links to the first, previous, next and last page (rel="first", "prev", "next", "last")',
                "schema": _TEXT,
            },
            "X-Total-Count": {"description": "Number of rows of the whole answer, over all pages", "schema": {"type": "integer"}},
        },
    }


def example_values(query: NamedQuery) -> dict[str, str]:
    """A value for each parameter that has one: its default, else the first value an ``expect`` line gives it."""
    values = {p.name: p.default for p in query.parameters if p.default is not None}
    for _, line in query.expectations:
        for name, value in _GIVEN.findall(line):
            if name in query.parameter_names:
                values.setdefault(name, value)
    return values


def example_path(query: NamedQuery, prefix: str = API_PREFIX) -> str:
    values = {name: value for name, value in example_values(query).items()
              if query.parameter(name).required or query.parameter(name).default is None}
    return f"{prefix}/{query.name}" + (f"?{urlencode(values)}" if values else "")


def operation(query: NamedQuery, prefix: str = API_PREFIX) -> dict:
    """The GET operation of ``/api/v1/{name}``."""
    op = query.openapi_operation()
    examples = example_values(query)
    for parameter in op["parameters"]:
        schema = parameter["schema"]
        if "example" not in parameter and parameter["name"] in examples:
            parameter["example"] = examples[parameter["name"]]
        if isinstance(parameter.get("example"), str) and schema.get("type") in _EXAMPLE_TYPES:
            parameter["example"] = _EXAMPLE_TYPES[schema["type"]](parameter["example"])  # of the schema's type
        if parameter["required"] and schema.get("type") == "string":
            schema.setdefault("minLength", 1)  # an empty value counts as absent
        if schema.get("type") == "integer":  # what the store computes with (64-bit)
            schema.setdefault("minimum", -INTEGER_LIMIT)
            schema.setdefault("maximum", INTEGER_LIMIT)
    op["parameters"] += [{"$ref": f"#/components/parameters/{name}"} for name in ("page", "perPage", "format")]
    op["description"] += f"\n\nExample: `{example_path(query, prefix)}`"
    if query.federated:
        op["description"] += (
            "\n\nFederated: calls " + ", ".join(query.endpoints or ("another endpoint",))
            + "; answered only when the server's SERVICE allowlist permits it (403 otherwise)."
        )
    op["x-sparql"] = query.text
    ok = op["responses"]["200"]
    ok["description"] = "the answer (one page of it; see the Link and X-Total-Count headers)"
    json_content = ok["content"][PLAIN_JSON]
    fields = json_content["schema"].get("items", {}).get("properties", {})
    for name in fields:
        if _DATE_FIELD.search(name):
            fields[name] = {"type": "string", "format": "date"}
    ok["content"] = {
        PLAIN_JSON: json_content,
        SPARQL_JSON: {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
        "application/sparql-results+xml": {"schema": _TEXT},
        "text/csv": {"schema": _TEXT},
        "text/tab-separated-values": {"schema": _TEXT},
        HTML: {"schema": _TEXT},
    }
    ok["headers"] = {
        **_VERSION_HEADER,
        "Link": {"$ref": "#/components/headers/Link"},
        "X-Total-Count": {"$ref": "#/components/headers/X-Total-Count"},
    }
    op["responses"]["400"] = _problem("a parameter is missing, unknown or not of its type (problem details)")
    op["responses"]["406"] = _problem("none of the accepted media types is offered")
    op["responses"]["422"] = _problem("the answer is too large")
    op["responses"]["503"] = _problem("the query went over the time limit")
    if query.federated:
        op["responses"]["403"] = _problem("the SERVICE allowlist does not permit the remote endpoint")
        op["responses"]["502"] = _problem("the remote endpoint failed")
    return op


def document(catalogue: Catalogue, server_url: str, contact: dict[str, str]) -> dict:
    """The whole OpenAPI 3.1 document; ``server_url`` is the root of this server (no trailing slash), ``contact``
    the ``info.contact`` object (name, url and, once configured, email)."""
    tags = sorted({tag for query in catalogue.values() for tag in query.tags} - {"catalogus"})
    paths: dict = {
        "/": {
            "get": {
                "operationId": "list_queries",
                "summary": "Alle vragen / All named queries",
                "description": "The named queries with their titles, descriptions and parameters (HTML for browsers).",
                "tags": ["catalogus"],
                "responses": {
                    "200": {
                        "description": "the named queries",
                        "headers": dict(_VERSION_HEADER),
                        "content": {
                            PLAIN_JSON: {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/QuerySummary"}}},
                            HTML: {"schema": _TEXT},
                        },
                    },
                    "406": _problem("none of the accepted media types is offered"),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi_document",
                "summary": "Dit document / This document",
                "description": "The OpenAPI 3.1 document of this API (open to every origin, no authentication).",
                "tags": ["catalogus"],
                "responses": {
                    "200": {
                        "description": "the OpenAPI document",
                        "headers": dict(_VERSION_HEADER),
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                },
            }
        },
    }
    for query in catalogue.values():
        paths[f"/{query.name}"] = {"get": operation(query)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "stm-kg: vragen aan de kennisgraaf Samen tegen mensenhandel",
            "version": api_version(),
            "summary": "Named SPARQL queries of the stm-kg knowledge graph as a web API",
            "description": (
                "Elke vraag is een benoemde SPARQL-query (`queries/*.rq`); parameters worden veilig gebonden. "
                "Each named query of the knowledge graph of the Dutch programme *Samen tegen mensenhandel* is one "
                "GET operation. Parameters are bound as RDF terms (never pasted into the query text). Answers: a "
                "plain JSON list of objects (`application/json`), CSV, TSV, the SPARQL results formats, or an HTML "
                f"table, by `Accept` or `format`. Answers are paged with `page` and `perPage` (default "
                f"{DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE}) and RFC 8288 `Link` headers; `X-Total-Count` gives "
                "the number of rows; `API-Version` the full version of the API. Errors are RFC 9457 problem "
                "details. The SPARQL endpoint itself is at `/sparql`."
            ),
            "contact": contact,
            "license": {"name": "CC0-1.0 (data); EUPL-1.2 (code)", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
        },
        "servers": [{"url": server_url + API_PREFIX}],
        "tags": [{"name": "catalogus", "description": "the list of named queries"}] + [{"name": tag} for tag in tags],
        "paths": paths,
        "components": _components(),
    }
