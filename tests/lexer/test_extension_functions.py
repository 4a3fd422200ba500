"""Issue 12, finding 7: a call to a function the engine does not know is an evaluation error (SPARQL 1.1, 17.2),
never a failed request: FILTER false, BIND unbound, in queries and in updates; the functions Oxigraph has keep
working."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

from endpoint_server import TOKEN, RunningServer
from stm_kg.store.changes import SparqlUpdate
from stm_kg.store.evaluation import evaluate
from stm_kg.store.extension_functions import implemented, unknown_functions
from stm_kg.store.interface import DatasetSelection, FormatChoice

JSON = "application/sparql-results+json"
XSD = "http://www.w3.org/2001/XMLSchema#"
GEOF = "http://www.opengis.net/def/function/geosparql/"


def run(store: ox.Store, query: str) -> dict:
    import json

    result = evaluate(store, query, FormatChoice(JSON, None), DatasetSelection(), union_default_graph=False)
    return json.loads(result.body)


def test_an_unknown_function_in_a_filter_is_false_and_in_a_bind_leaves_its_variable_unbound():
    store = ox.Store()
    assert run(store, "ASK { FILTER(<http://x/f>(1)) }")["boolean"] is False
    assert run(store, "ASK { FILTER(!BOUND(?x)) BIND(<http://x/f>(1) AS ?x) }")["boolean"] is True
    rows = run(store, "PREFIX x: <http://x/> SELECT * { BIND(x:f(1) AS ?x) BIND(2 AS ?y) }")["results"]["bindings"]
    assert rows == [{"y": {"type": "literal", "value": "2", "datatype": XSD + "integer"}}]


def test_an_unknown_function_in_an_update_binds_nothing():
    store = ox.Store()
    SparqlUpdate("INSERT { <http://a> <http://b> ?x } WHERE { BIND(<http://x/f>(1) AS ?x) }").apply_to(store)
    SparqlUpdate("INSERT { <http://a> <http://b> 1 } WHERE { FILTER(<http://x/f>()) }").apply_to(store)
    assert len(store) == 0
    SparqlUpdate("INSERT { <http://a> <http://b> 1 } WHERE { FILTER(!<http://x/f>()) }").apply_to(store)
    assert len(store) == 0  # an error stays an error under negation


def test_the_functions_oxigraph_has_keep_working():
    store = ox.Store()
    rows = run(store, f"""PREFIX xsd: <{XSD}> PREFIX geof: <{GEOF}>
        SELECT ?i ?d ?s ?wkt {{ BIND(xsd:integer("42") AS ?i) BIND(xsd:date("2024-01-02") AS ?d) BIND(xsd:string(1) AS ?s)
          BIND(geof:asGeoJSON("POINT(1 2)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>) AS ?wkt) }}""")
    (row,) = rows["results"]["bindings"]
    assert row["i"]["value"] == "42" and row["d"]["value"] == "2024-01-02" and row["s"]["value"] == "1"
    assert "Point" in row["wkt"]["value"]
    for iri in (XSD + "integer", XSD + "dateTime", XSD + "gYear", XSD + "dayTimeDuration", GEOF + "distance"):
        assert implemented(iri), iri
    for iri in ("http://x/f", XSD + "anyURI", GEOF + "nope"):
        assert not implemented(iri), iri
    assert unknown_functions(f"PREFIX xsd: <{XSD}> SELECT (xsd:integer(1) AS ?x) {{}}") == {}


@pytest.fixture(scope="module")
def write_server(tmp_path_factory):
    server = RunningServer(["--no-bundled", "--write-token", TOKEN, "--no-validate-writes"],
                           tmp_path_factory.mktemp("functions") / "server.log").start()
    yield server
    server.stop()


@pytest.mark.parametrize("query, expected", [
    ("ASK { FILTER(<http://x/f>(1)) }", {"head": {}, "boolean": False}),
    ("SELECT * { BIND(<http://x/f>(1) AS ?x) }", {"head": {"vars": ["x"]}, "results": {"bindings": [{}]}}),
])
def test_over_http_an_unknown_function_is_an_answer_not_a_500(write_server, query, expected):
    for response in (requests.get(write_server.sparql, params={"query": query}, headers={"Accept": JSON}),
                     requests.post(write_server.sparql, data={"query": query}, headers={"Accept": JSON})):
        assert response.status_code == 200, response.text
        assert response.json() == expected


def test_over_http_an_update_calling_an_unknown_function_is_applied(write_server):
    update = "INSERT { <http://a> <http://b> ?x } WHERE { BIND(<http://x/f>(1) AS ?x) BIND(2 AS ?y) }"
    response = requests.post(write_server.sparql, data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
