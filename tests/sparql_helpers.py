"""SPARQL helpers for tests that ask the compiled dataset the way a client would, with standard prefixes."""

from __future__ import annotations

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX stm: <https://w3id.org/stm-kg/def/ont/>
"""
ID = "https://w3id.org/stm-kg/id/"


def rows(dataset, query: str) -> list[tuple]:
    return [tuple(row) for row in dataset.query(PREFIXES + query)]


def ask(dataset, query: str) -> bool:
    return bool(dataset.query(PREFIXES + query).askAnswer)


def no_counter_examples(dataset, query: str, what: str) -> None:
    found = rows(dataset, query)
    assert not found, f"{what}:\n" + "\n".join(" ".join(str(term) for term in row) for row in found[:40])
