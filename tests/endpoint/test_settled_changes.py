"""Changes applied more than once (the gate's preview, then the store; the owner, then each serving process's
copy) must end in the same data every time: an update that makes up values (STRUUID(), RAND(), NOW(), BNODE())
is evaluated once and spelled out as plain data (stm_kg.store.changes, KnowledgeStore.settle)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from stm_kg.store.changes import AddToGraph, SparqlUpdate, repeatable
from stm_kg.store.embedded import EmbeddedStore
from stm_kg.store.gate import GatedWriter, union_graph
from stm_kg.store.shacl import shapes_validator

EX = "http://example.org/"
MAKES_UP = SparqlUpdate(f"""PREFIX ex: <{EX}>
DELETE {{ ?s ex:old ?o }}
INSERT {{ GRAPH ex:g {{ ?s ex:id ?id ; ex:score ?r ; ex:seen ?t ; ex:node [ ex:label "nieuw"@nl ] }} }}
WHERE {{ ?s ex:old ?o BIND(STRUUID() AS ?id) BIND(RAND() AS ?r) BIND(NOW() AS ?t) }}""")


def store_with(*triples: str) -> EmbeddedStore:
    store = EmbeddedStore()
    store.apply(SparqlUpdate(f"PREFIX ex: <{EX}> INSERT DATA {{ {' '.join(triples)} }}"))
    return store


def quads(store: ox.Store) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, None))


def without_blank_nodes(found: set[ox.Quad]) -> set[ox.Quad]:
    return {quad for quad in found if not any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object))}


def test_which_changes_are_repeatable():
    assert repeatable(SparqlUpdate("INSERT DATA { <http://a> <http://b> 1 }"))
    assert repeatable(AddToGraph(None, b'<http://a> <http://b> "RAND()" .\n'))  # data, not an update
    assert repeatable(SparqlUpdate('INSERT DATA { <http://a> <http://example.org/now> "RAND()", <urn:uuid()> }'))  # names in text
    for call in ("NOW()", "rand ()", "UUID()", "StrUuid()", "BNODE('x')"):
        assert not repeatable(SparqlUpdate(f"INSERT {{ <http://a> <http://b> ?x }} WHERE {{ BIND({call} AS ?x) }}"))


def test_applied_twice_an_update_that_makes_up_values_differs_and_settled_it_does_not():
    store = store_with("ex:a ex:old 1 .", "ex:b ex:old 2 .")
    twice = [store.preview(MAKES_UP), store.preview(MAKES_UP)]
    # the problem: each evaluation makes up its own values (not only new blank nodes, which every insert makes)
    assert without_blank_nodes(quads(twice[0])) != without_blank_nodes(quads(twice[1]))

    settled = store.settle(MAKES_UP)
    assert settled != MAKES_UP and repeatable(settled)
    first, second = store.preview(settled), store.preview(settled)
    assert without_blank_nodes(quads(first)) == without_blank_nodes(quads(second))
    # the same shape of data as the update gives: old values gone, two of each new one, a blank node each
    found = union_graph(first)
    assert found.query(f"ASK {{ ?s <{EX}old> ?o }}").askAnswer is False
    for name in ("id", "score", "seen", "node"):  # one each for ex:a and ex:b
        assert len(list(found.triples((None, URIRef(EX + name), None)))) == 2, name
    assert len(set(found.objects(None, URIRef(EX + "seen")))) == 1  # NOW() is one value in one evaluation


def test_a_repeatable_change_is_settled_as_it_is():
    store = store_with("ex:a ex:old 1 .")
    change = SparqlUpdate(f"DELETE WHERE {{ <{EX}a> ?p ?o }}")
    assert store.settle(change) is change


def test_an_update_that_removes_a_blank_node_is_left_as_it_is():
    """``DELETE DATA`` cannot name a blank node: such an update keeps its text (each copy evaluates it)."""
    store = store_with("ex:a ex:node [ ex:label 'oud' ] .")
    change = SparqlUpdate(f"DELETE {{ ?n ?p ?o }} INSERT {{ <{EX}a> <{EX}id> ?id }} "
                          f"WHERE {{ ?n ?p ?o FILTER(isBlank(?n)) BIND(UUID() AS ?id) }}")
    assert store.settle(change) is change


def test_an_update_that_adds_to_a_blank_node_already_there_is_left_as_it_is(caplog):
    """``INSERT DATA`` would put the new triple on a new blank node, not on the one the update found."""
    store = store_with("ex:a ex:address [ ex:street 'Turfmarkt' ] .")
    change = SparqlUpdate(f"INSERT {{ ?b <{EX}checked> ?t }} WHERE {{ <{EX}a> <{EX}address> ?b BIND(NOW() AS ?t) }}")
    assert store.settle(change) is change
    assert "each copy of the data evaluates it itself" in caplog.text
    store.apply(change)
    assert store.copy().query(f"ASK {{ <{EX}a> <{EX}address> [ <{EX}street> ?s ; <{EX}checked> ?t ] }}")


def test_graphs_an_update_drops_or_creates_are_spelled_out_too():
    store = store_with("GRAPH ex:old { ex:a ex:old 1 }", "ex:b ex:old 2 .")
    change = SparqlUpdate(f"DROP GRAPH <{EX}old> ; CREATE GRAPH <{EX}empty> ; "
                          f"INSERT {{ GRAPH <{EX}new> {{ ?s <{EX}id> ?id }} }} WHERE {{ ?s <{EX}old> ?o BIND(UUID() AS ?id) }}")
    expected = store.preview(change)
    settled = store.settle(change)
    assert repeatable(settled)
    store.apply(settled)
    assert set(store.copy().named_graphs()) == set(expected.named_graphs()) == {ox.NamedNode(EX + "empty"), ox.NamedNode(EX + "new")}
    ids = list(store.copy().quads_for_pattern(None, ox.NamedNode(EX + "id"), None, ox.NamedNode(EX + "new")))
    assert [quad.subject for quad in ids] == [ox.NamedNode(EX + "b")]  # ex:a went with its graph first


def test_an_empty_graph_already_there_stays():
    """A copy of the store keeps its empty named graphs, or settling would read them as dropped."""
    store = store_with("ex:a ex:old 1 .")
    store.apply(SparqlUpdate(f"CREATE GRAPH <{EX}empty>"))
    store.apply(store.settle(MAKES_UP))
    assert ox.NamedNode(EX + "empty") in set(store.copy().named_graphs())
    assert store.has_graph(EX + "empty")


def test_a_remote_store_takes_the_update_as_it_is():
    """A remote server is the one copy of the data: nothing to keep alike, and a local copy would not see the
    data as the server does."""
    from stm_kg.store.remote import RemoteStore

    assert RemoteStore("sparql+http://127.0.0.1:9/sparql").settle(MAKES_UP) is MAKES_UP


def test_the_federation_step_settles_through_the_store_it_wraps():
    from stm_kg.sparql.federating_store import FederatingStore
    from stm_kg.sparql.federation import ServiceRefused
    from stm_kg.sparql.safety import RemoteAccessPolicy

    federating = FederatingStore(store_with("ex:a ex:old 1 ."), RemoteAccessPolicy())
    assert repeatable(federating.settle(MAKES_UP))
    with pytest.raises(ServiceRefused):  # before anything is evaluated, as preview and apply refuse it
        federating.settle(SparqlUpdate("INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } BIND(NOW() AS ?n) }"))


def test_a_settled_update_that_changes_nothing_is_an_empty_update():
    store = store_with("ex:a ex:old 1 .")
    settled = store.settle(SparqlUpdate(f"INSERT {{ ?s <{EX}id> ?id }} WHERE {{ ?s <{EX}missing> ?o BIND(UUID() AS ?id) }}"))
    assert settled.text == ""
    before = quads(store.copy())
    store.apply(settled)
    assert quads(store.copy()) == before


@pytest.fixture
def recording_validator():
    """pyshacl with a shape every node passes, remembering each graph it validated."""
    shapes = Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
        ex:IdShape a sh:NodeShape ; sh:targetSubjectsOf ex:id ; sh:property [ sh:path ex:id ; sh:minCount 1 ] .""",
                           format="turtle")
    validate = shapes_validator(shapes)
    seen: list[Graph] = []

    def validator(data: Graph):
        seen.append(data)
        return validate(data)

    validator.seen = seen
    return validator


def test_the_gate_writes_what_it_validated(recording_validator):
    """Before, the gate validated one evaluation of the update and the store got another, with other values."""
    store = store_with("ex:a ex:old 1 .", "ex:b ex:old 2 .")
    applied = GatedWriter(store, recording_validator).write(MAKES_UP)
    assert repeatable(applied)
    assert isomorphic(union_graph(store.copy()), recording_validator.seen[-1])
