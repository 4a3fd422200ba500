"""Injection through the API is harmless: a value with quotes, braces or SPARQL keywords stays one value."""

from __future__ import annotations

import csv
import io

import pytest
import requests

PAYLOADS = [
    '" } ; DROP ALL ; SELECT * { ?s ?p ?o } #',
    "') } UNION { ?s ?p ?o } #",
    '"""',
    "'''",
    '\\" . } INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> } #',
    "x\" } } ; DELETE WHERE { ?s ?p ?o } ; SELECT * WHERE { {",
    "\n}\nLIMIT 1",
    "${text} $value ?s <http://example.org/>",
    "VALUES ?x { 1 } FILTER(true) OPTIONAL { ?a ?b ?c }",
    "\\u0022 } #",
    "mensen\u00adhandel \u2028 \U0001F600",
    "]]><script>alert(1)</script>",
]

SIZE = "SELECT ?g (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def store_state(server) -> str:
    response = requests.get(server.url + "/sparql", params={"query": SIZE}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_value_comes_back_as_the_same_value(echo, payload):
    response = requests.get(f"{echo.url}/api/v1/echo", params={"value": payload})
    assert response.status_code == 200, response.text
    assert response.json() == [{"echo": payload}]
    response = requests.get(f"{echo.url}/api/v1/echo", params={"value": payload, "format": "csv"})
    assert response.status_code == 200
    assert list(csv.reader(io.StringIO(response.text, newline=""))) == [["echo", "day"], [payload, ""]]


def test_injections_change_nothing_even_on_a_server_that_takes_writes(echo):
    before = store_state(echo)
    for payload in PAYLOADS:
        for params in ({"value": payload}, {"value": "x", "when": payload}, {"value": "x", "page": payload},
                       {"value": "x", "perPage": payload}, {"value": "x", "format": payload}):
            response = requests.get(f"{echo.url}/api/v1/echo", params=params)
            assert response.status_code in (200, 400), (params, response.status_code, response.text)
            if "value" in params and len(params) == 1:
                assert response.status_code == 200
            if response.status_code == 400:
                assert response.headers["Content-Type"] == "application/problem+json"
    assert store_state(echo) == before
    ask = requests.get(echo.url + "/sparql", params={"query": "ASK { GRAPH ?g { <urn:x:s> ?p ?o } }"}, headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is False


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_into_the_knowledge_graph_queries_finds_nothing_and_changes_nothing(api, payload):
    before = store_state(api)
    response = requests.get(f"{api.url}/api/v1/zoek-labels", params={"text": payload})
    assert response.status_code == 200, response.text
    assert all(payload.lower() in row["match"].lower() for row in response.json())  # only real matches, if any
    for name, parameter in (("feiten-uit-bron", "text"), ("kamerstukken", "dossier")):
        response = requests.get(f"{api.url}/api/v1/{name}", params={parameter: payload})
        assert response.status_code == 200 and response.json() == []
    for name, parameter in (("leden-overleg", "body"), ("tijdlijn", "from"), ("geld-per-jaar", "to"), ("zoek-labels", "lang")):
        extra = {"text": "x"} if name == "zoek-labels" else {}
        response = requests.get(f"{api.url}/api/v1/{name}", params={parameter: payload, **extra})
        assert response.status_code == 400 and response.json()["parameter"] == parameter
    assert store_state(api) == before


def test_a_quote_in_a_search_still_matches_as_text(api):
    response = requests.get(f"{api.url}/api/v1/zoek-labels", params={"text": "Samen tegen"})
    assert response.status_code == 200 and response.json()
