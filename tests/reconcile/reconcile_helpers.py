"""Helpers of the reconciliation tests: the specification's JSON schemas (vendored in tests/standards/) as
validators, and requests made the way OpenRefine makes them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import requests
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPECS = Path(__file__).resolve().parents[1] / "standards" / "reconciliation-api"
VERSIONS = ("0.2", "1.0-draft")
#: What OpenRefine sends with a batch of queries: a form-encoded POST, its JSON in the field "queries".
OPENREFINE_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": "application/json"}


@cache
def registry(version: str) -> Registry:
    """Every schema of ``version``, by its ``$id`` (``type.json`` and the Swagger schema resolve among them)."""
    resources = []
    for path in sorted((SPECS / version / "schemas").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"].rstrip("#"), Resource.from_contents(contents, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


@cache
def validator(version: str, name: str) -> Draft7Validator:
    """The validator of schema ``name`` (``manifest``, ``reconciliation-result-batch``, ...) of ``version``; draft 7,
    as ``ajv`` reads these schemas in the specification's own ``test.sh``."""
    schema = json.loads((SPECS / version / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=registry(version))


def assert_valid(document, version: str, name: str) -> None:
    errors = sorted(validator(version, name).iter_errors(document), key=str)
    assert not errors, f"not a valid {name} ({version}):\n" + "\n".join(e.message for e in errors[:5])


def reconcile(service_url: str, queries: dict) -> requests.Response:
    """A batch of queries as OpenRefine sends it (and the answer validated against the result schema)."""
    response = requests.post(service_url, data={"queries": json.dumps(queries)}, headers=OPENREFINE_FORM, timeout=60)
    if response.status_code == 200:
        assert_valid(response.json(), "0.2", "reconciliation-result-batch")
    return response


def candidates(service_url: str, text: str, **fields) -> list[dict]:
    response = reconcile(service_url, {"q0": {"query": text, **fields}})
    assert response.status_code == 200, response.text
    return response.json()["q0"]["result"]
