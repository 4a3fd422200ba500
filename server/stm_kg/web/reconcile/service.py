"""The reconciliation service of one app: the index of the current data, and what each request asks of it, in
plain values (the JSON of either API version is :mod:`.protocol`'s)."""

from __future__ import annotations

from dataclasses import dataclass

from ...store.interface import KnowledgeStore
from . import schema
from .index import Entity, EntityIndex, IndexCache, Vocabulary
from .matching import Candidate, Query, reconcile
from .names import normal

AGENT = "http://xmlns.com/foaf/0.1/Agent"

#: The types OpenRefine offers first (those of them that have things in the data), in this order.
DEFAULT_TYPES = ("org:Organization", "stm:CollaborationBody", "foaf:Person", "stm:PoliticalParty", "foaf:Document",
                 "stm:Motion", "stm:Action", "skos:Concept")


@dataclass(frozen=True)
class Suggestion:
    entity: Entity
    types: list[tuple[str, str]]


class Reconciler:
    """Reconciliation against ``store`` (URI base ``base``); ``generation()`` tells when the data changed."""

    def __init__(self, store: KnowledgeStore, base: str, generation=lambda: None, timeout: float | None = None):
        self.store = store
        self.base = base
        self.timeout = timeout
        self.vocabulary = Vocabulary(base)
        self._indexes = IndexCache(store, base, generation, timeout)

    def index(self) -> EntityIndex:
        return self._indexes.get()

    def local_id(self, iri: str) -> str:
        return iri[len(f"{self.base}id/"):] if iri.startswith(f"{self.base}id/") else iri

    def type_list(self, entity: Entity, index: EntityIndex) -> list[tuple[str, str]]:
        """(prefixed name, name) of the entity's types, the project's own first (foaf:Agent, implied by every
        person and organisation, only when it is the only one)."""
        own = f"{self.base}def/ont/"
        shown = entity.types - {AGENT} or entity.types
        ordered = sorted(shown, key=lambda t: (not t.startswith(own), index.type_name(t)))
        return [(self.vocabulary.short(t), index.type_name(t)) for t in ordered]

    def description(self, entity: Entity, index: EntityIndex) -> str:
        kinds = [name for _, name in self.type_list(entity, index)[:2]]
        return " · ".join([", ".join(kinds), *entity.other_names()[:3]]).strip(" ·")

    # -- reconciliation ----------------------------------------------------------------------------------

    def reconcile(self, queries: dict[str, Query]) -> dict[str, list[Candidate]]:
        index = self.index()

        def fetch(entities, props):
            return schema.values(self.store, entities, props, self.timeout)

        return {key: reconcile(index, query, fetch) for key, query in queries.items()}

    def default_types(self) -> list[tuple[str, str]]:
        present = {t.iri: t.name for t in schema.types(self.store, self.base, self.timeout)}
        chosen = []
        for name in DEFAULT_TYPES:
            iri = self.vocabulary.iri(name)
            if iri in present:
                chosen.append((name, present[iri]))
        return chosen

    # -- suggest ----------------------------------------------------------------------------------------

    def suggest_entities(self, prefix: str, types: tuple[str, ...], start: int, limit: int) -> list[Suggestion]:
        """Things with a name that starts with ``prefix``, or has a word that does; exact names first."""
        index = self.index()
        form = normal(prefix)
        found: list[tuple[int, str, Entity]] = []
        for entity in index.entities.values():
            if types and not any(t in entity.types for t in types):
                continue
            forms = [normal(text) for _, text, _ in entity.names]
            if not form:
                rank = 3
            elif form in forms:
                rank = 0
            elif any(f.startswith(form) for f in forms):
                rank = 1
            elif any(word.startswith(form) for f in forms for word in f.split()) or (" " in form and any(form in f for f in forms)):
                rank = 2
            else:
                continue
            found.append((rank, entity.name().casefold(), entity))
        found.sort(key=lambda item: (item[0], item[1], item[2].id))
        return [Suggestion(entity, self.type_list(entity, index)) for _, _, entity in found[start:start + limit]]

    def suggest_types(self, prefix: str, limit: int) -> list[schema.Term]:
        return schema.matching(schema.types(self.store, self.base, self.timeout), prefix, self.vocabulary)[:limit]

    def suggest_properties(self, prefix: str, limit: int) -> list[schema.Term]:
        return schema.matching(schema.properties(self.store, self.base, self.timeout), prefix, self.vocabulary)[:limit]

    # -- data extension -----------------------------------------------------------------------------------

    def propose_properties(self, of_type: str | None, limit: int) -> list[schema.Term]:
        return schema.properties(self.store, self.base, self.timeout, of_type)[:limit]

    def property_names(self, props: list[str]) -> dict[str, str]:
        known = {t.iri: t.name for t in schema.properties(self.store, self.base, self.timeout)}
        return {p: known.get(p) or p.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in props}

    def extend(self, ids: list[str], props: list[str]):
        """``(known entities by id, {iri: {property: [(value, datatype or "iri", name or language)]}})``."""
        index = self.index()
        entities = {entity_id: index.by_id(entity_id) for entity_id in ids}
        iris = [e.iri for e in entities.values() if e is not None]
        return entities, schema.extension_values(self.store, index, iris, props, self.timeout)
