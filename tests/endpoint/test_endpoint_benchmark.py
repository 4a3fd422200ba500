"""Figures behind docs/decisions/0003-store.md: rdflib's Graph against Oxigraph, in process and over HTTP.

Run with ``pytest -m benchmark tests/endpoint -s``; skipped otherwise. Prints median milliseconds per query
at the bundled size and at 100,000 generated triples.
"""

from __future__ import annotations

import statistics
import time

import pyoxigraph as ox
import pytest
import requests
from rdflib import Dataset

from endpoint_server import RunningServer

pytestmark = pytest.mark.benchmark

QUERIES = {
    "join": """SELECT ?person ?name ?org WHERE { ?m <http://www.w3.org/ns/org#member> ?person ;
                 <http://www.w3.org/ns/org#organization> ?org . ?person <http://xmlns.com/foaf/0.1/name> ?name }""",
    "path": """SELECT (COUNT(*) AS ?n) WHERE { ?x <http://www.w3.org/ns/org#subOrganizationOf>+ ?y }""",
    "aggregate": """SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)""",
    "filter": """SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
                 FILTER(CONTAINS(LCASE(STR(?label)), "7")) }""",
    "construct": """CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> ; ?p ?o }""",
}


@pytest.fixture(autouse=True)
def only_when_asked(request):
    if "benchmark" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("benchmark: run with -m benchmark")


def generated_trig(triples: int) -> str:
    """A dataset shaped like ours: people, organisations in a hierarchy, memberships with labels."""
    lines = ["<https://w3id.org/stm-kg/graph/data> {"]
    count, n = 0, 0
    while count < triples:
        person, org, member = f"<http://example.org/person/{n}>", f"<http://example.org/org/{n % 500}>", f"<http://example.org/m/{n}>"
        parent = f"<http://example.org/org/{(n % 500) // 3}>"
        lines += [
            f"{person} a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> \"Person {n}\" ;"
            f" <http://www.w3.org/2004/02/skos/core#prefLabel> \"Persoon {n}\"@nl .",
            f"{member} a <http://www.w3.org/ns/org#Membership> ; <http://www.w3.org/ns/org#member> {person} ;"
            f" <http://www.w3.org/ns/org#organization> {org} .",
        ]
        count += 6
        if n < 500:
            lines.append(f"{org} a <http://www.w3.org/ns/org#Organization> ; <http://www.w3.org/ns/org#subOrganizationOf> {parent} .")
            count += 2
        n += 1
    return "\n".join(lines + ["}"]) + "\n"


def median_ms(run, repeat: int = 5) -> float:
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


@pytest.mark.parametrize("size", ["bundled", 100_000])
def test_store_figures(size, tmp_path, capsys):
    if size == "bundled":
        from stm_kg.pipeline.compile import ensure_built

        path = ensure_built()
    else:
        path = tmp_path / "generated.trig"
        path.write_text(generated_trig(size))
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="trig")
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    server = RunningServer(["--no-bundled", "--data", str(path)], tmp_path / "server.log").start()
    accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    rows = []
    try:
        for name, query in QUERIES.items():
            rdflib_ms = median_ms(lambda: dataset.query(query).serialize(format="turtle" if name == "construct" else "json"), repeat=3)
            oxigraph_ms = median_ms(lambda: store.query(query, use_default_graph_as_union=True).serialize(
                format=ox.RdfFormat.TURTLE if name == "construct" else ox.QueryResultsFormat.JSON))
            http_ms = median_ms(lambda: requests.post(server.sparql, data={"query": query}, headers=accept).raise_for_status())
            rows.append((name, rdflib_ms, oxigraph_ms, http_ms))
    finally:
        server.stop()
    with capsys.disabled():
        print(f"\n{size} ({len(store)} quads): median ms   rdflib Graph | pyoxigraph in process | stm-kg over HTTP")
        for name, rdflib_ms, oxigraph_ms, http_ms in rows:
            print(f"  {name:10s} {rdflib_ms:10.1f} | {oxigraph_ms:8.2f} | {http_ms:8.2f}   (rdflib/oxigraph x{rdflib_ms / oxigraph_ms:.0f})")


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_throughput_by_worker_count(workers, tmp_path, capsys):
    """Queries per second from 8 concurrent clients on the bundled graph, by number of serving processes."""
    from concurrent.futures import ThreadPoolExecutor

    server = RunningServer(["--workers", str(workers)], tmp_path / "server.log").start()
    query = {"query": QUERIES["aggregate"]}
    try:
        session_count, per_client = 8, 50

        def client(_):
            with requests.Session() as session:
                for _ in range(per_client):
                    session.post(server.sparql, data=query, headers={"Accept": "application/sparql-results+json"}).raise_for_status()

        started = time.perf_counter()
        with ThreadPoolExecutor(session_count) as pool:
            list(pool.map(client, range(session_count)))
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    with capsys.disabled():
        print(f"\nworkers={workers}: {session_count * per_client / elapsed:.0f} queries/s (8 clients, aggregate query, bundled graph)")
