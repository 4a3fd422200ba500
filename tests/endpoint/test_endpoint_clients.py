"""Real clients against a real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

PEOPLE = "SELECT ?name WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> ?name }"


def wrapper(server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


def test_sparqlwrapper_select_json_by_get_and_post(server):
    for method in ("GET", "POST"):
        results = wrapper(server, PEOPLE, JSON, method).queryAndConvert()
        assert [row["name"]["value"] for row in results["results"]["bindings"]] == ["Mirjam Bikker"]


def test_sparqlwrapper_select_xml_and_csv(server):
    document = wrapper(server, PEOPLE, XML).queryAndConvert()
    assert "Mirjam Bikker" in document.toxml()
    assert b"Mirjam Bikker" in wrapper(server, PEOPLE, CSV).queryAndConvert()


def test_sparqlwrapper_ask_and_construct(server):
    assert wrapper(server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()["boolean"] is True
    graph = wrapper(server, "CONSTRUCT WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?o }", TURTLE).queryAndConvert()
    parsed = Graph().parse(data=graph, format="turtle")
    assert (URIRef("https://w3id.org/stm-kg/id/persoon/bikker"), URIRef("http://xmlns.com/foaf/0.1/name"), Literal("Mirjam Bikker")) in parsed


def test_rdflib_sparqlstore(server):
    graph = Graph(store=SPARQLStore(server.sparql, returnFormat="json"))
    rows = list(graph.query(PEOPLE))
    assert [str(row.name) for row in rows] == ["Mirjam Bikker"]
    assert len(graph) == 17
    assert (URIRef("https://w3id.org/stm-kg/id/persoon/bikker"), None, None) in graph
