"""Limits: a query over the time limit is stopped for real (503, its process ended), a result over the size
limit is refused whole (422), and a runaway query does not starve the others."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from endpoint_server import cpu_seconds

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PROBLEM = {"Accept": "application/problem+json"}


@pytest.fixture(scope="module")
def many_triples(tmp_path_factory):
    """3,000 triples: enough for a four-way cartesian product to run far past any limit."""
    data = tmp_path_factory.mktemp("limits") / "many.nt"
    data.write_text("".join(f"<http://example.org/s{i}> <http://example.org/p> <http://example.org/o{i}> .\n" for i in range(3000)))
    return data


@pytest.fixture(scope="module")
def limited_server(server_factory, many_triples):
    return server_factory("--no-bundled", "--data", str(many_triples), "--timeout", "1", "--max-result-bytes", "20000",
                          "--workers", "2")


def test_a_query_over_the_time_limit_is_stopped(limited_server):
    response = requests.get(limited_server.sparql, params={"query": RUNAWAY}, headers=PROBLEM, timeout=30)
    assert response.status_code == 503
    assert response.json()["type"].endswith("query-timeout")
    time.sleep(0.5)
    workers = limited_server.children()
    before = sum(cpu_seconds(pid) for pid in workers)
    time.sleep(1.0)
    after = sum(cpu_seconds(pid) for pid in limited_server.children())
    assert after - before < 0.3, "a stopped query is still using the CPU"
    quick = requests.get(limited_server.sparql, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert quick.status_code == 200 and quick.json()["boolean"] is True


@pytest.fixture(scope="module")
def patient_server(server_factory, many_triples):
    """As ``limited_server``, with a time limit long enough that "before the runaway's answer" is no race."""
    return server_factory("--no-bundled", "--data", str(many_triples), "--timeout", "5")


def test_a_runaway_query_does_not_starve_the_others(patient_server):
    """An order, not a speed: a cheap query sent while a runaway is being evaluated is answered before the
    runaway is (which takes the time limit, 5 s, and ends with a 503)."""
    [serving] = patient_server.children()
    idle = cpu_seconds(serving)
    answers = []
    runaway = threading.Thread(target=lambda: answers.append(requests.get(
        patient_server.sparql, params={"query": RUNAWAY}, headers=PROBLEM, timeout=60)))
    runaway.start()
    while cpu_seconds(serving) - idle < 0.2:  # the runaway is being evaluated (a hang fails at the join below)
        time.sleep(0.01)
        assert runaway.is_alive(), "the runaway was answered before it was evaluated"
    response = requests.get(patient_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
                            headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 200 and len(response.text.splitlines()) == 4
    assert runaway.is_alive() and not answers, "the cheap query was answered only after the runaway"
    runaway.join(60)
    assert answers and answers[0].status_code == 503 and answers[0].json()["type"].endswith("query-timeout")


def test_a_result_over_the_size_limit_is_refused_whole(limited_server):
    response = requests.get(limited_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                            headers={"Accept": "text/csv, application/problem+json;q=0.5"})
    assert response.status_code == 422
    assert response.json()["type"].endswith("result-too-large")
    small = requests.get(limited_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"}, headers={"Accept": "text/csv"})
    assert small.status_code == 200
