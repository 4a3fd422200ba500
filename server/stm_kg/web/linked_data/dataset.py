"""The dataset described: what it is, its licence, its counts, its build and its downloads, for the landing
page (``/dataset``), as VoID (``/.well-known/void``) and as a DCAT-AP-NL 3.0 catalogue (``/catalog``).

Counts come from the store (through the store interface); the build date and the downloads from the build
directory. Identifiers: the dataset keeps its URI (``{base}id/dataset/stm-kg``, as in the service
description); the catalogue, its record and the distributions are named by the addresses that serve them
(``{root}catalog``, ``{root}catalog#record``, ``{root}dataset#stm-kg.ttl``), so every URI answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from ...pipeline.compile import BuildInfo
from ...store.interface import KnowledgeStore
from .describe import select
from .dumps import Download
from .rdf import parse_ntriples

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
EU = "http://publications.europa.eu/resource/authority/"
CC0 = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
DCAT_AP_NL = URIRef("https://docs.geostandaarden.nl/dcat/dcat-ap-nl30/")
#: Themes: the EU data theme "Justice, legal system and public safety" and the Dutch government's
#: TaxonomieBeleidsagenda term "Openbare orde en veiligheid" that data.overheid.nl filters on.
THEMES = (URIRef(EU + "data-theme/JUST"), URIRef("http://standaarden.overheid.nl/owms/terms/Openbare_orde_en_veiligheid"))

TITLE = {"nl": "Samen tegen mensenhandel: kennisgraaf", "en": "Together against human trafficking: knowledge graph"}
DESCRIPTION = {
    "nl": "Kennisgraaf van het Nederlandse programma Samen tegen mensenhandel: organisaties en samenwerkingsverbanden "
          "met hun lidmaatschappen, personen, documenten en Kamerstukken, moties en toezeggingen, het programma met "
          "actielijnen, acties, status en financiering. Elk feit verwijst naar het brondocument en het letterlijke citaat.",
    "en": "Knowledge graph of the Dutch programme Samen tegen mensenhandel (Together against human trafficking): "
          "organisations and collaboration bodies with their memberships, people, documents and parliamentary papers, "
          "motions and commitments, the programme with its action lines, actions, status and funding. Every fact points "
          "to its source document and the verbatim quote.",
}
KEYWORDS = ("mensenhandel", "uitbuiting", "linked data", "kennisgraaf", "SPARQL")
VOCABULARIES = ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#",
                "http://xmlns.com/foaf/0.1/", "http://purl.org/dc/terms/", "http://www.w3.org/2006/time#")


@dataclass
class Facts:
    """What the descriptions say about the dataset."""

    dataset: str  # its URI
    base: str
    root: str  # the address the server answers at
    triples: int
    graphs: dict[str, int]
    kinds: dict[str, int]
    classes: list[tuple[str, int]]
    build: BuildInfo | None
    downloads: list[Download] = field(default_factory=list)

    @property
    def things(self) -> int:
        return sum(self.kinds.values())

    @property
    def modified(self) -> str | None:
        return self.build.built_at if self.build else None

    def url(self, path: str) -> str:
        return self.root + path


def gather(store: KnowledgeStore, dataset: str, base: str, root: str, build: BuildInfo | None,
           downloads: list[Download], timeout: float | None = None) -> Facts:
    """Count what the store holds: triples per graph, things under ``{base}id/`` per kind, instances per class."""
    sizes = store.graph_sizes()
    rows = select(store, f"""SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
  BIND(STRBEFORE(STRAFTER(STR(?s), "{base}id/"), "/") AS ?kind)
}} GROUP BY ?kind ORDER BY ?kind""", timeout)
    kinds = {row["kind"]["value"]: int(row["n"]["value"]) for row in rows if row["kind"]["value"]}
    rows = select(store, f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
}} GROUP BY ?class ORDER BY DESC(?n) ?class""", timeout)
    classes = [(row["class"]["value"], int(row["n"]["value"])) for row in rows]
    return Facts(dataset, base, root, store.default_graph_size(),
                 {name: size for name, size in sizes.items() if name is not None}, kinds, classes, build, downloads)


def _texts(graph: Graph, subject, predicate, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=lang)))


def _modified(facts: Facts) -> Literal | None:
    return Literal(facts.modified, datatype=XSD.dateTime) if facts.modified else None


def void_graph(facts: Facts) -> Graph:
    """The VoID description of the dataset."""
    g = Graph()
    d = URIRef(facts.dataset)
    g.add((d, RDF.type, VOID.Dataset))
    _texts(g, d, DCTERMS.title, TITLE)
    _texts(g, d, DCTERMS.description, DESCRIPTION)
    g.add((d, DCTERMS.license, CC0))
    if (modified := _modified(facts)) is not None:
        g.add((d, DCTERMS.modified, modified))
    g.add((d, FOAF.homepage, URIRef(facts.url("dataset"))))
    g.add((d, VOID.sparqlEndpoint, URIRef(facts.url("sparql"))))
    g.add((d, VOID.uriSpace, Literal(facts.base + "id/")))
    for vocabulary in (*VOCABULARIES, facts.base + "def/ont/"):
        g.add((d, VOID.vocabulary, URIRef(vocabulary)))
    g.add((d, VOID.triples, Literal(facts.triples)))
    g.add((d, VOID.entities, Literal(facts.things)))
    for download in facts.downloads:
        g.add((d, VOID.dataDump, URIRef(facts.url("dataset/downloads/" + download.format.name))))
    example = f"{facts.base}id/organisatie/comensha"
    if "organisatie" in facts.kinds:
        g.add((d, VOID.exampleResource, URIRef(example)))
    g.add((d, VOID.rootResource, URIRef(f"{facts.base}id/programma/samen-tegen-mensenhandel")))
    for iri, count in facts.classes:
        partition = BNode()
        g.add((d, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(iri)))
        g.add((partition, VOID.entities, Literal(count)))
    for name, size in sorted(facts.graphs.items()):
        subset = BNode()
        g.add((d, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(name)))
        g.add((subset, VOID.triples, Literal(size)))
    return g


def dcat_graph(facts: Facts) -> Graph:
    """The DCAT-AP-NL 3.0 catalogue: catalogue, its record, the dataset, its distributions and the SPARQL service."""
    g = Graph()
    catalog, record, dataset = URIRef(facts.url("catalog")), URIRef(facts.url("catalog#record")), URIRef(facts.dataset)
    service = URIRef(facts.url("sparql"))
    publisher = BNode("publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("stm-kg project")))

    def contact():
        node = BNode()
        g.add((node, RDF.type, VCARD.Organization))
        g.add((node, VCARD.fn, Literal("stm-kg project")))
        g.add((node, VCARD.hasURL, URIRef(facts.url("dataset"))))
        return node

    dutch = URIRef(EU + "language/NLD")
    public = URIRef(EU + "access-right/PUBLIC")
    modified = _modified(facts)

    g.add((catalog, RDF.type, DCAT.Catalog))
    _texts(g, catalog, DCTERMS.title, {"nl": "Catalogus van stm-kg", "en": "stm-kg catalogue"})
    _texts(g, catalog, DCTERMS.description, {"nl": "De dataset en de SPARQL-dienst van de kennisgraaf Samen tegen mensenhandel.",
                                             "en": "The dataset and SPARQL service of the knowledge graph Together against human trafficking."})
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.contactPoint, contact()))
    g.add((catalog, DCTERMS.language, dutch))
    g.add((catalog, DCTERMS.license, CC0))
    g.add((catalog, FOAF.homepage, URIRef(facts.url("dataset"))))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    g.add((catalog, DCAT.record, record))
    if modified is not None:
        g.add((catalog, DCTERMS.modified, modified))

    g.add((record, RDF.type, DCAT.CatalogRecord))
    g.add((record, FOAF.primaryTopic, dataset))
    g.add((record, DCTERMS.language, dutch))
    g.add((record, DCTERMS.conformsTo, DCAT_AP_NL))
    if modified is not None:
        g.add((record, DCTERMS.modified, modified))

    g.add((dataset, RDF.type, DCAT.Dataset))
    _texts(g, dataset, DCTERMS.title, TITLE)
    _texts(g, dataset, DCTERMS.description, DESCRIPTION)
    g.add((dataset, DCTERMS.identifier, Literal(facts.dataset)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.creator, publisher))
    g.add((dataset, DCAT.contactPoint, contact()))
    g.add((dataset, DCTERMS.accessRights, public))
    g.add((dataset, DCTERMS.language, dutch))
    g.add((dataset, DCAT.landingPage, URIRef(facts.url("dataset"))))
    for theme in THEMES:
        g.add((dataset, DCAT.theme, theme))
    for keyword in KEYWORDS:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="nl")))
    if facts.build is not None:
        g.add((dataset, URIRef(str(DCAT) + "version"), Literal(facts.build.version)))
    if modified is not None:
        g.add((dataset, DCTERMS.modified, modified))
    for download in facts.downloads:
        distribution = URIRef(facts.url("dataset#" + download.format.name))
        url = URIRef(facts.url("dataset/downloads/" + download.format.name))
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        _texts(g, distribution, DCTERMS.title, {"nl": f"Volledige dump ({download.format.title})",
                                                 "en": f"Full dump ({download.format.title})"})
        g.add((distribution, DCAT.accessURL, url))
        g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + download.format.media_type)))
        g.add((distribution, DCTERMS["format"], URIRef(EU + "file-type/" + download.format.eu_file_type)))
        g.add((distribution, DCAT.byteSize, Literal(download.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        g.add((distribution, URIRef("http://spdx.org/rdf/terms#checksum"), checksum))
        g.add((checksum, RDF.type, URIRef("http://spdx.org/rdf/terms#Checksum")))
        g.add((checksum, URIRef("http://spdx.org/rdf/terms#algorithm"), URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha256")))
        g.add((checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"), Literal(download.sha256, datatype=XSD.hexBinary)))
        g.add((distribution, DCTERMS.license, CC0))
        if modified is not None:
            g.add((distribution, DCTERMS.modified, modified))
    sparql_distribution = URIRef(facts.url("dataset#sparql"))
    g.add((dataset, DCAT.distribution, sparql_distribution))
    g.add((sparql_distribution, RDF.type, DCAT.Distribution))
    _texts(g, sparql_distribution, DCTERMS.title, {"nl": "SPARQL-endpoint", "en": "SPARQL endpoint"})
    g.add((sparql_distribution, DCAT.accessURL, service))
    g.add((sparql_distribution, DCAT.accessService, service))
    g.add((sparql_distribution, DCTERMS.license, CC0))

    g.add((service, RDF.type, DCAT.DataService))
    _texts(g, service, DCTERMS.title, {"nl": "SPARQL-endpoint van stm-kg", "en": "stm-kg SPARQL endpoint"})
    _texts(g, service, DCTERMS.description, {"nl": "SPARQL 1.1-endpoint; de standaardgraaf is de vereniging van alle grafen.",
                                             "en": "SPARQL 1.1 endpoint; the default graph is the union of all graphs."})
    g.add((service, DCTERMS.identifier, Literal(facts.url("sparql"))))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.endpointDescription, service))  # GET without a query answers the service description
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.accessRights, public))
    g.add((service, DCTERMS.publisher, publisher))
    g.add((service, DCAT.contactPoint, contact()))
    g.add((service, DCTERMS.license, CC0))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for theme in THEMES:
        g.add((service, DCAT.theme, theme))
    return g


def as_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph as pyoxigraph triples, for :func:`.rdf.serialize`."""
    return parse_ntriples(graph.serialize(format="nt", encoding="utf-8"))
