"""Load: many concurrent clients mixing cheap and expensive queries for a bounded time. No errors, no request
waits past the time limit, and the server's memory comes back near its baseline afterwards."""

from __future__ import annotations

import random
import statistics
import threading
import time

import requests

from endpoint_server import tree_memory_mb
from tally import tried

CHEAP = [
    "ASK { ?s ?p ?o }",
    "SELECT ?p ?o WHERE { <https://w3id.org/stm-kg/id/organisatie/gen-0-1> ?p ?o }",
    "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 5",
]
EXPENSIVE = [
    "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?p ?d FILTER(?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT ?s ?label WHERE { ?s ?p ?label FILTER(CONTAINS(LCASE(STR(?label)), \"opvang\")) } ORDER BY ?label",
]
CLIENTS, SECONDS, LIMIT = 16, 8.0, 3.0


def memory_mb(server) -> float:
    """PSS of the server and its serving processes, in MB (shared pages counted once)."""
    return tree_memory_mb(server.process.pid)[1]


def test_mixed_load_is_served_without_errors_or_starvation(target):
    headers = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    for query in CHEAP + EXPENSIVE:  # warm up, then take the baseline
        assert requests.post(target.sparql, data={"query": query}, headers=headers, timeout=30).status_code == 200
    time.sleep(0.5)
    baseline = memory_mb(target)
    stop = time.monotonic() + SECONDS
    latencies: dict[str, list[float]] = {"cheap": [], "expensive": []}
    failures: list[str] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        with requests.Session() as session:
            while time.monotonic() < stop:
                kind = "expensive" if rnd.random() < 0.25 else "cheap"
                query = rnd.choice(EXPENSIVE if kind == "expensive" else CHEAP)
                started = time.monotonic()
                try:
                    response = session.post(target.sparql, data={"query": query}, headers=headers, timeout=LIMIT + 10)
                    status = response.status_code
                except requests.RequestException as error:
                    status = repr(error)
                took = time.monotonic() - started
                with lock:
                    latencies[kind].append(took)
                    if status != 200:
                        failures.append(f"{kind} {status} after {took:.2f} s")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(1.0)
    after = memory_mb(target)
    total = sum(len(v) for v in latencies.values())
    tried("load: query under concurrent load", total)
    worst = max(max(v) for v in latencies.values() if v)
    print(f"\nload: {CLIENTS} clients, {SECONDS:.0f} s, {total} queries ({len(latencies['cheap'])} cheap, "
          f"{len(latencies['expensive'])} expensive); median cheap {statistics.median(latencies['cheap']) * 1000:.1f} ms, "
          f"median expensive {statistics.median(latencies['expensive']) * 1000:.1f} ms, worst {worst:.2f} s; "
          f"memory {baseline:.0f} MB -> {after:.0f} MB")
    assert not failures, f"{len(failures)} failed: {failures[:10]}"
    # the one bound on time in this suite, and the issue's own requirement ("no request starved past the time
    # limit"): the limit is what the server promises every request, not a speed figure (those are in benchmarks/)
    assert worst < LIMIT, f"a request waited {worst:.2f} s, past the time limit of {LIMIT} s"
    assert after < baseline * 1.25 + 30, f"memory grew from {baseline:.0f} MB to {after:.0f} MB"
