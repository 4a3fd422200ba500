"""Runaway queries (cartesian products, unbounded paths, huge CONSTRUCTs, deep nesting) are cut off at the
time limit (or refused as too large or malformed), their evaluation ends with the answer (the CPU goes quiet),
and the server answers the next query. No assert here is on speed: a hang fails through the request's own timeout."""

from __future__ import annotations

import time

import pytest
import requests

from endpoint_server import cpu_seconds
from tally import tried


RUNAWAYS = {
    "cartesian-4": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "cartesian-select-all": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded-path-any": "SELECT (COUNT(*) AS ?n) WHERE { ?x (<http://example.org/p>|!<http://example.org/p>)* ?y . ?y ?p ?z }",
    "unbounded-path-inverse": "SELECT (COUNT(*) AS ?n) WHERE { ?x (^!<urn:x>|!<urn:x>)+ ?y . ?y (!<urn:y>)* ?z }",
    "huge-construct": "CONSTRUCT { ?a ?b ?f . ?d ?e ?c } WHERE { ?a ?b ?c . ?d ?e ?f }",
    "huge-describe": "DESCRIBE ?s ?o WHERE { ?s ?p ?o . ?a ?b ?c }",
    "string-blowup": "SELECT (MAX(STRLEN(?x)) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f BIND(CONCAT(STR(?a), STR(?c), STR(?d), STR(?f)) AS ?x) }",
    "group-concat-all": "SELECT (STRLEN(GROUP_CONCAT(STR(?c))) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "nested-optional": "SELECT * WHERE { ?a ?b ?c " + "OPTIONAL { ?x ?y ?z " * 6 + "}" * 6 + " }",
    "deep-subqueries": "SELECT * WHERE { " + "{ SELECT * WHERE " * 60 + "{ ?a ?b ?c . ?d ?e ?f }" + " }" * 60 + " }",
    "deep-groups": "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000,
    "deep-expression": "SELECT ((" + "(" * 3000 + "1" + ")" * 3000 + ") AS ?x) WHERE {}",
    "deep-unions": "SELECT * WHERE { " + " UNION ".join(["{ ?a ?b ?c . ?d ?e ?f }"] * 300) + " }",
    "deep-filters": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!(" * 3000 + "true" + ")" * 3000 + ") }",
    "values-huge-cross": "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(2000)) + " } ?a ?b ?c . ?d ?e ?f }",
}


def assert_answers(server) -> None:
    response = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"},
                            timeout=10)
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize("name", list(RUNAWAYS))
def test_runaway_query_is_cut_off_and_the_next_is_answered(limited, name):
    response = requests.post(limited.sparql, data={"query": RUNAWAYS[name]}, timeout=30,
                             headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9, application/problem+json;q=0.1"})
    tried("runaway query")
    assert response.status_code in (200, 400, 422, 503), (name, response.status_code, response.text[:500])
    if response.status_code == 503:
        assert response.json()["type"].endswith("query-timeout")
    if response.status_code >= 400:
        assert response.json()["detail"]
    assert_answers(limited)
    time.sleep(0.3)
    busy = sum(cpu_seconds(pid) for pid in limited.children())
    time.sleep(0.5)
    assert sum(cpu_seconds(pid) for pid in limited.children()) - busy < 0.25, f"{name} still runs after its answer"


def test_many_runaways_at_once_do_not_starve_a_cheap_query(limited):
    import threading

    threads = [threading.Thread(target=requests.get, args=(limited.sparql,),
                                kwargs={"params": {"query": RUNAWAYS["cartesian-4"]}, "timeout": 30}) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    # the runaways hold the app's threads until their limit; the cheap query waits for a thread, not for a
    # runaway's evaluation: once picked up it gets an evaluation thread of its own and its answer (not a 503)
    response = requests.get(limited.sparql, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200 and response.json()["boolean"] is True, response.text[:300]
    for thread in threads:
        thread.join()
    tried("runaway query", 6)
    assert_answers(limited)
