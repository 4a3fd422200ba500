"""The JSON of the W3C Entity Reconciliation API: version 0.2 (what OpenRefine speaks) and the 1.0 draft.

Reading turns a client's JSON into :class:`~.matching.Query` values, or raises :class:`RequestError` with a
message that says what is wrong; writing turns candidates, suggestions and property values into the JSON each
version specifies (the tests check every answer against the specification's JSON schemas).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .index import EntityIndex, Vocabulary
from .matching import DEFAULT_LIMIT, MAX_LIMIT, Candidate, PropertyCondition, Query

#: The most queries one batch may hold (OpenRefine sends 10 at a time by default).
MAX_BATCH = 500
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort")}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}
_DATE_TIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


class RequestError(ValueError):
    """A request the service cannot answer; the message says why (answered as a 400 problem)."""


def parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError) as error:
        raise RequestError(f"'{what}' is not JSON: {error}") from None


def _limit(value, where: str) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1 or value != int(value):
        raise RequestError(f"{where}: 'limit' must be a whole number from 1; got {value!r}")
    return min(int(value), MAX_LIMIT)


def _types(value, vocabulary: Vocabulary, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise RequestError(f"{where}: 'type' must be a type identifier or a list of them; got {value!r}")
    return tuple(vocabulary.iri(n) for n in names)


def _property_values(value, where: str) -> tuple:
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, dict):
            if not isinstance(v.get("id"), str):
                raise RequestError(f"{where}: a value given as an object needs an 'id'; got {v!r}")
        elif not isinstance(v, (str, int, float, bool)):
            raise RequestError(f"{where}: a value must be a text, a number, a boolean or {{\"id\": ...}}; got {v!r}")
    if not values:
        raise RequestError(f"{where}: no value given")
    return tuple(values)


# -- version 0.2 ---------------------------------------------------------------------------------------------

_QUERY_KEYS_02 = {"query", "type", "limit", "properties", "type_strict"}


def read_queries_02(text: str, vocabulary: Vocabulary) -> dict[str, Query]:
    """The ``queries`` parameter of 0.2: ``{"q0": {"query": ..., "type": ..., ...}, ...}``."""
    batch = parse_json(text, "queries")
    if not isinstance(batch, dict) or not batch:
        raise RequestError("'queries' must be a JSON object of queries by key, e.g. {\"q0\": {\"query\": \"CoMensha\"}}")
    if len(batch) > MAX_BATCH:
        raise RequestError(f"a batch holds at most {MAX_BATCH} queries; this one has {len(batch)}")
    queries = {}
    for key, item in batch.items():
        where = f"query {key!r}"
        if not isinstance(item, dict):
            raise RequestError(f"{where} must be an object; got {item!r}")
        unknown = sorted(set(item) - _QUERY_KEYS_02)
        if unknown:
            raise RequestError(f"{where} has no field {', '.join(map(repr, unknown))}; known: {', '.join(sorted(_QUERY_KEYS_02))}")
        text_value = item.get("query")
        if text_value is not None and not isinstance(text_value, str):
            raise RequestError(f"{where}: 'query' must be a string; got {text_value!r}")
        conditions = []
        for prop in item.get("properties") or []:
            if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str) or "v" not in prop:
                raise RequestError(f"{where}: each property needs 'pid' (a string) and 'v'; got {prop!r}")
            conditions.append(PropertyCondition(vocabulary.iri(prop["pid"]), _property_values(prop["v"], where)))
        if not (text_value or "").strip() and not conditions:
            raise RequestError(f"{where} needs a non-empty 'query' or some 'properties'")
        strict = item.get("type_strict", "any")
        if strict not in ("any", "should", "all"):
            raise RequestError(f"{where}: 'type_strict' must be any, should or all; got {strict!r}")
        queries[key] = Query(text_value, _types(item.get("type"), vocabulary, where), strict,
                             _limit(item.get("limit"), where), tuple(conditions))
    return queries


def candidate_json(candidate: Candidate, index: EntityIndex, reconciler, version: str = "0.2") -> dict:
    entity = candidate.entity
    found = {"id": entity.id, "name": entity.name(), "score": candidate.score, "match": candidate.match,
             "type": [{"id": t, "name": name} for t, name in reconciler.type_list(entity, index)]}
    description = reconciler.description(entity, index)
    if description:
        found["description"] = description
    features = [{"id": key, "value": value} for key, value in candidate.features.items()]
    if version != "0.2":
        features = [{**feature, "name": feature["id"]} for feature in features]
    if features:
        found["features"] = features
    return found


def results_02(results: dict[str, list[Candidate]], index: EntityIndex, reconciler) -> dict:
    return {key: {"result": [candidate_json(c, index, reconciler) for c in candidates]} for key, candidates in results.items()}


def manifest_02(root: str, base: str, version: str, default_types: list[tuple[str, str]]) -> dict:
    service = root + "reconcile"
    return {
        "versions": ["0.2"],
        "name": "stm-kg: kennisgraaf Samen tegen mensenhandel",
        "identifierSpace": f"{base}id/",
        "schemaSpace": f"{base}def/ont/",
        "documentation": root + "reconcile/docs",
        "serviceVersion": version,
        "view": {"url": root + "id/{{id}}"},
        "defaultTypes": [{"id": t, "name": name} for t, name in default_types],
        "preview": {"url": service + "/preview?id={{id}}", "width": 430, "height": 220},
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {"propose_properties": {"service_url": service, "service_path": "/properties"}, "property_settings": []},
    }


def read_extend(text: str, vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """A data extension query, ``{"ids": [...], "properties": [{"id": ...}, ...]}`` (the same in both versions)."""
    query = text if isinstance(text, dict) else parse_json(text, "extend")
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list) or not isinstance(query.get("properties"), list):
        raise RequestError("a data extension query is {\"ids\": [...], \"properties\": [{\"id\": ...}, ...]}")
    ids = query["ids"]
    if not all(isinstance(i, str) for i in ids) or len(ids) > MAX_BATCH:
        raise RequestError(f"'ids' must be at most {MAX_BATCH} entity identifiers (strings)")
    props = []
    for prop in query["properties"]:
        if not isinstance(prop, dict) or not isinstance(prop.get("id"), str) or not prop["id"]:
            raise RequestError(f"each property of a data extension query needs an 'id'; got {prop!r}")
        props.append(prop["id"])
    return ids, props


def value_json(value: str, kind: str, extra, reconciler) -> dict:
    """One property value in a data extension answer (an entity, a text, a number or a date and time)."""
    if kind == "iri":
        if extra is not None:  # a thing of the graph, by its id
            return {"id": reconciler.local_id(value), "name": extra}
        return {"str": value}
    if kind in _INTEGERS:
        try:
            return {"int": int(value)}
        except ValueError:
            pass
    if kind in _FLOATS:
        try:
            return {"float": float(value)}
        except ValueError:
            pass
    if kind == XSD + "dateTime" and _DATE_TIME.match(value):
        return {"date": value}
    return {"str": value}


def extend_02(ids: list[str], props: list[str], names: dict[str, str], found, reconciler) -> dict:
    """``{"meta": [...], "rows": {id: {property: [values]}}}``; properties are given back as they were asked."""
    entities, values = found
    rows = {}
    for entity_id in ids:
        entity = entities.get(entity_id)
        have = values.get(entity.iri, {}) if entity is not None else {}
        rows[entity_id] = {prop: [value_json(v, kind, extra, reconciler) for v, kind, extra in have.get(reconciler.vocabulary.iri(prop), [])]
                           for prop in props}
    return {"meta": [{"id": prop, "name": names[reconciler.vocabulary.iri(prop)]} for prop in props], "rows": rows}


# -- version 1.0-draft ---------------------------------------------------------------------------------------


def read_queries_10(body, vocabulary: Vocabulary) -> list[Query]:
    """A 1.0-draft batch: ``{"queries": [{"type": ..., "limit": ..., "conditions": [...]}]}``."""
    if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
        raise RequestError("a reconciliation query batch is {\"queries\": [{\"conditions\": [...]}, ...]}")
    if len(body["queries"]) > MAX_BATCH:
        raise RequestError(f"a batch holds at most {MAX_BATCH} queries; this one has {len(body['queries'])}")
    queries = []
    for number, item in enumerate(body["queries"]):
        where = f"query {number}"
        if not isinstance(item, dict) or not isinstance(item.get("conditions"), list) or not item["conditions"]:
            raise RequestError(f"{where} needs a non-empty list of 'conditions'")
        texts, conditions, required = [], [], set()
        for condition in item["conditions"]:
            if not isinstance(condition, dict) or condition.get("matchType") not in ("name", "id", "property"):
                raise RequestError(f"{where}: each condition needs a 'matchType' of name, id or property; got {condition!r}")
            if condition.get("matchQuantifier", "any") != "any":
                raise RequestError(f"{where}: only matchQuantifier 'any' is offered; got {condition['matchQuantifier']!r}")
            values = _property_values(condition.get("propertyValue"), where)
            if condition["matchType"] == "property":
                if not isinstance(condition.get("propertyId"), str):
                    raise RequestError(f"{where}: a property condition needs a 'propertyId'")
                prop = vocabulary.iri(condition["propertyId"])
                conditions.append(PropertyCondition(prop, values))
                if condition.get("required"):
                    required.add(prop)
            else:  # a name, or an identifier: both are tried as identifiers first, then as names
                texts += [v if isinstance(v, str) else v.get("id", "") if isinstance(v, dict) else str(v) for v in values]
        if not texts and not conditions:
            raise RequestError(f"{where} has no condition to match")
        if len(texts) > 1:
            raise RequestError(f"{where}: give one name or id condition with one value; got {len(texts)}")
        queries.append(Query(texts[0] if texts else None, _types(item.get("type"), vocabulary, where), "any",
                             _limit(item.get("limit"), where), tuple(conditions), frozenset(required)))
    return queries


def results_10(results: list[list[Candidate]], index: EntityIndex, reconciler) -> dict:
    return {"results": [{"candidates": [candidate_json(c, index, reconciler, "1.0") for c in candidates]} for candidates in results]}


def manifest_10(root: str, base: str, version: str, default_types: list[tuple[str, str]]) -> dict:
    return {
        "versions": ["1.0-draft"],
        "name": "stm-kg: kennisgraaf Samen tegen mensenhandel",
        "lang": "nl",
        "documentation": root + "reconcile/docs",
        "serviceVersion": version,
        "view": {"url": root + "id/{id}"},
        "defaultTypes": [{"id": t, "name": name} for t, name in default_types],
        "suggest": {"entity": True, "property": True, "type": True},
        "preview": {"width": 430, "height": 220},
        "extend": {"proposeProperties": True, "propertySettings": []},
    }


def extend_10(ids: list[str], props: list[str], names: dict[str, str], found, reconciler) -> dict:
    by_id = extend_02(ids, props, names, found, reconciler)
    rows = [{"id": entity_id, "properties": [{"id": prop, "values": values} for prop, values in by_prop.items()]}
            for entity_id, by_prop in by_id["rows"].items()]
    return {"meta": by_id["meta"], "rows": rows}
