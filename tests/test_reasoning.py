"""The inferred graph holds what a user wants and nothing else."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, RDF, RDFS, SKOS

from stm_kg.config import CANONICAL_BASE, ONTOLOGY_DIR
from stm_kg.pipeline.reasoning import infer, is_wanted
from stm_kg.pipeline.sources import ontology_files, read_merged

ID = Namespace(CANONICAL_BASE + "id/")
OWN = URIRef(CANONICAL_BASE + "def/ont/Thing")


def test_is_wanted_drops_noise_and_keeps_facts():
    person = ID["persoon/bikker"]
    assert is_wanted((person, RDF.type, FOAF.Agent))
    assert is_wanted((person, ORG.memberOf, ID["partij/cu"]))
    assert not is_wanted((person, OWL.sameAs, person))
    assert not is_wanted((person, RDF.type, OWL.Thing))
    assert not is_wanted((person, RDF.type, RDFS.Resource))
    assert not is_wanted((FOAF.Person, RDFS.subClassOf, FOAF.Agent)), "axioms about standard vocabularies"
    assert not is_wanted((Literal("x"), RDF.type, RDFS.Literal))
    assert not is_wanted((OWN, RDFS.subClassOf, OWN))
    assert is_wanted((BNode(), RDF.type, URIRef("http://www.w3.org/2006/time#Interval")))
    assert not is_wanted((person, RDF.type, BNode())), "membership of an anonymous owl:unionOf class"


def _ontology() -> Graph:
    return read_merged(ontology_files(ONTOLOGY_DIR))


def test_memberships_serve_member_of_and_has_member_through_the_closure():
    data = Graph()
    membership, member, body = ID["lidmaatschap/x"], ID["organisatie/a"], ID["overleg/b"]
    data.add((membership, RDF.type, ORG.Membership))
    data.add((membership, ORG.member, member))
    data.add((membership, ORG.organization, body))
    data.add((member, SKOS.prefLabel, Literal("A", lang="nl")))
    inferred = infer(_ontology(), data).inferred
    assert (member, ORG.memberOf, body) in inferred
    assert (body, ORG.hasMember, member) in inferred
    assert (member, RDFS.label, Literal("A", lang="nl")) in inferred


def test_the_inferred_graph_of_the_knowledge_graph_has_no_noise(graphs):
    inferred = graphs["inferred"]
    assert len(inferred) > 100
    noise = [
        t for t in inferred
        if (t[1] == OWL.sameAs and t[0] == t[2])
        or (t[1] == RDF.type and t[2] in (OWL.Thing, RDFS.Resource))
        or isinstance(t[0], Literal)
        or not str(t[0]).startswith(CANONICAL_BASE) and not isinstance(t[0], BNode)
    ]
    assert not noise, noise[:10]


def test_inferred_triples_are_not_also_asserted(graphs):
    asserted = graphs["data"] + graphs["ontology"]
    overlap = [t for t in graphs["inferred"] if t in asserted]
    assert not overlap, overlap[:10]


def test_no_triple_is_in_two_graphs_of_the_compiled_dataset(dataset):
    """The endpoint's default graph is the union of the named graphs, and Oxigraph's union repeats a triple
    held by two graphs (a query would count it twice), so the compiled graphs must be disjoint."""
    seen: dict[tuple, str] = {}
    twice = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if isinstance(s, BNode) or isinstance(o, BNode):
            continue  # blank nodes are local to their graph's file
        name = str(g.identifier if hasattr(g, "identifier") else g)
        if (s, p, o) in seen and seen[(s, p, o)] != name:
            twice.append(f"{s} {p} {o} in {seen[(s, p, o)]} and {name}")
        seen.setdefault((s, p, o), name)
    assert not twice, "\n".join(twice[:20])
