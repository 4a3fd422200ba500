"""The SPARQL 1.1 Protocol at /sparql over real HTTP, in the spirit of the W3C protocol tests
(rdf-tests/sparql/sparql11/protocol/manifest.ttl), including every error case."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from endpoint_server import DATA_GRAPH, ONTOLOGY_GRAPH

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
PEOPLE = "SELECT ?name WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> ?name }"
ORGS = "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> } ORDER BY ?o"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
JSON = "application/sparql-results+json"


def names(response: requests.Response) -> list[str]:
    return [row["name"]["value"] for row in response.json()["results"]["bindings"]]


# -- The three ways to send a query ----


def test_query_by_get(server):
    response = requests.get(server.sparql, params={"query": PEOPLE}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(JSON)
    assert names(response) == ["Mirjam Bikker"]


def test_query_by_post_form(server):
    response = requests.post(server.sparql, data={"query": PEOPLE}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert names(response) == ["Mirjam Bikker"]


def test_query_by_post_direct(server):
    response = requests.post(server.sparql, data=PEOPLE.encode(), headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert response.status_code == 200
    assert names(response) == ["Mirjam Bikker"]


def test_default_graph_is_the_union_of_the_named_graphs(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = requests.get(server.sparql, params={"query": query}, headers={"Accept": JSON}).json()
    per_graph = requests.get(server.sparql, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                             headers={"Accept": JSON}).json()
    total = int(union["results"]["bindings"][0]["n"]["value"])
    assert total == int(per_graph["results"]["bindings"][0]["n"]["value"]) > 0
    # the ontology graph's subclass axiom is visible without GRAPH
    ask = requests.get(server.sparql, params={"query": "ASK { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?d }"},
                       headers={"Accept": JSON})
    assert ask.json()["boolean"] is True


# -- Dataset selection: the protocol's graph parameters choose graphs of the store ----


def test_default_graph_uri_selects_a_graph(server):
    query = "ASK { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?d }"
    in_data = requests.get(server.sparql, params={"query": query, "default-graph-uri": DATA_GRAPH}, headers={"Accept": JSON})
    in_ontology = requests.post(server.sparql, data={"query": query, "default-graph-uri": ONTOLOGY_GRAPH}, headers={"Accept": JSON})
    assert in_data.json()["boolean"] is False
    assert in_ontology.json()["boolean"] is True


def test_named_graph_uri_selects_named_graphs(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = requests.post(server.sparql + f"?named-graph-uri={ONTOLOGY_GRAPH}", data=query,
                             headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
    assert graphs == [ONTOLOGY_GRAPH]


def test_from_selects_a_graph_of_the_store(server):
    query = f"SELECT ?name FROM <{DATA_GRAPH}> WHERE {{ ?p <http://xmlns.com/foaf/0.1/name> ?name }}"
    assert names(requests.get(server.sparql, params={"query": query}, headers={"Accept": JSON})) == ["Mirjam Bikker"]


# -- Content negotiation ----


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
    ("application/sparql-results+xml;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_select_result_formats_by_accept(server, accept, media_type):
    response = requests.get(server.sparql, params={"query": ORGS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    if media_type == "text/csv":  # Oxigraph does not read CSV results back (the format is lossy)
        assert len(response.text.strip().splitlines()) == 3
        return
    kind = {"application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media_type]
    rows = list(ox.parse_query_results(response.content, format=kind))
    assert len(rows) == 2


def test_csv_rows(server):
    response = requests.get(server.sparql, params={"query": ORGS}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["o"] and len(rows) == 3


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/rdf+xml;q=0.3, application/n-triples;q=0.8", ox.RdfFormat.N_TRIPLES),
])
def test_construct_result_formats_by_accept(server, accept, fmt):
    response = requests.get(server.sparql, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == fmt.media_type
    assert len(list(ox.parse(response.content, format=fmt))) == 17


def test_describe_gives_rdf(server):
    response = requests.get(server.sparql, params={"query": "DESCRIBE <https://w3id.org/stm-kg/id/persoon/bikker>"},
                            headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))) == 4


def test_ask_gives_a_boolean(server):
    response = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+xml"})
    assert response.status_code == 200
    assert "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize("fmt, media_type", [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                             ("xml", "application/sparql-results+xml"), ("json", JSON),
                                             ("text/csv", "text/csv")])
def test_format_parameter_overrides_accept(server, fmt, media_type):
    response = requests.get(server.sparql, params={"query": ORGS, "format": fmt}, headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"].split(";")[0] == media_type


def test_format_parameter_for_graphs(server):
    response = requests.post(server.sparql, data={"query": CONSTRUCT, "format": "json"}, headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"].split(";")[0] == "application/ld+json"


def test_406_when_no_accepted_format_is_offered(server):
    response = requests.get(server.sparql, params={"query": ORGS}, headers={"Accept": "image/png", })
    assert response.status_code == 406


def test_406_when_only_graph_formats_are_accepted_for_a_select(server):
    response = requests.get(server.sparql, params={"query": ORGS}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "text/csv" in response.text  # the body names what is offered


def test_406_for_a_graph_format_refused_by_q0(server):
    response = requests.get(server.sparql, params={"query": ORGS}, headers={"Accept": "application/sparql-results+json;q=0, text/plain"})
    assert response.status_code == 406


# -- Errors (each also in problem+json) ----


def problem(response: requests.Response) -> dict:
    assert response.headers["Content-Type"].startswith("application/problem+json")
    return response.json()


PROBLEM = {"Accept": "application/problem+json"}


def test_malformed_query_gives_400_with_line_and_column(server):
    response = requests.get(server.sparql, params={"query": "SELECT * WHERE {\n  ?s ?p \n}"}, headers=PROBLEM)
    assert response.status_code == 400
    body = problem(response)
    assert body["status"] == 400 and body["line"] == 3 and body["column"] in (1, 2)  # the parser's position
    assert "line 3" in body["detail"]


def test_malformed_query_in_plain_text_for_other_clients(server):
    response = requests.get(server.sparql, params={"query": "SELEKT * {}"}, headers={"Accept": JSON})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Malformed query" in response.text and "line 1" in response.text


def test_other_methods_give_405(server):
    response = requests.put(server.sparql + "?query=ASK%20%7B%7D", data="ASK {}", headers={"Content-Type": "application/sparql-query", **PROBLEM})
    assert response.status_code == 405
    assert problem(response)["status"] == 405


def test_multiple_queries_give_400(server):
    response = requests.get(server.sparql + "?query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D", headers=PROBLEM)
    assert response.status_code == 400


def test_query_and_update_together_give_400(server):
    response = requests.post(server.sparql, data={"query": "ASK {}", "update": "CLEAR ALL"}, headers=PROBLEM)
    assert response.status_code == 400


def test_wrong_media_type_gives_415(server):
    response = requests.post(server.sparql, data="ASK {}", headers={"Content-Type": "text/plain", **PROBLEM})
    assert response.status_code == 415
    assert problem(response)["status"] == 415


def test_missing_content_type_gives_415(server):
    response = requests.post(server.sparql, data=b"query=ASK%20%7B%7D", headers=PROBLEM)
    assert "Content-Type" not in response.request.headers
    assert response.status_code == 415


def test_non_utf8_query_gives_400(server):
    body = "ASK { ?s ?p \"caf\u00e9\" }".encode("iso-8859-1")
    response = requests.post(server.sparql, data=body, headers={"Content-Type": "application/sparql-query", **PROBLEM})
    assert response.status_code == 400
    direct = requests.post(server.sparql, data=b"query=ASK%20%7B%20%22caf%E9%22%20%7D", headers={"Content-Type": "application/x-www-form-urlencoded", **PROBLEM})
    assert direct.status_code == 400


def test_body_over_the_limit_gives_413(server):
    big = "ASK {} #" + "x" * 30000
    response = requests.post(server.sparql, data=big, headers={"Content-Type": "application/sparql-query", **PROBLEM})
    assert response.status_code == 413
    assert problem(response)["status"] == 413
    form = requests.post(server.sparql, data={"query": big}, headers=PROBLEM)
    assert form.status_code == 413


def test_update_by_get_is_refused(server):
    response = requests.get(server.sparql, params={"update": "CLEAR ALL"})
    assert response.status_code == 405


def test_update_on_a_read_only_server_is_refused(server):
    response = requests.post(server.sparql, data="CLEAR ALL", headers={"Content-Type": "application/sparql-update", **PROBLEM})
    assert response.status_code == 403
    assert problem(response)["type"].endswith("read-only")
    assert names(requests.get(server.sparql, params={"query": PEOPLE}, headers={"Accept": JSON})) == ["Mirjam Bikker"]


def test_problem_for_a_browser_is_html(server):
    response = requests.get(server.sparql, params={"query": "SELECT"}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")


# -- Service description ----


def test_service_description(server):
    response = requests.get(server.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(server.sparql)
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in set(graph.objects(service, SD.resultFormat))
    dataset = graph.value(service, SD.defaultDataset)
    for kind in (URIRef("http://www.w3.org/ns/dcat#Dataset"), VOID.Dataset, SD.Dataset):
        assert (dataset, RDF.type, kind) in graph
    sizes = {str(graph.value(named, SD.name)): graph.value(graph.value(named, SD.graph), VOID.triples)
             for named in graph.objects(dataset, SD.namedGraph)}
    assert sizes == {DATA_GRAPH: Literal(13), ONTOLOGY_GRAPH: Literal(4)}
    assert graph.value(graph.value(dataset, SD.defaultGraph), VOID.triples) == Literal(17)


@pytest.mark.parametrize("accept", ["application/ld+json", "application/rdf+xml", "application/n-triples"])
def test_service_description_in_other_formats(server, accept):
    response = requests.get(server.sparql, headers={"Accept": accept})
    assert response.headers["Content-Type"].startswith(accept)
    fmt = ox.RdfFormat.from_media_type(accept)
    assert any(t.object == ox.NamedNode(str(SD.Service)) for t in ox.parse(response.content, format=fmt))


def test_browser_gets_the_query_page_at_sparql(server):
    response = requests.get(server.sparql, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.headers["Content-Type"].startswith("text/html")
    assert "yasgui" in response.text


# -- CORS, health, access log ----


def test_cors_is_open_for_reads(server):
    response = requests.get(server.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(server.sparql, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Authorization" not in preflight.headers["Access-Control-Allow-Headers"]


def test_health(server):
    response = requests.get(server.url + "/health")
    assert response.status_code == 200 and response.json() == {"status": "ok", "triples": 17}


def test_one_access_log_line_per_query_with_its_duration(server):
    marker = "SELECT ?logmarker WHERE { }"
    requests.get(server.sparql, params={"query": marker})
    lines = [line for line in server.log().splitlines() if "stm_kg.access" in line and '"GET /sparql"' in line]
    assert lines and all(line.split()[-2].endswith("ms") for line in lines)


def test_unknown_path_is_a_404_problem(server):
    response = requests.get(server.url + "/nothing-here", headers=PROBLEM)
    assert response.status_code == 404 and problem(response)["status"] == 404
