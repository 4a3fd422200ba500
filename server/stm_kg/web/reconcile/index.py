"""What can be reconciled: every thing under ``{base}id/``, with its names, identifiers and types, read from the
store through the store interface (four SELECTs), so that it works the same on the embedded and on a remote
store.

Entity identifiers are the part of the IRI after ``{base}id/`` (``organisatie/comensha``): the manifest's
``identifierSpace`` is ``{base}id/``. Types and properties are written as prefixed names where the project has
a prefix (``org:Organization``, ``stm:CollaborationBody``), else as full IRIs; both are understood.

An index is built once per published generation of the data (:mod:`..linked_data.dumps`: a write makes a new
one) and at most :data:`MAX_AGE` seconds old (in front of a remote server that others write to as well).
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import process
from rdflib import URIRef

from ...namespaces import PREFIXES
from ...pipeline.compile import rebase
from ...store.interface import FormatChoice, KnowledgeStore
from .names import near_enough, normal

SPARQL_JSON = "application/sparql-results+json"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: The properties whose values are a thing's names, best first for display. ``skos:hiddenLabel`` is where
#: SKOS puts misspellings (the OCR variants of a name, where the data records them): matched, never shown.
NAME_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", FOAF + "name", DCTERMS + "title", SKOS + "altLabel",
                   SKOS + "hiddenLabel")
SHOWN_NAMES = NAME_PROPERTIES[:4]
#: The properties whose values identify a thing elsewhere: a query equal to one matches it exactly
#: (a Kamerstuk's ``kst-28638-244``, a CELEX number, a TOOI URI by ``owl:sameAs``, a web page).
IDENTIFIER_PROPERTIES = (DCTERMS + "identifier", SKOS + "notation", OWL + "sameAs", FOAF + "page")
#: Types too general to tell anything apart.
GENERIC_TYPES = {OWL + "Thing", OWL + "NamedIndividual", RDFS + "Resource", "http://www.w3.org/ns/prov#Entity"}
#: Seconds an index may serve before it is built again even when no write was published here.
MAX_AGE = 30.0


class Vocabulary:
    """Prefixed names of the project's prefixes (moved to the URI base in use), both ways."""

    def __init__(self, base: str):
        self.prefixes = {prefix: str(rebase(URIRef(namespace), base)) for prefix, namespace in PREFIXES.items()}
        self._longest_first = sorted(self.prefixes.items(), key=lambda item: -len(item[1]))

    def short(self, iri: str) -> str:
        for prefix, namespace in self._longest_first:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if all(c.isalnum() or c in "_-." for c in local):
                    return f"{prefix}:{local}"
        return iri

    def iri(self, name: str) -> str:
        """The IRI of a prefixed name or an IRI (an unknown prefix: the text as it is, taken for an IRI)."""
        prefix, colon, local = name.partition(":")
        if colon and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return name


@dataclass
class Entity:
    """A thing that can be a candidate."""

    iri: str
    id: str
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (property, text, language)
    types: set[str] = field(default_factory=set)

    def name(self) -> str:
        """The name to show: a Dutch preferred label first, then the other name properties, then the id."""
        for prop in SHOWN_NAMES:
            texts = [(lang != "nl", text) for p, text, lang in self.names if p == prop]
            if texts:
                return min(texts)[1]
        return self.id

    def other_names(self) -> list[str]:
        shown = self.name()
        return sorted({text for p, text, _ in self.names if p == SKOS + "altLabel" and text != shown})


@dataclass(frozen=True)
class Label:
    """One name of one entity, in normal form."""

    entity: str  # IRI
    form: str


class EntityIndex:
    """The entities of one state of the store, findable by name and by identifier."""

    def __init__(self, base: str, entities: dict[str, Entity], identifiers: dict[str, set[str]],
                 type_names: dict[str, str]):
        self.base = base
        self.prefix = f"{base}id/"
        self.entities = entities
        self.identifiers = identifiers  # casefolded identifier or IRI -> entity IRIs
        self.type_names = type_names
        self.labels: list[Label] = []
        self.by_form: dict[str, list[Label]] = defaultdict(list)
        for entity in entities.values():
            for form in sorted({normal(text) for _, text, _ in entity.names} - {""}):
                label = Label(entity.iri, form)
                self.labels.append(label)
                self.by_form[form].append(label)
        self._forms = [label.form for label in self.labels]

    def by_id(self, entity_id: str) -> Entity | None:
        """The entity of an identifier: its local id, or its IRI under this base."""
        iri = entity_id if entity_id.startswith(self.prefix) else self.prefix + entity_id
        return self.entities.get(iri)

    def identified_by(self, text: str) -> set[str]:
        """IRIs of the entities that ``text`` identifies exactly (an identifier, an IRI they are the same as)."""
        key = text.strip().casefold()
        found = set(self.identifiers.get(key, ()))
        own = self.by_id(text.strip())
        if own is not None:
            found.add(own.iri)
        return found

    def near(self, form: str, at_most: int = 60, floor: float = 50.0) -> list[Label]:
        """The labels worth scoring for the normal form ``form``: its exact namesakes and the ``at_most`` nearest
        others by a generous first look (:func:`.names.near_enough`), none under ``floor``."""
        found = list(self.by_form.get(form, ()))
        for _, _, number in process.extract(form, self._forms, scorer=near_enough, limit=at_most, score_cutoff=floor):
            if self.labels[number].form != form:
                found.append(self.labels[number])
        return found

    def type_name(self, iri: str) -> str:
        return self.type_names.get(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def select(store: KnowledgeStore, query: str, timeout: float | None) -> list[dict]:
    """The bindings of a SELECT through the store interface (SPARQL JSON results)."""
    body = store.query(query, FormatChoice(SPARQL_JSON, None), timeout=timeout).body
    return json.loads(body)["results"]["bindings"]


def _values(iris) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def build(store: KnowledgeStore, base: str, timeout: float | None = None) -> EntityIndex:
    """Read the entities under ``{base}id/`` from ``store``."""
    prefix = f"{base}id/"
    under = f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{prefix}"))'
    entities: dict[str, Entity] = {}

    def entity(iri: str) -> Entity:
        if iri not in entities:
            entities[iri] = Entity(iri, iri[len(prefix):])
        return entities[iri]

    for row in select(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_values(NAME_PROPERTIES)} }} ?s ?p ?o . {under} FILTER(isLiteral(?o)) }}", timeout):
        entity(row["s"]["value"]).names.append((row["p"]["value"], row["o"]["value"], row["o"].get("xml:lang", "")))
    for row in select(store, f"SELECT ?s ?t WHERE {{ ?s a ?t . {under} FILTER(isIRI(?t)) }}", timeout):
        if row["t"]["value"] not in GENERIC_TYPES:
            entity(row["s"]["value"]).types.add(row["t"]["value"])
    identifiers: dict[str, set[str]] = defaultdict(set)
    for row in select(store, f"SELECT ?s ?o WHERE {{ VALUES ?p {{ {_values(IDENTIFIER_PROPERTIES)} }} ?s ?p ?o . {under} FILTER(!isBlank(?o)) }}", timeout):
        identifiers[row["o"]["value"].strip().casefold()].add(entity(row["s"]["value"]).iri)
    type_names: dict[str, str] = {}
    rows = select(store, f"""SELECT ?t ?label WHERE {{
  {{ SELECT DISTINCT ?t WHERE {{ ?s a ?t . {under} }} }}
  VALUES ?p {{ <{SKOS}prefLabel> <{RDFS}label> }} ?t ?p ?label . FILTER(LANGMATCHES(LANG(?label), "nl") || LANG(?label) = "")
}}""", timeout)
    for row in rows:
        type_names.setdefault(row["t"]["value"], row["label"]["value"])
    return EntityIndex(base, entities, dict(identifiers), type_names)


class IndexCache:
    """The index of the current state of the store: built again after a published write or :data:`MAX_AGE`."""

    def __init__(self, store: KnowledgeStore, base: str, generation=lambda: None, timeout: float | None = None):
        self._store = store
        self._base = base
        self._generation = generation
        self._timeout = timeout
        self._lock = threading.Lock()
        self._current: tuple[object, float, EntityIndex] | None = None

    def get(self) -> EntityIndex:
        key = self._generation()
        current = self._current
        if current is not None and current[0] == key and time.monotonic() - current[1] < MAX_AGE:
            return current[2]
        with self._lock:  # one build at a time; the others wait for it and share it
            current = self._current
            if current is not None and current[0] == key and time.monotonic() - current[1] < MAX_AGE:
                return current[2]
            index = build(self._store, self._base, self._timeout)
            self._current = (key, time.monotonic(), index)
            return index
