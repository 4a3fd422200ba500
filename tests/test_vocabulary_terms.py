"""Lint what people mistype: every term used from a known namespace exists there, and every own term
is documented for people (nl and en labels and definitions)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD

from stm_kg.namespaces import STM

KNOWN = {
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS, "org": ORG,
    "prov": PROV, "time": TIME, "foaf": FOAF, "dcat": DCAT, "sh": SH,
}


def _terms(graph):
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                yield term
            elif isinstance(term, Literal) and term.datatype is not None:
                yield term.datatype


def test_every_term_from_a_known_namespace_exists(sources):
    unknown = set()
    for module in (*sources.ontology, *sources.data, *sources.links, *sources.descriptions):
        for term in _terms(module.graph):
            for prefix, namespace in KNOWN.items():
                if str(term).startswith(str(namespace)) and term != URIRef(str(namespace)):
                    if term not in namespace:
                        unknown.add(f"{module.path.name}: {prefix}:{str(term)[len(str(namespace)):]}")
    assert not unknown, "terms that do not exist in their vocabulary:\n" + "\n".join(sorted(unknown))


def _own_terms(ontology):
    """Classes and properties in our namespace (ontology headers and version IRIs are not terms)."""
    headers = set(ontology.subjects(RDF.type, OWL.Ontology)) | set(ontology.objects(None, OWL.versionIRI))
    declared = {
        s for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(str(STM)) and s not in headers
    }
    return sorted(declared)


def test_the_ontology_declares_own_terms(sources):
    assert len(_own_terms(sources.merged("ontology"))) >= 20


@pytest.mark.parametrize("predicate", [RDFS.label, SKOS.definition], ids=["label", "definition"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_own_term_has_labels_and_definitions_in_dutch_and_english(sources, predicate, language):
    ontology = sources.merged("ontology")
    missing = [
        str(term)
        for term in _own_terms(ontology)
        if not any(isinstance(v, Literal) and v.language == language for v in ontology.objects(term, predicate))
    ]
    assert not missing, f"own terms without {predicate.n3()} @{language}: {missing}"


def test_every_own_term_used_in_the_data_is_declared(sources):
    ontology = sources.merged("ontology")
    declared = set(_own_terms(ontology)) | set(ontology.subjects(RDF.type, OWL.Ontology))
    declared |= set(ontology.objects(None, OWL.versionIRI))
    used = set()
    for module in (*sources.data, *sources.ontology):
        for term in _terms(module.graph):
            if str(term).startswith(str(STM)):
                used.add(term)
    assert not used - declared, f"own terms used but not declared: {sorted(map(str, used - declared))}"


def test_every_ontology_module_has_a_full_header(sources):
    required = [DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionInfo, OWL.versionIRI]
    for module in sources.ontology:
        headers = list(module.graph.subjects(RDF.type, OWL.Ontology))
        assert len(headers) == 1, f"{module.path.name}: {len(headers)} owl:Ontology headers"
        for predicate in required:
            assert module.graph.value(headers[0], predicate) is not None, f"{module.path.name}: no {predicate.n3()}"
        for predicate in (DCTERMS.title, DCTERMS.description):
            languages = {v.language for v in module.graph.objects(headers[0], predicate)}
            assert {"nl", "en"} <= languages, f"{module.path.name}: {predicate.n3()} not in nl and en"
