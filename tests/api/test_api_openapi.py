"""The OpenAPI 3.1 document of ``/api/v1``: valid, complete, true to the answers, and fuzzed without a 5xx."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import requests
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue

CATALOGUE = Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)
ANSWER_TYPES = {
    "application/json", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/html",
}


@pytest.fixture(scope="module")
def document(api) -> dict:
    response = requests.get(f"{api.url}/api/v1/openapi.json")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    return response.json()


def test_the_document_validates_against_the_openapi_3_1_schema(document):
    assert document["openapi"].startswith("3.1")
    validate(document, cls=OpenAPIV31SpecValidator)


def test_the_validator_can_fail():
    with pytest.raises(Exception):
        validate({"openapi": "3.1.0", "info": {"title": "x"}, "paths": {"/a": {"get": {"responses": {"200": {}}}}}},
                 cls=OpenAPIV31SpecValidator)


def test_every_query_is_an_operation_with_typed_parameters_and_paging(document):
    assert document["servers"][0]["url"].endswith("/api/v1")
    assert set(document["paths"]) == {"/", "/openapi.json"} | {f"/{name}" for name in CATALOGUE}
    for name, query in CATALOGUE.items():
        operation = document["paths"][f"/{name}"]["get"]
        assert operation["summary"] == query.title and query.description_en in operation["description"]
        assert f"/api/v1/{name}" in operation["description"]  # the example
        own = {p["name"]: p for p in operation["parameters"] if "name" in p}
        assert list(own) == list(query.parameter_names)
        for parameter in query.parameters:
            schema = own[parameter.name]["schema"]
            assert own[parameter.name]["in"] == "query" and own[parameter.name]["required"] == parameter.required
            assert schema["type"] == parameter.type.schema["type"]
            if parameter.default is not None:
                assert "default" in schema and "example" in own[parameter.name]
            if parameter.choices:
                assert schema["enum"] == list(parameter.choices)
        refs = [p["$ref"] for p in operation["parameters"] if "$ref" in p]
        assert refs == ["#/components/parameters/page", "#/components/parameters/perPage", "#/components/parameters/format"]
        ok = operation["responses"]["200"]
        assert set(ok["content"]) == ANSWER_TYPES
        assert ok["content"]["application/json"]["schema"]["type"] == "array"
        assert {"Link", "X-Total-Count"} <= set(ok["headers"])
        assert "application/problem+json" in operation["responses"]["400"]["content"]
        assert ("403" in operation["responses"]) == query.federated
    zoek = {p["name"]: p for p in document["paths"]["/zoek-labels"]["get"]["parameters"] if "name" in p}
    assert zoek["text"]["example"] == "comensha"  # a required value without default takes its example from an expect line
    assert document["components"]["parameters"]["perPage"]["schema"]["maximum"] == 1000


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE.local()])
def test_the_json_answer_fits_its_response_schema(api, document, name):
    schema = document["paths"][f"/{name}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    params = {"text": "comensha"} if name == "zoek-labels" else {}
    rows = requests.get(f"{api.url}/api/v1/{name}", params=params).json()
    assert rows, f"{name} answers no rows with its defaults: the schema check would prove nothing"
    jsonschema.validate(rows, schema, format_checker=jsonschema.FormatChecker())  # dates are xsd:date values
    variables = set(schema["items"]["properties"])
    assert set().union(*[row.keys() for row in rows]) <= variables


def test_the_list_operation_fits_its_schema(api, document):
    schema = document["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    resolver_document = {**schema, "components": document["components"]}
    jsonschema.validate(requests.get(f"{api.url}/api/v1").json(), resolver_document)


@pytest.mark.slow
def test_a_schema_driven_fuzzer_finds_no_server_error(api, tmp_path):
    """schemathesis (CLI, against the running server): examples, coverage and fuzzing phases, bounded."""
    executable = Path(sys.executable).parent / "schemathesis"
    if not executable.exists():
        pytest.fail("schemathesis is not installed (pip install schemathesis)")
    excluded = [arg for q in CATALOGUE.values() if q.federated for arg in ("--exclude-operation-id", q.name.replace("-", "_"))]
    command = [
        str(executable), "run", f"{api.url}/api/v1/openapi.json",
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                    "response_schema_conformance,response_headers_conformance,positive_data_acceptance",
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", "12", "--seed", "20260301", "--request-timeout", "20",
        "--generation-database", "none", "--no-color", *excluded,
    ]
    started = time.monotonic()
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "No issues found" in output, output[-3000:]
    assert f"Tested: {len(CATALOGUE.local()) + 1}" in output  # every local query and the list
    print(f"\nschemathesis: {time.monotonic() - started:.1f} s")
    assert not re.search(r'"GET /api[^"]*" 5[0-9][0-9] ', api.log()), "the server logged a 5xx"
