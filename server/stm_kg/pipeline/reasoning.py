"""Stage 2 of the pipeline: the OWL 2 RL closure of ontology + data, cut down to what a user wants.

owlrl computes the full closure, which holds a great deal that nobody queries: ``x owl:sameAs x`` for every
resource, ``x a owl:Thing``, ``x a rdfs:Resource``, axioms about literals and datatypes, and consequences
about the standard vocabularies themselves (``foaf:Person rdfs:subClassOf owl:Thing``, ...). The endpoint
serves the inferred triples as a named graph of their own, so :func:`infer` keeps only new facts about our
own resources and terms (see :func:`is_wanted`).
"""

from __future__ import annotations

from dataclasses import dataclass

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..config import CANONICAL_BASE

#: Namespaces of the vocabularies whose own types (owl:Thing, rdfs:Resource, owl:Class, ...) are never
#: worth serving as inferred rdf:type triples.
META_NAMESPACES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")

#: Relations that owlrl makes reflexive for every term (``c rdfs:subClassOf c`` and the like).
REFLEXIVE_NOISE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}

#: Types that owlrl gives to a property because it appears in an axiom, already said by its declaration.
SCHEMA_TYPES = {RDF.Property, RDFS.Class, OWL.Class, RDFS.Datatype, OWL.Thing, RDFS.Resource}


@dataclass
class Inference:
    """The result of :func:`infer`: the wanted new triples, and how many the full closure had."""

    inferred: Graph
    closure_size: int
    new_in_closure: int


def is_own(term, base: str = CANONICAL_BASE) -> bool:
    """True for our resources and terms (under the URI base) and for blank nodes of our data."""
    return isinstance(term, BNode) or (isinstance(term, URIRef) and str(term).startswith(base))


def is_wanted(triple, base: str = CANONICAL_BASE) -> bool:
    """Whether an inferred triple is worth serving.

    Kept: triples whose subject is one of our resources or terms, except reflexive noise, types from the
    RDF/RDFS/OWL/XSD vocabularies (owl:Thing, rdfs:Resource, owl:Class, ...), membership of anonymous class
    expressions, and anything said of a literal.
    Dropped as well: everything whose subject is a term of another vocabulary (foaf:Person, org:memberOf ...),
    because those are the standard vocabularies' own business.
    """
    s, p, o = triple
    if isinstance(s, Literal) or not is_own(s, base):
        return False
    if p in REFLEXIVE_NOISE and s == o:
        return False
    if p == RDF.type and (o in SCHEMA_TYPES or (isinstance(o, URIRef) and str(o).startswith(META_NAMESPACES))):
        return False
    if o in (OWL.Thing, RDFS.Resource):
        return False  # "x a owl:Thing", "C rdfs:subClassOf owl:Thing", "p rdfs:domain rdfs:Resource": true of all
    if p in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.equivalentClass) and isinstance(o, BNode):
        return False  # anonymous class expressions (owl:unionOf domains ...) are not types a user asks for
    if isinstance(o, Literal) and p in (RDF.type, RDFS.subClassOf):
        return False
    return True


def infer(ontology: Graph, data: Graph, base: str = CANONICAL_BASE) -> Inference:
    """Compute the OWL 2 RL closure of ``ontology`` + ``data`` and return the wanted new triples.

    Neither input graph is changed. Axiomatic and datatype triples are not generated at all (owlrl options),
    the rest is filtered by :func:`is_wanted`.
    """
    asserted = Graph()
    asserted += ontology
    asserted += data
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False, improved_datatypes=False
    ).expand(closure)
    inferred = Graph()
    new = 0
    for triple in closure:
        if triple in asserted:
            continue
        new += 1
        if is_wanted(triple, base):
            inferred.add(triple)
    return Inference(inferred=inferred, closure_size=len(closure), new_in_closure=new)
