"""Issue 12, finding 1, without a server: what the old scan let through now meets the policy, and an update that
makes up values behind ``ex:a\\#`` is settled, so that the gate writes what it validated.

(The same tricks against a running server: tests/endpoint/test_endpoint_safety.py.)"""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from stm_kg.sparql.safety import RemoteAccessPolicy, RemoteAccessRefused
from stm_kg.store.changes import SparqlUpdate, repeatable
from stm_kg.store.embedded import EmbeddedStore
from stm_kg.store.gate import GatedWriter, union_graph
from stm_kg.store.shacl import shapes_validator

EX = "http://example.org/"
#: RAND() on the line after which the old scan saw only a comment (``ex:a\\#`` is the local name ``a#``).
HIDDEN_RAND = (f"PREFIX ex: <{EX}>\n"
               "INSERT { ex:s ex:score ?r } WHERE { BIND(IF(isIRI(ex:a\\#), RAND(), 0) AS ?r) }")
#: RAND() inside what the grammar's longest match reads as an IRI, and Oxigraph as two comparisons.
RAND_IN_A_COMPARISON = (f"PREFIX ex: <{EX}>\n"
                        "INSERT { ex:s ex:score 1 } WHERE { BIND(0 AS ?z) FILTER(?z<RAND()&&1>?z) }")
#: ORDER BY glued to RAND: Oxigraph's parser reads ``BY`` then ``RAND()``.
GLUED_RAND = (f"PREFIX ex: <{EX}>\n"
              "INSERT { ?s ex:first 1 } WHERE { { SELECT ?s { ?s ex:old ?o } ORDER BYRAND() LIMIT 1 } }")


@pytest.mark.parametrize("text", [HIDDEN_RAND, RAND_IN_A_COMPARISON, GLUED_RAND])
def test_updates_that_make_up_values_are_not_taken_for_repeatable(text):
    assert not repeatable(SparqlUpdate(text))


def test_the_gate_writes_what_it_validated_when_rand_hides_behind_an_escape():
    shapes = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> ."
                                "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:score .", format="turtle")
    validate = shapes_validator(shapes)
    seen: list[Graph] = []

    def validator(data: Graph):
        seen.append(data)
        return validate(data)

    store = EmbeddedStore()
    store.apply(SparqlUpdate(f"INSERT DATA {{ <{EX}x> <{EX}old> 1 }}"))
    GatedWriter(store, validator).write(SparqlUpdate(HIDDEN_RAND))
    assert isomorphic(union_graph(store.copy()), seen[-1])  # before: another RAND() in the store than validated


@pytest.mark.parametrize("text, keyword", [
    (f"PREFIX ex: <{EX}> SELECT * WHERE {{ ?s ?p ex:a\\# SERVICE <http://127.0.0.1:9/x> {{ }} }}", "SERVICE"),
    (f"PREFIX ex: <{EX}> INSERT DATA {{ ex:s ex:p ex:a\\# }} ; LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
    (f"PREFIX ex: <{EX}> INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p ex:a\\# SERVICE <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}",
     "SERVICE"),
])
def test_the_policy_sees_what_follows_an_escaped_hash(text, keyword):
    for allow in ((), ("http://127.0.0.1:8/",)):  # federation off, and on for another endpoint
        with pytest.raises(RemoteAccessRefused) as refused:
            RemoteAccessPolicy(service_allow=allow).check(text)
        assert refused.value.keyword == keyword
