"""Candidates for a query, their scores, and when the best one is a certain match.

A query's text is first tried as an identifier (a value of ``dcterms:identifier``, an ``owl:sameAs`` IRI such
as a TOOI URI, an entity's own IRI or id): what it identifies scores 100. Otherwise every name of every entity
near it (:meth:`.index.EntityIndex.near`) is scored by :func:`.names.likeness`; an entity scores its best name, times 100.
Types filter the candidates (``type_strict`` "any", the default, or "all") or rank them ("should": candidates
of none of the types lose :data:`OFF_TYPE`). Each property of the query whose values the candidate has adds
:data:`PROPERTY_AGREES` when one agrees and takes :data:`PROPERTY_DISAGREES` when none does.

The best candidate is a **match** (OpenRefine then takes it without asking) only when it is certain: it is the
one candidate the query names exactly (an identifier, or one of its names in normal form) and no type or
property of the query speaks against it (its score stays at least :data:`CERTAIN`), or it scores at least
:data:`CERTAIN` and the next one at least :data:`MARGIN` less. Two things with the same name, or an
abbreviation two things share, are therefore never matched automatically; nor is a name that resembles only
weakly. Candidates under :data:`FLOOR` are not offered at all (a nonsense name gets none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .index import Entity, EntityIndex
from .names import likeness, normal

CERTAIN = 90.0
MARGIN = 10.0
FLOOR = 60.0
OFF_TYPE = 20.0
PROPERTY_AGREES = 10.0
PROPERTY_DISAGREES = 20.0
DEFAULT_LIMIT = 5
MAX_LIMIT = 100


@dataclass(frozen=True)
class PropertyCondition:
    """Values a candidate's property should have: each a text, a number, a boolean or ``{"id": ...}``."""

    property: str  # IRI
    values: tuple


@dataclass(frozen=True)
class Query:
    text: str | None
    types: tuple[str, ...] = ()  # IRIs
    type_strict: str = "any"
    limit: int = DEFAULT_LIMIT
    conditions: tuple[PropertyCondition, ...] = ()
    required: frozenset[str] = frozenset()  # properties that must agree (1.0-draft "required")


@dataclass
class Candidate:
    entity: Entity
    score: float
    match: bool = False
    features: dict[str, float | bool] = field(default_factory=dict)
    exact: bool = False  # the query names it exactly: an identifier of it, or one of its names


#: Fetches, for entity IRIs and property IRIs, each entity's values of each property as
#: ``(value, kind, names)``: kind "iri" or "literal", names the value's own names when it is an IRI.
ValueFetcher = Callable[[list[str], list[str]], dict[str, dict[str, list[tuple[str, str, list[str]]]]]]


def _agrees(wanted, value: str, kind: str, names: list[str], index: EntityIndex) -> bool:
    if isinstance(wanted, dict):
        wanted = wanted.get("id", "")
        return kind == "iri" and (value == wanted or value == index.prefix + wanted)
    if isinstance(wanted, bool):
        return kind == "literal" and value.lower() == str(wanted).lower()
    if isinstance(wanted, (int, float)):
        try:
            return kind == "literal" and float(value) == float(wanted)
        except ValueError:
            return False
    text = str(wanted)
    if kind == "iri" and (value == text or value == index.prefix + text):
        return True
    form = normal(text)
    return bool(form) and any(normal(candidate) == form for candidate in ([value] if kind == "literal" else names))


def _name_scores(index: EntityIndex, text: str) -> dict[str, tuple[float, bool]]:
    """Entity IRI -> (score of its best name, whether that name is the query's exactly)."""
    form = normal(text)
    scores: dict[str, tuple[float, bool]] = {}
    if not form:
        return scores
    for label in index.near(form):
        score = 100.0 * likeness(form, label.form)
        if score > scores.get(label.entity, (0.0, False))[0]:
            scores[label.entity] = (score, label.form == form)
    return scores


def _typed(entity: Entity, query: Query) -> bool:
    if not query.types:
        return True
    if query.type_strict == "all":
        return all(t in entity.types for t in query.types)
    return any(t in entity.types for t in query.types)


def reconcile(index: EntityIndex, query: Query, fetch_values: ValueFetcher) -> list[Candidate]:
    """The candidates for ``query``, best first, at most ``query.limit``, the first marked when it is certain."""
    candidates: dict[str, Candidate] = {}
    if query.text is not None and query.text.strip():
        for iri in index.identified_by(query.text):
            candidates[iri] = Candidate(index.entities[iri], 100.0, features={"identifier": True}, exact=True)
        if not candidates:
            for iri, (score, exact) in _name_scores(index, query.text).items():
                candidates[iri] = Candidate(index.entities[iri], score, features={"name": round(score, 1)}, exact=exact)
    elif query.conditions:  # properties only: every entity of the types is a candidate, properties decide
        candidates = {iri: Candidate(entity, 0.0) for iri, entity in index.entities.items() if _typed(entity, query)}
    for iri, candidate in list(candidates.items()):
        if _typed(candidate.entity, query):
            continue
        if query.type_strict == "should":
            candidate.score -= OFF_TYPE
            candidate.features["type"] = False
        else:
            del candidates[iri]
    if query.conditions and candidates:
        _weigh_properties(index, query, candidates, fetch_values)
    ranked = sorted((c for c in candidates.values() if c.score >= FLOOR), key=lambda c: (-c.score, c.entity.name(), c.entity.id))
    for candidate in ranked:
        candidate.score = round(max(0.0, min(100.0, candidate.score)), 1)
    if ranked:
        named_exactly = [c for c in ranked if c.exact]
        unique = len(named_exactly) == 1 and named_exactly[0] is ranked[0] and ranked[0].score >= CERTAIN
        clear = ranked[0].score >= CERTAIN and (len(ranked) == 1 or ranked[0].score - ranked[1].score >= MARGIN)
        ranked[0].match = unique or clear
    return ranked[: query.limit]


def _weigh_properties(index: EntityIndex, query: Query, candidates: dict[str, Candidate], fetch_values: ValueFetcher) -> None:
    name_given = query.text is not None and query.text.strip() != ""
    ordered = sorted(candidates.values(), key=lambda c: -c.score)[:MAX_LIMIT] if name_given else list(candidates.values())
    values = fetch_values([c.entity.iri for c in ordered], [condition.property for condition in query.conditions])
    for iri in list(candidates):
        if name_given and candidates[iri] not in ordered:
            del candidates[iri]
    for candidate in list(candidates.values()):
        have = values.get(candidate.entity.iri, {})
        agreed = 0
        for condition in query.conditions:
            found = have.get(condition.property, [])
            agrees = any(_agrees(wanted, *value, index) for wanted in condition.values for value in found)
            candidate.features[f"property:{condition.property}"] = agrees
            if agrees:
                agreed += 1
                candidate.score += PROPERTY_AGREES
            elif found:
                candidate.score -= PROPERTY_DISAGREES
            if condition.property in query.required and not agrees:
                del candidates[candidate.entity.iri]
                break
        else:
            if not name_given:  # properties only: the share of them that agree
                candidate.score = 100.0 * agreed / len(query.conditions)
