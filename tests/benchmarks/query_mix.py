"""The benchmark's query mix: what users of stm-kg actually ask, plus the named queries of ``queries/*.rq``.

Queries name concrete resources through placeholders (``{person}``, ``{org}``, ...), filled in by
:func:`sample_resources` with resources that exist in the data being measured, so that lookups hit.
"""

from __future__ import annotations

from pathlib import Path

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX opengov: <http://www.w3.org/ns/opengov#>
PREFIX stm: <https://w3id.org/stm-kg/def/ont/>
"""

#: name -> (kind, query text with placeholders). Kinds: what the query exercises.
QUERIES: dict[str, tuple[str, str]] = {
    "lookup": ("lookup", "SELECT ?p ?o WHERE { <{org}> ?p ?o }"),
    "lookup-label": ("lookup", "SELECT ?label WHERE { <{person}> skos:prefLabel ?label }"),
    "ask-type": ("lookup", "ASK { <{doc}> a foaf:Document }"),
    "search-contains": ("label search", """SELECT ?s ?label WHERE { ?s skos:prefLabel ?label
        FILTER(CONTAINS(LCASE(STR(?label)), "opvang")) } LIMIT 50"""),
    "search-prefix-lang": ("label search", """SELECT ?s ?label WHERE { ?s rdfs:label ?label
        FILTER(LANG(?label) = "en" && STRSTARTS(?label, "Campaign")) } ORDER BY ?label LIMIT 20"""),
    "join-party-members": ("join", """SELECT ?person ?name ?party WHERE {
        ?m org:member ?person ; org:organization ?p . ?p a stm:PoliticalParty ; skos:altLabel ?party .
        ?person foaf:name ?name } ORDER BY ?name LIMIT 100"""),
    "join-motion-submitters": ("join", """SELECT ?motion ?title ?name ?party WHERE {
        ?motion a opengov:Motion ; dcterms:title ?title ; dcterms:creator ?person .
        ?person foaf:name ?name . ?m org:member ?person ; org:organization ?p . ?p skos:altLabel ?party }
        LIMIT 200"""),
    "path-suborganisations": ("path", "SELECT ?unit WHERE { ?unit org:subOrganizationOf+ <{root}> }"),
    "path-count": ("path", "SELECT (COUNT(*) AS ?n) WHERE { ?x org:subOrganizationOf+ ?y }"),
    "path-citations": ("path", """SELECT (COUNT(DISTINCT ?cited) AS ?n) WHERE { <{doc}> dcterms:references+ ?cited }"""),
    "aggregate-types": ("aggregate", "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)"),
    "aggregate-latest-status": ("aggregate", """SELECT ?status (COUNT(?action) AS ?n) WHERE {
        { SELECT ?action (MAX(?date) AS ?latest) WHERE { ?r stm:reportedFor ?action ; dcterms:date ?date } GROUP BY ?action }
        ?r2 stm:reportedFor ?action ; dcterms:date ?latest ; stm:status/skos:prefLabel ?status FILTER(LANG(?status) = "nl") }
        GROUP BY ?status ORDER BY ?status"""),
    "listing-actions": ("listing", """SELECT ?action ?label ?holder ?theme ?plan ?line WHERE {
        ?action a stm:Action ; skos:prefLabel ?label FILTER(LANG(?label) = "nl")
        OPTIONAL { ?action stm:actionHolder/skos:prefLabel ?holder FILTER(LANG(?holder) = "nl") }
        OPTIONAL { ?action stm:theme/skos:prefLabel ?theme FILTER(LANG(?theme) = "nl") }
        OPTIONAL { ?action stm:partOfPlan/skos:prefLabel ?plan FILTER(LANG(?plan) = "nl") }
        OPTIONAL { ?action stm:actionLine/skos:notation ?line } }
        ORDER BY ?label ?action LIMIT 50 OFFSET 100"""),
    "listing-documents": ("listing", """SELECT ?doc ?title ?date ?id ?kind ?creator WHERE {
        ?doc a foaf:Document ; dcterms:title ?title FILTER(LANG(?title) = "nl")
        OPTIONAL { ?doc dcterms:date ?date } OPTIONAL { ?doc dcterms:identifier ?id }
        OPTIONAL { ?doc dcterms:type/skos:prefLabel ?kind FILTER(LANG(?kind) = "nl") }
        OPTIONAL { ?doc dcterms:creator/skos:prefLabel ?creator FILTER(LANG(?creator) = "nl") } }
        ORDER BY DESC(?date) ?doc LIMIT 25 OFFSET 50"""),
    "construct-body": ("construct", """CONSTRUCT { ?m org:member ?member ; org:organization ?body . ?member skos:prefLabel ?label }
        WHERE { ?m org:organization ?body ; org:member ?member . ?body a stm:CollaborationBody .
        ?member skos:prefLabel ?label }"""),
    "construct-citations": ("construct", "CONSTRUCT { ?a dcterms:references ?b } WHERE { ?a dcterms:references ?b }"),
    "describe-action": ("describe", "DESCRIBE <{action}>"),
    "negation-not-exists": ("negation", """SELECT ?action WHERE { ?action a stm:Action
        FILTER NOT EXISTS { ?action stm:statusReport/stm:status ?s FILTER(?s IN (<https://w3id.org/stm-kg/id/status/afgerond>,
        <https://w3id.org/stm-kg/id/status/opgeleverd>)) } } LIMIT 100"""),
    "negation-minus": ("negation", """SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?m org:member ?o ; org:organization ?b .
        ?b a stm:CollaborationBody MINUS { ?a stm:actionHolder ?o } }"""),
    "values-statuses": ("values", """SELECT ?status (COUNT(?r) AS ?n) WHERE {
        VALUES ?status { <https://w3id.org/stm-kg/id/status/lopend> <https://w3id.org/stm-kg/id/status/vertraagd> }
        ?r stm:status ?status } GROUP BY ?status"""),
    "values-lookup": ("values", """SELECT ?s ?label WHERE { VALUES ?s { <{org}> <{person}> <{doc}> <{action}> }
        ?s skos:prefLabel ?label }"""),
    "members-on-date": ("join", """SELECT ?member ?begin ?end WHERE { ?m org:organization <{body}> ; org:member ?member ;
        org:memberDuring ?i . ?i time:hasBeginning/time:inXSDDate ?begin
        OPTIONAL { ?i time:hasEnd/time:inXSDDate ?end }
        FILTER(?begin <= "2016-06-01"^^xsd:date && (!BOUND(?end) || ?end >= "2016-06-01"^^xsd:date)) }"""),
}

#: SPARQL used to pick the resources the placeholders stand for (the first in IRI order, so runs agree).
SAMPLES = {
    "org": "SELECT ?x WHERE { ?x a org:Organization ; org:subOrganizationOf ?y } ORDER BY ?x LIMIT 1",
    "root": "SELECT ?x WHERE { ?y org:subOrganizationOf ?x } GROUP BY ?x ORDER BY DESC(COUNT(?y)) ?x LIMIT 1",
    "person": "SELECT ?x WHERE { ?x a foaf:Person } ORDER BY ?x LIMIT 1",
    "doc": "SELECT ?x WHERE { ?x a foaf:Document ; dcterms:references ?y } ORDER BY DESC(?x) LIMIT 1",
    "action": "SELECT ?x WHERE { ?x a stm:Action } ORDER BY ?x LIMIT 1",
    "body": "SELECT ?x WHERE { ?m org:organization ?x . ?x a stm:CollaborationBody } GROUP BY ?x ORDER BY ?x LIMIT 1",
}

#: The lookup query the throughput test hammers.
THROUGHPUT_QUERY = "lookup"

#: Values for required parameters of named queries that have no default.
PARAMETER_VALUES = {"string": "mensenhandel", "text": "mensenhandel"}


def fill(text: str, samples: dict[str, str]) -> str:
    for name, value in samples.items():
        text = text.replace("{" + name + "}", value)
    return PREFIXES + text


def named_queries() -> dict[str, str]:
    """The local named queries of ``queries/*.rq`` with their defaults bound (none when the folder is absent)."""
    folder = Path(__file__).resolve().parents[2] / "queries"
    if not folder.is_dir():
        return {}
    try:
        from stm_kg.queries.catalogue import Catalogue
    except ImportError:
        return {}
    found = {}
    for query in Catalogue.load(folder).local():
        try:
            found[f"named:{query.name}"] = query.bind({}).text
        except ValueError:
            params = {p.name: PARAMETER_VALUES.get(p.name, "mensenhandel") for p in query.parameters
                      if p.required and p.default is None}
            try:
                found[f"named:{query.name}"] = query.bind(params).text
            except ValueError:
                found[f"named:{query.name}"] = query.text
    return found


def is_graph_query(text: str) -> bool:
    from stm_kg.syntax import keywords

    return bool(keywords(text, ("CONSTRUCT", "DESCRIBE")))
