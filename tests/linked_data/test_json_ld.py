"""JSON-LD of the descriptions: compact, with the published context, the resource at the top.

Read two ways, each fetching the context over HTTP from the server, as a client would: with pyld (the
JSON-LD reference processor for Python) and with rdflib; both give exactly the triples of the Turtle form
(isomorphic: blank nodes may be named differently). Then read as a web developer would, with ``json`` only.
"""

from __future__ import annotations

import json

import pytest
import requests
from ld_helpers import BASE, sparql_select
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

DESCRIBED = [
    "doc/persoon/tseggai",
    "doc/overleg/regiegroep",
    "doc/organisatie/comensha",
    "doc/actie/ckm-proeftuin-aangiftebereidheid",
    "def/ont/quote",
    "def/ont",
]


def as_turtle(server, path: str) -> Graph:
    response = requests.get(f"{server.url}/{path}", headers={"Accept": "text/turtle"}, timeout=30)
    response.raise_for_status()
    return Graph().parse(data=response.text, format="turtle")


def as_json_ld(server, path: str) -> dict:
    response = requests.get(f"{server.url}/{path}", headers={"Accept": "application/ld+json"}, timeout=30)
    response.raise_for_status()
    assert response.headers["Content-Type"].startswith("application/ld+json")
    return response.json()


def read_with_pyld(document: dict) -> Graph:
    loader = jsonld.requests_document_loader(timeout=30)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    return Graph().parse(data=nquads, format="nquads")


def test_the_context_is_published_as_json_ld_for_any_origin(ld_server):
    response = requests.get(f"{ld_server.url}/def/context.jsonld", headers={"Origin": "https://example.org"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    terms = response.json()["@context"]
    assert terms["org"] == "http://www.w3.org/ns/org#"
    assert terms["memberOf"] == {"@id": "org:memberOf", "@type": "@id"}


@pytest.mark.parametrize("path", DESCRIBED)
def test_json_ld_reads_back_into_the_triples_of_the_turtle_form(ld_server, path):
    turtle = as_turtle(ld_server, path)
    document = as_json_ld(ld_server, path)
    assert document["@context"] == f"{ld_server.url}/def/context.jsonld"
    loader = jsonld.requests_document_loader(timeout=30)
    (top,) = jsonld.expand(document, {"documentLoader": loader})  # one node: the resource, everything inside it
    assert top["@id"] == BASE + path.replace("doc/", "id/", 1)
    assert len(turtle) > 10
    by_pyld = read_with_pyld(document)
    assert isomorphic(by_pyld, turtle), f"pyld: {len(by_pyld)} triples, Turtle {len(turtle)}"
    by_rdflib = Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(by_rdflib, turtle), f"rdflib: {len(by_rdflib)} triples, Turtle {len(turtle)}"


def test_a_web_developer_reads_name_member_of_and_source_directly(ld_server):
    person = as_json_ld(ld_server, "doc/persoon/tseggai.jsonld")
    assert person["name"] == "Tseggai"
    assert person["prefLabel"]["nl"] == "Tseggai"
    assert person["memberOf"]["@id"] == BASE + "id/partij/gl-pvda"
    assert person["memberOf"]["prefLabel"]["nl"] == "GroenLinks-PvdA"  # linked resources come with their labels
    assert person["source"] == "https://janvanzanen.denhaag.nl/afscheid-mikal-tseggai/"
    derivations = person["qualifiedDerivation"]
    assert all("@id" not in d for d in derivations)  # blank nodes are embedded, not referenced
    assert "Tseggai (GL/PvdA)" in {d["quote"].get("nl") for d in derivations}


def test_dates_and_texts_read_as_plain_values(ld_server):
    action = as_json_ld(ld_server, "doc/actie/ckm-proeftuin-aangiftebereidheid.jsonld")
    assert isinstance(action["prefLabel"]["nl"], str)
    reports = action["statusReport"] if isinstance(action["statusReport"], list) else [action["statusReport"]]
    assert reports and all(report["@id"].startswith(BASE + "id/statusrapportage/") for report in reports)


def test_every_property_of_the_data_has_a_short_name_or_a_prefix(ld_server):
    terms = requests.get(f"{ld_server.url}/def/context.jsonld", timeout=30).json()["@context"]
    namespaces = [value for value in terms.values() if isinstance(value, str) and value.endswith(("/", "#"))]
    rows = sparql_select(ld_server, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
    without = [row["p"]["value"] for row in rows if not any(row["p"]["value"].startswith(ns) for ns in namespaces)]
    assert without == []


def test_every_short_name_stands_for_a_property_the_graph_mentions(ld_server):
    """No term for a property nobody uses (or misspelt): each one's IRI occurs in the served graph."""
    terms = requests.get(f"{ld_server.url}/def/context.jsonld", timeout=30).json()["@context"]
    prefixes = {name: value for name, value in terms.items() if isinstance(value, str) and value.endswith(("/", "#"))}

    def expand(compact: str) -> str:
        prefix, _, local = compact.partition(":")
        return prefixes[prefix] + local

    named = {term: expand(value if isinstance(value, str) else value["@id"])
             for term, value in terms.items() if term not in prefixes and not term.startswith("@")}
    values = " ".join(f"<{iri}>" for iri in named.values())
    rows = sparql_select(ld_server, f"SELECT DISTINCT ?p WHERE {{ VALUES ?p {{ {values} }} {{ ?s ?p ?o }} UNION {{ ?p ?q ?o }} }}")
    assert set(named.values()) - {row["p"]["value"] for row in rows} == set()
