"""No request can make the server fetch a URL or read a local file: each test fails if it does.

A local HTTP server records every hit; a local file carries a marker that must never appear in an answer,
and its access time must not move.
"""

from __future__ import annotations

import os
import time

import pytest
import requests

from endpoint_server import TOKEN, FetchRecorder

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def recorder():
    """A local web server that records the paths asked of it."""
    recorder = FetchRecorder(b'<http://example.org/fetched> <http://example.org/p> "FETCHED" .\n', "text/turtle")
    yield recorder.url, recorder.hits
    recorder.close()


@pytest.fixture
def secret(tmp_path):
    """A local RDF file with a marker; yields its path, and checks afterwards that nobody read it."""
    path = tmp_path / "secret.ttl"
    path.write_text('<http://example.org/secret> <http://example.org/p> "SECRET-MARKER" .\n')
    stat = path.stat()
    os.utime(path, (stat.st_mtime - 3600, stat.st_mtime))  # relatime updates atime on the next read
    yield path
    assert path.stat().st_atime == stat.st_mtime - 3600, "the server read the local file"


@pytest.fixture
def no_hits(recorder):
    url, hits = recorder
    hits.clear()
    yield url
    time.sleep(0.2)
    assert hits == [], f"the server fetched {hits}"


def test_reading_the_secret_is_noticed(secret):
    """The file check works on this file system (else every test below would pass vacuously)."""
    before = secret.stat().st_atime
    secret.read_bytes()
    assert secret.stat().st_atime != before
    os.utime(secret, (before, secret.stat().st_mtime))


def test_service_is_refused(server, no_hits):
    response = requests.get(server.sparql, params={"query": f"SELECT * WHERE {{ SERVICE <{no_hits}/sparql> {{ ?s ?p ?o }} }}"},
                            headers={"Accept": "application/problem+json"})
    assert response.status_code == 403
    assert response.json()["keyword"] == "SERVICE"


def test_service_silent_in_lower_case_is_refused(server, no_hits):
    response = requests.post(server.sparql, data={"query": f"select * {{ service silent <{no_hits}/x> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 403


#: Ways of writing SERVICE that a scan short of the grammar misread (issue 12, finding 1); Oxigraph calls each.
HIDDEN_SERVICE = {
    "escaped hash in a local name": "PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ?p ex:a\\# SERVICE <{url}/a> {{ }} }}",
    "comment ended by a carriage return": "SELECT * WHERE {{ ?s ?p ?o # comment\rSERVICE <{url}/b> {{ }} }}",
    "SILENT glued to SERVICE": "SELECT * WHERE {{ SERVICESILENT<{url}/c> {{ }} }}",
    "prefixed name glued to SERVICE": "PREFIX ex: <{url}/> SELECT * WHERE {{ SERVICEex:d {{ }} }}",
    "empty prefix glued to SERVICE": "PREFIX : <{url}/> SELECT * WHERE {{ SERVICE:e {{ }} }}",
    "a local name with dots before it": "PREFIX ex: <http://example.org/> SELECT * {{ ?s ?p ex:o.x.SERVICE <{url}/f> {{ }} }}",
}


@pytest.mark.parametrize("name", sorted(HIDDEN_SERVICE))
def test_service_the_old_scan_missed_is_refused(server, no_hits, name):
    query = HIDDEN_SERVICE[name].format(url=no_hits)
    problem = {"Accept": "application/problem+json"}
    for response in (requests.get(server.sparql, params={"query": query}, headers=problem),  # the fast path's way
                     requests.post(server.sparql, data={"query": query}, headers=problem)):  # Flask's
        assert response.status_code == 403, response.text
        assert response.json()["keyword"] == "SERVICE"


def test_text_the_lexer_cannot_read_is_refused_before_the_engine_sees_it(server, no_hits):
    response = requests.get(server.sparql, params={"query": f"SELECT * {{ SERV\\u0049CE <{no_hits}/a> {{ }} }}"},
                            headers={"Accept": "application/problem+json"})
    assert response.status_code == 400
    assert (response.json()["line"], response.json()["column"]) == (1, 16)  # the lexer's position, at the backslash


def test_from_does_not_fetch(server, no_hits, secret):
    for source in (f"{no_hits}/data.ttl", secret.as_uri()):
        response = requests.get(server.sparql, params={"query": f"SELECT * FROM <{source}> FROM NAMED <{source}> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"}, headers=JSON)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []


def test_graph_parameters_do_not_fetch(server, no_hits, secret):
    for source in (f"{no_hits}/data.ttl", secret.as_uri()):
        response = requests.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": source,
                                                       "named-graph-uri": source}, headers=JSON)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []


def test_load_is_refused(write_server, no_hits, secret):
    for source in (f"{no_hits}/data.ttl", secret.as_uri()):
        response = requests.post(write_server.sparql, data=f"LOAD <{source}>",
                                 headers={"Content-Type": "application/sparql-update", **AUTH})
        assert response.status_code == 403
        assert "LOAD" in response.text


@pytest.mark.parametrize("update", [
    "PREFIX ex: <http://example.org/> INSERT DATA {{ ex:s ex:p ex:a\\# }} ; LOAD <{url}/data.ttl>",
    "PREFIX ex: <http://example.org/> INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p ex:a\\# SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "INSERT DATA {{ <http://example.org/s> <http://example.org/p> 1 }} ; LOADSILENT<{url}/data.ttl>",
    "PREFIX ex: <{url}/> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICEex:sparql {{ ?s ?p ?o }} }}",
])
def test_load_and_service_the_old_scan_missed_are_refused_in_updates(write_server, no_hits, update):
    response = requests.post(write_server.sparql, data=update.format(url=no_hits),
                             headers={"Content-Type": "application/sparql-update", **AUTH})
    assert response.status_code == 403, response.text


def test_jsonld_remote_context_is_not_fetched(write_server, no_hits):
    body = '{"@context": "%s/context.jsonld", "@id": "http://example.org/x", "name": "x"}' % no_hits
    response = requests.put(write_server.store, params={"graph": "http://example.org/jsonld"}, data=body,
                            headers={"Content-Type": "application/ld+json", **AUTH})
    assert response.status_code == 400


@pytest.mark.parametrize("where", ["file", "http"])
def test_xml_external_entities_are_not_resolved(write_server, no_hits, secret, where):
    system = secret.as_uri() if where == "file" else f"{no_hits}/entity"
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "{system}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/xxe"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>"""
    graph = f"http://example.org/xxe-{where}"
    response = requests.put(write_server.store, params={"graph": graph}, data=body,
                            headers={"Content-Type": "application/rdf+xml", **AUTH})
    assert response.status_code in (201, 204, 400)
    served = requests.get(write_server.sparql, params={"query": "SELECT * { ?s ?p ?o }"}, headers=JSON).text
    assert "SECRET-MARKER" not in served and "FETCHED" not in served
