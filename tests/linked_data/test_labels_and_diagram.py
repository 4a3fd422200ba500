"""Labels a client can search, and a class diagram that draws what the ontology states.

- SKOS makes every SKOS label a sub-property of ``rdfs:label``; the alignments restate it, so a search on
  ``rdfs:label`` (a PROFILE.md term) finds a resource by an abbreviation too. Checked through the endpoint.
- The ``/def/ont`` diagram draws one edge per stated range and super-class, not one per inferred one: the
  expected edges are read here from the ontology's Turtle files with rdflib, not from the server.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

from ld_helpers import BASE, sparql_select
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from stm_kg.config import ONTOLOGY_DIR

COMENSHA = BASE + "id/organisatie/comensha"


def label_search(server, text: str) -> set[str]:
    rows = sparql_select(server, f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?thing WHERE {{ ?thing rdfs:label ?label FILTER(LCASE(STR(?label)) = LCASE("{text}")) }}""")
    return {row["thing"]["value"] for row in rows}


def test_a_label_search_finds_a_resource_by_its_abbreviation(ld_server):
    assert label_search(ld_server, "CoMensha") == {COMENSHA}
    assert label_search(ld_server, "SOM") == {BASE + "id/overleg/strategisch-overleg-mensenhandel"}
    assert COMENSHA in label_search(ld_server, "Coördinatiecentrum tegen Mensenhandel")  # the preferred name still


def test_the_inferred_graph_carries_the_alternative_labels_as_rdfs_labels(ld_server):
    rows = sparql_select(ld_server, f"""SELECT ?label WHERE {{
  GRAPH <{BASE}graph/inferred> {{ <{COMENSHA}> <{RDFS.label}> ?label }} }}""")
    assert {row["label"]["value"] for row in rows} >= {"CoMensha", "La Strada Nederland"}


def stated_edges() -> Counter:
    """(edge label, target IRI) of every edge the diagram should draw, from the ontology's own Turtle files."""
    ontology = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if "shapes" not in path.name:
            ontology.parse(path)
    own = URIRef(BASE + "def/ont")
    classes = {c for c in ontology.subjects(RDFS.isDefinedBy, own) if (c, RDF.type, OWL.Class) in ontology}
    edges: Counter = Counter()
    for cls in classes:
        for parent in ontology.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent != cls:
                edges["subklasse van", str(parent)] += 1
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if (prop, RDFS.isDefinedBy, own) not in ontology:
            continue
        label = next(str(l) for l in ontology.objects(prop, SKOS.prefLabel) if isinstance(l, Literal) and l.language == "nl")
        domains = [d for d in ontology.objects(prop, RDFS.domain) if d in classes]
        for _ in domains:
            for target in ontology.objects(prop, RDFS.range):
                if isinstance(target, URIRef):  # a union of classes (a blank node) is not drawn
                    edges[label, str(target)] += 1
    return edges


def drawn_edges(server, http) -> Counter:
    """(edge label, target IRI) of every edge in the served diagram (target boxes link to the term's page)."""
    page = http.get(f"{server.url}/def/ont").text
    svg = page[page.index("<svg"): page.index("</svg>")]
    local = f"{server.url}/"
    edges: Counter = Counter()
    for label, href in re.findall(r'class="edge">([^<]*)</text><a href="([^"]*)"', svg):
        target = BASE + href[len(local):] if href.startswith(local) else unescape(href)
        edges[unescape(label), target] += 1
    return edges


def test_the_diagram_draws_each_stated_range_and_super_class_once(ld_server, http):
    drawn = drawn_edges(ld_server, http)
    assert drawn[("onderdeel van actieplan", BASE + "def/ont/ActionPlan")] == 1
    assert not [edge for edge in drawn if edge[0] == "onderdeel van actieplan" and edge[1] != BASE + "def/ont/ActionPlan"]
    assert drawn == stated_edges()
