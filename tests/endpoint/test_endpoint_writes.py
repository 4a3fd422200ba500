"""Writes: only with the token, each validated against the project's SHACL shapes, all or nothing."""

from __future__ import annotations

import pyoxigraph as ox
import requests
from rdflib import Graph
from rdflib.namespace import RDF, SH

from endpoint_server import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle"}
VALID = '<http://example.org/thing> <http://example.org/says> "hallo"@nl .\n'
INVALID = "<http://example.org/nobody> a <http://xmlns.com/foaf/0.1/Person> .\n"  # no name, no Dutch label


def graph_triples(server, graph: str) -> set:
    response = requests.get(server.store, params={"graph": graph}, headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return set()
    assert response.status_code == 200
    return {str(quad.triple) for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}


def test_valid_put_lands(write_server):
    graph = "http://example.org/graph/valid-put"
    response = requests.put(write_server.store, params={"graph": graph}, data=VALID, headers={**TURTLE, **AUTH})
    assert response.status_code == 201
    assert graph_triples(write_server, graph) == {'<http://example.org/thing> <http://example.org/says> "hallo"@nl'}
    again = requests.put(write_server.store, params={"graph": graph}, data=VALID.replace("hallo", "dag"), headers={**TURTLE, **AUTH})
    assert again.status_code == 204
    assert graph_triples(write_server, graph) == {'<http://example.org/thing> <http://example.org/says> "dag"@nl'}


def test_invalid_put_is_refused_with_the_report_and_changes_nothing(write_server):
    graph = "http://example.org/graph/invalid-put"
    assert requests.put(write_server.store, params={"graph": graph}, data=VALID, headers={**TURTLE, **AUTH}).status_code == 201
    before = graph_triples(write_server, graph)
    response = requests.put(write_server.store, params={"graph": graph}, data=INVALID,
                            headers={**TURTLE, **AUTH, "Accept": "application/problem+json"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["violations"] and all(v["focusNode"] == "http://example.org/nobody" for v in problem["violations"])
    report = Graph().parse(data=problem["report_turtle"], format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in report
    assert graph_triples(write_server, graph) == before


def test_refusal_report_in_turtle_when_asked(write_server):
    response = requests.post(write_server.store, params={"graph": "http://example.org/graph/report"}, data=INVALID,
                             headers={**TURTLE, **AUTH, "Accept": "text/turtle"})
    assert response.status_code == 422 and response.headers["Content-Type"].startswith("text/turtle")
    report = Graph().parse(data=response.text, format="turtle")
    assert (None, SH.conforms, None) in report
    assert graph_triples(write_server, "http://example.org/graph/report") == set()


def test_update_lands_and_invalid_update_is_refused(write_server):
    headers = {"Content-Type": "application/sparql-update", **AUTH}
    ok = requests.post(write_server.sparql, data="INSERT DATA { GRAPH <http://example.org/graph/upd> { <http://example.org/a> <http://example.org/b> 1 } }", headers=headers)
    assert ok.status_code == 204
    bad = requests.post(write_server.sparql, data={"update": f"INSERT DATA {{ GRAPH <http://example.org/graph/upd> {{ {INVALID} }} }}"}, headers=AUTH)
    assert bad.status_code == 422
    assert graph_triples(write_server, "http://example.org/graph/upd") == {'<http://example.org/a> <http://example.org/b> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'}


def test_malformed_update_gives_400(write_server):
    response = requests.post(write_server.sparql, data="INSERT DATA { <a> ", headers={"Content-Type": "application/sparql-update", **AUTH})
    assert response.status_code == 400


def test_writes_without_the_right_token_are_refused(write_server):
    graph = "http://example.org/graph/no-token"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        assert requests.put(write_server.store, params={"graph": graph}, data=VALID, headers={**TURTLE, **headers}).status_code == 401
        update = requests.post(write_server.sparql, data="CLEAR ALL", headers={"Content-Type": "application/sparql-update", **headers})
        assert update.status_code == 401 and update.headers["WWW-Authenticate"].startswith("Bearer")
    assert graph_triples(write_server, graph) == set()
    assert graph_triples(write_server, "https://w3id.org/stm-kg/graph/data")


def test_writes_on_a_read_only_server_are_refused(server):
    response = requests.put(server.store, params={"graph": "http://example.org/g"}, data=VALID, headers={**TURTLE, **AUTH})
    assert response.status_code == 403


def test_post_adds_and_delete_removes(write_server):
    graph = "http://example.org/graph/post-delete"
    for n in (1, 2):
        body = f'<http://example.org/s> <http://example.org/n> {n} .'
        assert requests.post(write_server.store, params={"graph": graph}, data=body, headers={**TURTLE, **AUTH}).status_code in (201, 204)
    assert len(graph_triples(write_server, graph)) == 2
    assert requests.delete(write_server.store, params={"graph": graph}, headers=AUTH).status_code == 204
    assert requests.get(write_server.store, params={"graph": graph}).status_code == 404
    assert requests.delete(write_server.store, params={"graph": graph}, headers=AUTH).status_code == 404


def test_graph_store_reads(server):
    response = requests.get(server.store, params={"graph": "https://w3id.org/stm-kg/graph/ontology"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))) == 4
    union = requests.get(server.store + "?default", headers={"Accept": "application/n-triples"})
    assert len(union.text.strip().splitlines()) == 17
    assert requests.head(server.store + "?default").status_code == 200
    assert requests.get(server.store).status_code == 400
    assert requests.get(server.store, params={"graph": "http://example.org/none"}).status_code == 404


def test_malformed_and_unsupported_uploads(write_server):
    graph = {"graph": "http://example.org/graph/bad-upload"}
    bad = requests.put(write_server.store, params=graph, data="<a> <b> ", headers={**TURTLE, **AUTH})
    assert bad.status_code == 400
    unsupported = requests.put(write_server.store, params=graph, data="x", headers={"Content-Type": "application/pdf", **AUTH})
    assert unsupported.status_code == 415
