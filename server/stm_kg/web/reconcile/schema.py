"""The types and properties the service offers, and the values of properties: for suggest, property proposals,
data extension and the properties of a query, all read from the store through the store interface."""

from __future__ import annotations

from dataclasses import dataclass

from ...store.interface import KnowledgeStore
from .index import GENERIC_TYPES, RDF_TYPE, RDFS, SKOS, EntityIndex, Vocabulary, select
from .names import normal

#: Names of values that are things: the same properties a thing's name is shown from.
_VALUE_NAMES = (SKOS + "prefLabel", RDFS + "label", "http://xmlns.com/foaf/0.1/name", "http://purl.org/dc/terms/title")
_LIMIT_TERMS = 500


@dataclass(frozen=True)
class Term:
    """A type or a property: its IRI, name, and how many things use it."""

    iri: str
    name: str
    uses: int


def _label_clause(variable: str) -> str:
    return (f"OPTIONAL {{ VALUES ?lp {{ <{SKOS}prefLabel> <{RDFS}label> }} {variable} ?lp ?label "
            f'FILTER(LANGMATCHES(LANG(?label), "nl") || LANG(?label) = "") }}')


def _terms(rows) -> list[Term]:
    found: dict[str, Term] = {}
    for row in rows:
        iri = row["t"]["value"]
        name = row["label"]["value"] if "label" in row else iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if iri not in found or ("label" in row and found[iri].name != name and len(name) < len(found[iri].name)):
            found[iri] = Term(iri, name, int(row["n"]["value"]))
    return sorted(found.values(), key=lambda t: (-t.uses, t.name))


def types(store: KnowledgeStore, base: str, timeout: float | None) -> list[Term]:
    """Every class with instances under ``{base}id/``, most used first."""
    rows = select(store, f"""SELECT ?t ?n ?label WHERE {{
  {{ SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?t . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/") && isIRI(?t)) }} GROUP BY ?t }}
  {_label_clause("?t")}
}} LIMIT {_LIMIT_TERMS}""", timeout)
    return [t for t in _terms(rows) if t.iri not in GENERIC_TYPES]


def properties(store: KnowledgeStore, base: str, timeout: float | None, of_type: str | None = None) -> list[Term]:
    """Every property things under ``{base}id/`` (of ``of_type``) have a value of that is no blank node."""
    typed = f"?s a <{of_type}> ." if of_type else ""
    rows = select(store, f"""SELECT ?t ?n ?label WHERE {{
  {{ SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {typed} ?s ?t ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/") && !isBlank(?o)) }} GROUP BY ?t }}
  {_label_clause("?t")}
}} LIMIT {_LIMIT_TERMS}""", timeout)
    return [t for t in _terms(rows) if t.iri != RDF_TYPE]


def matching(terms: list[Term], prefix: str, vocabulary: Vocabulary) -> list[Term]:
    """The terms whose name, prefixed name or IRI starts with ``prefix`` or has a word that does."""
    form = normal(prefix)
    if not form:
        return terms
    chosen = []
    for term in terms:
        short = vocabulary.short(term.iri)
        words = normal(term.name).split() + normal(short).split()
        if normal(term.name).startswith(form) or normal(short).startswith(form) or any(w.startswith(form) for w in words):
            chosen.append(term)
    return chosen


def values(store: KnowledgeStore, entities: list[str], props: list[str], timeout: float | None):
    """``{entity: {property: [(value, "iri" | "literal" | "datatype IRI", names)]}}`` (blank nodes left out)."""
    if not entities or not props:
        return {}
    rows = select(store, f"""SELECT ?s ?p ?o ?name WHERE {{
  VALUES ?s {{ {" ".join(f"<{e}>" for e in entities)} }}
  VALUES ?p {{ {" ".join(f"<{p}>" for p in props)} }}
  ?s ?p ?o . FILTER(!isBlank(?o))
  OPTIONAL {{ VALUES ?np {{ {" ".join(f"<{p}>" for p in _VALUE_NAMES)} }} ?o ?np ?name . FILTER(isIRI(?o)) }}
}}""", timeout)
    found: dict[str, dict[str, dict[tuple[str, str], list[str]]]] = {}
    for row in rows:
        value = row["o"]
        kind = "iri" if value["type"] == "uri" else "literal"
        key = (value["value"], kind if kind == "iri" else value.get("datatype", ""))
        names = found.setdefault(row["s"]["value"], {}).setdefault(row["p"]["value"], {}).setdefault(key, [])
        if "name" in row:
            names.append(row["name"]["value"])
    return {s: {p: [(v, "iri" if kind == "iri" else "literal", names) for (v, kind), names in by_value.items()]
                for p, by_value in by_property.items()} for s, by_property in found.items()}


def extension_values(store: KnowledgeStore, index: EntityIndex, entities: list[str], props: list[str], timeout: float | None):
    """``{entity: {property: [(value, datatype or "iri", name)]}}``: what data extension returns, in order."""
    rows = select(store, f"""SELECT ?s ?p ?o WHERE {{
  VALUES ?s {{ {" ".join(f"<{e}>" for e in entities)} }}
  VALUES ?p {{ {" ".join(f"<{p}>" for p in props)} }}
  ?s ?p ?o . FILTER(!isBlank(?o))
}} ORDER BY ?s ?p ?o""", timeout) if entities and props else []
    found: dict[str, dict[str, list]] = {}
    for row in rows:
        value = row["o"]
        if value["type"] == "uri":
            entity = index.entities.get(value["value"])
            item = (value["value"], "iri", entity.name() if entity else None)
        else:
            item = (value["value"], value.get("datatype", ""), value.get("xml:lang"))
        found.setdefault(row["s"]["value"], {}).setdefault(row["p"]["value"], []).append(item)
    return found
