"""The SPARQL 1.1 Service Description of the endpoint, with the dataset described in VoID and DCAT.

Answers GET /sparql without a query: what the service supports (languages, result formats, features) and
what it serves (the default graph and each named graph, with their sizes).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .formats import GRAPH_FORMATS, SOLUTION_FORMATS

_PREFIXES = """\
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

#: Prefixes for the serialisation of the description.
PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
}


@dataclass(frozen=True)
class ServiceFacts:
    """What the description says: where the service is, what it serves, and what it allows."""

    endpoint: str
    dataset: str
    graph_sizes: dict[str | None, int]
    default_graph_size: int
    union_default_graph: bool
    updates_enabled: bool
    #: Address prefixes that SERVICE may call (the allowlist); None: taken from the running app's policy.
    service_allow: tuple[str, ...] = ()


def _format_iris() -> list[str]:
    iris = []
    for fmt in SOLUTION_FORMATS:
        iris.append(ox.QueryResultsFormat.from_media_type(fmt.media_type).iri)
    for fmt in GRAPH_FORMATS:
        iris.append(ox.RdfFormat.from_media_type(fmt.media_type).iri)
    return iris


def description_turtle(facts: ServiceFacts) -> str:
    """The description as Turtle."""
    named = {graph: size for graph, size in facts.graph_sizes.items() if graph is not None}
    default_size = facts.default_graph_size
    languages = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if facts.updates_enabled else [])
    features = ["sd:UnionDefaultGraph"] if facts.union_default_graph else []
    allow = facts.service_allow
    if allow:
        features.append("sd:BasicFederatedQuery")
    lines = [
        _PREFIXES,
        f"<{facts.endpoint}> a sd:Service, dcat:DataService ;",
        f"    sd:endpoint <{facts.endpoint}> ;",
        f"    dcat:endpointURL <{facts.endpoint}> ;",
        f"    dcat:servesDataset <{facts.dataset}> ;",
        f"    sd:supportedLanguage {', '.join(languages)} ;",
        f"    sd:resultFormat {', '.join(f'<{iri}>' for iri in _format_iris())} ;",
        *([f"    sd:feature {', '.join(features)} ;"] if features else []),
        "    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;",
        *[f"    dcterms:relation [ a sd:Service ; sd:endpoint <{prefix}> ; {_ALLOWED_NOTE} ] ;" for prefix in allow],
        f"    sd:defaultDataset <{facts.dataset}> .",
        "",
        f"<{facts.dataset}> a sd:Dataset, void:Dataset, dcat:Dataset ;",
        '    dcterms:title "Samen tegen mensenhandel: kennisgraaf"@nl, "Together against human trafficking: knowledge graph"@en ;',
        "    dcterms:license <https://creativecommons.org/publicdomain/zero/1.0/> ;",
        f"    void:sparqlEndpoint <{facts.endpoint}> ;",
        f"    void:triples {default_size} ;",
        f"    sd:defaultGraph [ a sd:Graph ; void:triples {default_size} ]",
    ]
    for graph, size in sorted(named.items()):
        lines[-1] += " ;"
        lines.append(f"    sd:namedGraph [ a sd:NamedGraph ; sd:name <{graph}> ; sd:graph [ a sd:Graph ; void:triples {size} ] ]")
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


_ALLOWED_NOTE = (
    'dcterms:description "SERVICE-doel: dit endpoint mag SPARQL-endpoints aanroepen waarvan het adres zo begint."@nl, '
    '"SERVICE target: this endpoint may call SPARQL endpoints whose address starts with this one."@en'
)


def describe(facts: ServiceFacts, media_type: str) -> bytes:
    """The description serialised in the RDF format ``media_type``."""
    triples = ox.parse(description_turtle(facts), format=ox.RdfFormat.TURTLE)
    fmt = ox.RdfFormat.from_media_type(media_type)
    return ox.serialize(triples, format=fmt, prefixes=PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None)
