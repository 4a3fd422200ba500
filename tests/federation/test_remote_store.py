"""stm-kg in front of the Oxigraph server (``--store sparql+http://...``), loaded with ``stm-kg publish``:
publish, query, dereference, validate and write give the same answers as the embedded store, and several
stm-kg processes serve one store, each seeing the writes of the others."""

from __future__ import annotations

import pytest
import requests

from remote_cases import JSON, TOKEN, publish, same_answers, same_graphs, same_pages, select, writes_are_gated_and_seen_by_all


@pytest.fixture(scope="module")
def published(oxigraph_factory, compiled_trig):
    server = oxigraph_factory()
    output = publish(server.spec, compiled_trig)
    return server, output


@pytest.fixture(scope="module")
def embedded(stm_factory, compiled_trig):
    return stm_factory("--no-bundled", "--data", str(compiled_trig), "--workers", "1", "--write-token", TOKEN)


@pytest.fixture(scope="module")
def remotes(stm_factory, published):
    server, _ = published
    return [stm_factory("--store", server.spec, "--workers", "1", "--write-token", TOKEN) for _ in range(2)]


def test_publish_puts_every_graph(published, compiled):
    server, output = published
    _, info = compiled
    assert f"published {len(info.graphs)} of {len(info.graphs)} graphs" in output
    rows = requests.post(server.query, data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["results"]["bindings"]
    assert {r["g"]["value"]: int(r["n"]["value"]) for r in rows} == info.graphs


def test_publish_keeps_blank_nodes_shared_between_graphs(published):
    server, _ = published
    query = """SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {
      GRAPH <https://w3id.org/stm-kg/graph/data> { { ?b ?p ?o } UNION { ?o ?p ?b } }
      GRAPH <https://w3id.org/stm-kg/graph/inferred> { { ?b ?q ?r } UNION { ?r ?q ?b } } FILTER(isBlank(?b)) }"""
    response = requests.post(server.query, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_queries_answer_as_in_the_embedded_mode(embedded, remotes):
    for remote in remotes:
        same_answers(embedded, remote)


def test_graphs_and_graph_store_reads_as_in_the_embedded_mode(embedded, remotes):
    same_graphs(embedded, remotes[0])


def test_dereferencing_as_in_the_embedded_mode(embedded, remotes):
    same_pages(embedded, remotes[0])


def test_result_formats_are_converted(remotes):
    csv = requests.post(remotes[0].sparql, data={"query": "SELECT ?s WHERE { ?s a <https://w3id.org/stm-kg/def/ont/Ministry> } ORDER BY ?s"},
                        headers={"Accept": "text/csv"}, timeout=30)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert "ministerie-van-justitie-en-veiligheid" in csv.text
    jsonld = requests.post(remotes[0].sparql, data={"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/stm-kg/def/ont/Ministry> }"},
                           headers={"Accept": "application/ld+json"}, timeout=30)
    assert jsonld.status_code == 200 and jsonld.headers["Content-Type"].startswith("application/ld+json")


@pytest.mark.slow
def test_a_write_through_one_process_is_seen_by_all(remotes, embedded):
    writes_are_gated_and_seen_by_all(remotes[0], remotes, "http://example.org/graph/federation-write")
    writes_are_gated_and_seen_by_all(remotes[1], remotes, "http://example.org/graph/federation-write-2")
    assert select(remotes[0], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == select(embedded, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def test_syntax_errors_and_a_dead_server_are_clear(remotes, stm_factory):
    bad = requests.post(remotes[0].sparql, data={"query": "SELECT * WHERE { ?s ?p }"}, headers=JSON, timeout=30)
    assert bad.status_code == 400
    from federation_servers import free_port

    dead = f"sparql+http://127.0.0.1:{free_port()}/query"
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "stm_kg.cli", "serve", "--store", dead, "--port", str(free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "cannot be reached" in result.stderr
