"""The validator the reconciliation tests use can fail: every example of the specification's schemas (0.2 and
1.0-draft) is judged as the specification's own ``test.sh`` judges it, valid ones valid, invalid ones invalid."""

from __future__ import annotations

import json

import pytest

from reconcile_helpers import SPECS, VERSIONS, validator

CASES = [
    (version, schema.stem, example)
    for version in VERSIONS
    for schema in sorted((SPECS / version / "schemas").glob("*.json"))
    for example in sorted((SPECS / version / "examples" / schema.stem).glob("*/*.json"))
]


def test_there_are_examples_of_both_kinds():
    kinds = {example.parent.name for _, _, example in CASES}
    assert kinds == {"valid", "invalid"} and len(CASES) > 60


@pytest.mark.parametrize(("version", "schema", "example"), CASES, ids=[f"{v}/{s}/{e.parent.name}/{e.stem}" for v, s, e in CASES])
def test_an_example_of_the_specification_is_judged_as_the_specification_says(version, schema, example):
    document = json.loads(example.read_text(encoding="utf-8"))
    valid = validator(version, schema).is_valid(document)
    assert valid == (example.parent.name == "valid")
