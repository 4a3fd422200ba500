"""``GET /api/v1/{name}`` over real HTTP: the same rows as running the query directly, in every format."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pyoxigraph as ox
import pytest
import requests

from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue, plain_value, run
from stm_kg.sparql.safety import RemoteAccessPolicy, RemoteAccessRefused

CATALOGUE = Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)
LOCAL = [q.name for q in CATALOGUE.local()]
FEDERATED = [q.name for q in CATALOGUE.values() if q.federated]
_GIVEN = re.compile(r"given:([a-z][a-z0-9_]*)=(\S+)")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def parameter_sets(name: str) -> list[dict[str, str]]:
    """The defaults ({}), and every combination of values the query's ``expect`` lines give."""
    query = CATALOGUE[name]
    sets = [dict(_GIVEN.findall(line)) for _, line in query.expectations]
    required = {p.name for p in query.parameters if p.required and p.default is None}
    unique = []
    for params in [{}, *sets]:
        if required <= set(params) and params not in unique:
            unique.append(params)
    return unique


CASES = [(name, params) for name in LOCAL for params in parameter_sets(name)]


def key(row: dict) -> tuple:
    """A row as a comparable tuple; blank nodes (labels differ between stores) all count as one value."""
    return tuple(sorted((k, "_:*" if isinstance(v, str) and v.startswith("_:") else json.dumps(v)) for k, v in row.items()))


def direct_records(result) -> list[dict]:
    """``result.records()`` with blank nodes written ``_:label``, as the API writes them."""
    return [{k: f"_:{v.value}" if isinstance(v, ox.BlankNode) else plain_value(v) for k, v in row.items()} for row in result.rows]


def test_the_catalogue_has_queries_and_every_one_is_in_the_cases():
    assert len(LOCAL) >= 25 and len(FEDERATED) >= 3
    assert {name for name, _ in CASES} == set(LOCAL)


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}{'-' + '-'.join(p) if p else ''}" for n, p in CASES])
def test_every_local_query_answers_the_rows_of_a_direct_run(api, graph_store, name, params):
    direct = run(CATALOGUE[name], graph_store, params)
    response = requests.get(f"{api.url}/api/v1/{name}", params={**params, "perPage": 1000})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    rows = response.json()
    assert isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
    for row in rows:  # plain values: no SPARQL JSON term objects
        assert all(isinstance(value, (str, int, float, bool)) for value in row.values()), row
    assert Counter(map(key, rows)) == Counter(map(key, direct_records(direct)))
    assert int(response.headers["X-Total-Count"]) == len(direct)
    assert set().union(*[row.keys() for row in rows]) <= set(CATALOGUE[name].variables() or direct.variables)


def _csv_rows(text: str, delimiter: str = ",") -> Counter:
    return Counter(tuple(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize("name", ["tijdlijn", "leden-overleg", "geld-per-jaar", "toezeggingen", "externe-identificatoren"])
def test_csv_tsv_and_sparql_results_hold_the_same_answer(api, graph_store, name):
    direct = run(CATALOGUE[name], graph_store)
    url = f"{api.url}/api/v1/{name}?perPage=1000"

    response = requests.get(url, headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(response.text)))
    assert len(parsed) == len(direct) and list(parsed[0]) == direct.variables
    assert _csv_rows(response.text) == _csv_rows(direct.serialize("csv").decode())

    response = requests.get(url, headers={"Accept": "text/tab-separated-values"})
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")
    assert _csv_rows(response.text, "\t") == _csv_rows(direct.serialize("tsv").decode(), "\t")

    response = requests.get(url, headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    document = response.json()
    assert document["head"]["vars"] == direct.variables
    expected = json.loads(direct.serialize("json"))["results"]["bindings"]
    assert Counter(map(key, document["results"]["bindings"])) == Counter(map(key, expected))

    response = requests.get(url, headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["Content-Type"].startswith("application/sparql-results+xml")
    results = ET.fromstring(response.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")
    assert len(results) == len(direct)


@pytest.mark.parametrize("accept, fmt, media_type", [
    (None, None, "application/json"),
    ("*/*", None, "application/json"),
    ("application/json", None, "application/json"),
    ("application/sparql-results+json", None, "application/sparql-results+json"),
    ("text/csv;q=0.5, text/tab-separated-values", None, "text/tab-separated-values"),
    ("application/xml", None, "application/sparql-results+xml"),
    ("application/json", "csv", "text/csv"),
    ("text/csv", "json", "application/json"),
    (None, "srj", "application/sparql-results+json"),
    (None, "xml", "application/sparql-results+xml"),
    (None, "text/tab-separated-values", "text/tab-separated-values"),
    (BROWSER, None, "text/html"),
])
def test_accept_and_format_choose_the_format(api, accept, fmt, media_type):
    headers = {"Accept": accept} if accept else {}
    if accept is None:
        headers["Accept"] = ""  # requests sends */* otherwise
    response = requests.get(f"{api.url}/api/v1/leden-overleg", params={"format": fmt} if fmt else {}, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    if media_type == "application/json":
        assert isinstance(response.json(), list) and len(response.json()) == 13


def test_a_browser_gets_a_table_from_this_server_only(api):
    response = requests.get(f"{api.url}/api/v1/leden-overleg", headers={"Accept": BROWSER})
    assert "<table" in response.text and "Coördinatiecentrum tegen Mensenhandel" in response.text
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_an_unacceptable_media_type_is_406_and_an_unknown_format_400(api):
    response = requests.get(f"{api.url}/api/v1/leden-overleg", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "text/csv" in response.json()["offered"]
    response = requests.get(f"{api.url}/api/v1/leden-overleg?format=yaml")
    assert response.status_code == 400 and response.json()["parameter"] == "format"
    assert "csv" in response.json()["detail"]


def test_an_unknown_query_is_404(api):
    response = requests.get(f"{api.url}/api/v1/no-such-query")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and "no-such-query" in problem["detail"]
    assert problem["type"].endswith("/unknown-query")


@pytest.mark.parametrize("path, parameter, words", [
    ("zoek-labels", "text", ["needs parameter 'text'"]),
    ("zoek-labels?text=", "text", ["needs parameter 'text'"]),
    ("tijdlijn?from=2024-13-45", "from", ["YYYY-MM-DD", "2024-13-45"]),
    ("tijdlijn?from=yesterday", "from", ["YYYY-MM-DD"]),
    ("geld-per-jaar?from=twenty", "from", ["whole number"]),
    ("geld-per-jaar?to=1.5", "to", ["whole number"]),
    ("toezeggingen?open=maybe", "open", ["true or false"]),
    ("leden-overleg?body=not%20an%20iri", "body", ["IRI"]),
    ("leden-overleg?body=%3Chttps://x%3E", "body", ["IRI"]),
    ("kamer-vragen?kind=wet", "kind", ["one of", "motie"]),
    ("zoek-labels?text=x&lang=not%20a%20tag", "lang", ["language tag"]),
    ("leden-overleg?bdy=id:overleg/regiegroep", "bdy", ["no parameter 'bdy'", "accepted: body"]),
    ("tijdlijn?from=2024-01-01&from=2025-01-01", "from", ["2 times"]),
    ("tijdlijn?page=0", "page", ["whole number"]),
    ("tijdlijn?page=two", "page", ["whole number"]),
    ("tijdlijn?perPage=100000", "perPage", ["1000"]),
    ("tijdlijn?perPage=-1", "perPage", ["whole number"]),
    ("tijdlijn?per_page=-1", "per_page", ["whole number"]),  # the name of the unversioned API, still read
    ("tijdlijn?perPage=5&per_page=5", "perPage", ["not both"]),
])
def test_a_missing_unknown_or_mistyped_parameter_is_400_with_a_message(api, path, parameter, words):
    response = requests.get(f"{api.url}/api/v1/{path}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["parameter"] == parameter and problem["status"] == 400
    assert problem["type"].endswith("/invalid-parameter")
    for word in words:
        assert word in problem["detail"], problem["detail"]


def test_a_browser_gets_the_400_as_problem_details_too(api):
    """Every error of the API is RFC 9457 problem details (NL API Design Rules), whatever the client accepts."""
    response = requests.get(f"{api.url}/api/v1/tijdlijn?from=nope", headers={"Accept": BROWSER})
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/problem+json"
    assert "YYYY-MM-DD" in response.json()["detail"]


@pytest.mark.parametrize("name", FEDERATED)
def test_a_federated_query_answers_only_when_the_service_allowlist_permits(api, name):
    try:
        RemoteAccessPolicy().check(CATALOGUE[name].bind({}).text)
    except RemoteAccessRefused:
        pass
    else:
        pytest.skip("the default policy allows this SERVICE: the query would call the real endpoint")
    response = requests.get(f"{api.url}/api/v1/{name}")
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"].endswith("/remote-access-refused") and "SERVICE" in problem["detail"]
    assert name in problem["detail"]


def test_the_list_of_queries_as_json_and_html(api):
    response = requests.get(f"{api.url}/api/v1")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    listed = response.json()
    assert [q["name"] for q in listed] == list(CATALOGUE)
    regiegroep = next(q for q in listed if q["name"] == "leden-overleg")
    assert regiegroep["title"] == CATALOGUE["leden-overleg"].title and regiegroep["parameters"][0]["name"] == "body"
    assert requests.get(regiegroep["url"]).status_code == 200
    zoek = next(q for q in listed if q["name"] == "zoek-labels")
    assert requests.get(zoek["example"]).status_code == 200  # the example names the required text
    page = requests.get(f"{api.url}/api/v1/", headers={"Accept": BROWSER})
    assert page.headers["Content-Type"].startswith("text/html")
    for name in CATALOGUE:
        assert f'id="{name}"' in page.text


def test_the_docs_page_has_a_form_for_every_query_and_loads_nothing_from_elsewhere(api):
    response = requests.get(f"{api.url}/api/v1/docs")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    for name in CATALOGUE:
        assert f'<section class="operation" id="{name}">' in response.text
        assert f'action="/api/v1/{name}"' in response.text
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', response.text)
    assert requests.get(f"{api.url}/static/api.css").status_code == 200


def test_the_query_page_offers_every_named_query_as_an_example_tab(api):
    response = requests.get(api.url + "/")
    assert response.text.count('class="example"') == len(CATALOGUE)
    config = json.loads(re.search(r'<script id="stm-kg-config" type="application/json">(.*?)</script>', response.text, re.S).group(1))
    examples = {e["name"]: e for e in config["examples"]}
    assert set(examples) == set(CATALOGUE)
    leden = examples["leden-overleg"]
    assert leden["title"] == CATALOGUE["leden-overleg"].title
    assert leden["description"] == CATALOGUE["leden-overleg"].description
    assert "VALUES ($body) { (<https://w3id.org/stm-kg/id/overleg/regiegroep>) }" in leden["query"]  # runs as it stands
    assert f'title="{CATALOGUE["tijdlijn"].description}"' in response.text


def test_paging_headers_can_be_read_by_scripts_on_other_origins(api):
    response = requests.get(f"{api.url}/api/v1/tijdlijn?perPage=5")
    exposed = [h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")]
    assert "Link" in exposed and "X-Total-Count" in exposed
