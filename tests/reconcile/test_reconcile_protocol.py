"""The reconciliation service speaks the W3C Entity Reconciliation API 0.2 as OpenRefine does (OpenRefine itself
cannot be installed here, so its requests are made as it makes them: form-encoded ``queries``, no JSONP), and
the 1.0 draft at its own path. Every answer is validated against the specification's JSON schemas."""

from __future__ import annotations

import json

import pytest
import requests

from reconcile_helpers import OPENREFINE_FORM, assert_valid, candidates, reconcile

COMENSHA = "organisatie/comensha"


def test_the_manifest_describes_the_service(service, bundled_server):
    response = requests.get(service, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = response.json()
    assert_valid(manifest, "0.2", "manifest")
    assert manifest["identifierSpace"] == "https://w3id.org/stm-kg/id/"
    assert {"org:Organization", "foaf:Person", "stm:CollaborationBody"} <= {t["id"] for t in manifest["defaultTypes"]}
    view = manifest["view"]["url"].replace("{{id}}", COMENSHA)
    assert requests.get(view, timeout=30).url.endswith(f"/doc/{COMENSHA}")  # the id's page, through the 303
    for kind in ("entity", "type", "property"):
        assert manifest["suggest"][kind]["service_url"] == service
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"


def test_a_batch_as_openrefine_posts_it_and_the_same_by_get(service):
    queries = {"q0": {"query": "CoMensha", "type": "org:Organization", "type_strict": "should"},
               "q1": {"query": "Vereniging Nederlandse Gemeenten"}}
    posted = reconcile(service, queries)
    assert posted.status_code == 200 and posted.headers["Access-Control-Allow-Origin"] == "*"
    assert posted.json()["q0"]["result"][0]["id"] == COMENSHA and posted.json()["q1"]["result"][0]["id"] == "organisatie/vng"
    got = requests.get(service, params={"queries": json.dumps(queries)}, timeout=30)
    assert got.status_code == 200 and got.json() == posted.json()


def test_limit_type_and_type_strict(service):
    assert len(candidates(service, "Ministerie", limit=2)) == 2
    typed = candidates(service, "Justitie en Veiligheid", type="foaf:Person")
    assert all("foaf:Person" in {t["id"] for t in c["type"]} for c in typed)
    assert candidates(service, "Regiegroep", type=["foaf:Person", "stm:CollaborationBody"])[0]["id"] == "overleg/regiegroep"
    assert not candidates(service, "Regiegroep", type=["foaf:Person", "stm:CollaborationBody"], type_strict="all")
    should = candidates(service, "Regiegroep", type="foaf:Person", type_strict="should")
    assert should and should[0]["id"] == "overleg/regiegroep" and not should[0]["match"]  # off type: ranked, not taken


def test_properties_refine_a_query(service):
    base = candidates(service, "Ministerie van Justitie")
    assert not base[0]["match"]
    refined = candidates(service, "Ministerie van Justitie", properties=[{"pid": "skos:altLabel", "v": "JenV"}])
    assert refined[0]["id"] == "organisatie/ministerie-van-justitie-en-veiligheid" and refined[0]["score"] > base[0]["score"]
    only = reconcile(service, {"q0": {"properties": [{"pid": "skos:altLabel", "v": "CoMensha"}], "type": "org:Organization"}}).json()
    assert only["q0"]["result"][0]["id"] == COMENSHA and only["q0"]["result"][0]["match"]
    by_id = candidates(service, "Regiegroep", properties=[{"pid": "org:hasMember", "v": {"id": COMENSHA}}])
    assert by_id[0]["id"] == "overleg/regiegroep" and by_id[0]["score"] == 100


def test_suggest_entities_types_and_properties(service):
    entities = requests.get(f"{service}/suggest/entity", params={"prefix": "comen"}, timeout=30).json()
    assert_valid(entities, "0.2", "suggest-entities-response")
    assert entities["result"][0]["id"] == COMENSHA
    typed = requests.get(f"{service}/suggest/entity", params={"prefix": "re", "type": "stm:CollaborationBody"}, timeout=30).json()
    assert typed["result"] and all("stm:CollaborationBody" in {t["id"] for t in r["notable"]} for r in typed["result"])
    types = requests.get(f"{service}/suggest/type", params={"prefix": "organ"}, timeout=30).json()
    assert_valid(types, "0.2", "suggest-types-response")
    assert "org:Organization" in {t["id"] for t in types["result"]}
    props = requests.get(f"{service}/suggest/property", params={"prefix": "alt"}, timeout=30).json()
    assert_valid(props, "0.2", "suggest-properties-response")
    assert "skos:altLabel" in {p["id"] for p in props["result"]}


def test_the_preview_can_be_framed_by_openrefine_and_loads_nothing(service):
    response = requests.get(f"{service}/preview", params={"id": COMENSHA}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "Coördinatiecentrum tegen Mensenhandel" in response.text and "CoMensha" in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "default-src 'none'" in policy
    assert requests.get(f"{service}/preview", params={"id": "organisatie/nobody"}, timeout=30).status_code == 404


def test_data_extension_with_property_proposals(service):
    proposals = requests.get(f"{service}/properties", params={"type": "org:Organization", "limit": 50}, timeout=30).json()
    assert_valid(proposals, "0.2", "data-extension-property-proposal")
    assert {"skos:prefLabel", "skos:altLabel", "org:memberOf"} <= {p["id"] for p in proposals["properties"]}
    query = {"ids": [COMENSHA, "organisatie/vng", "organisatie/nobody"],
             "properties": [{"id": "skos:altLabel"}, {"id": "org:memberOf"}]}
    response = requests.post(service, data={"extend": json.dumps(query)}, headers=OPENREFINE_FORM, timeout=30)
    extended = response.json()
    assert_valid(extended, "0.2", "data-extension-response")
    assert {"str": "CoMensha"} in extended["rows"][COMENSHA]["skos:altLabel"]
    assert {"id": "overleg/regiegroep", "name": "Regiegroep programma Samen tegen mensenhandel"} in extended["rows"][COMENSHA]["org:memberOf"]
    assert extended["rows"]["organisatie/nobody"] == {"skos:altLabel": [], "org:memberOf": []}
    assert [m["id"] for m in extended["meta"]] == ["skos:altLabel", "org:memberOf"]


@pytest.mark.parametrize(("queries", "words"), [
    ("not json", "not JSON"),
    ("[]", "JSON object of queries"),
    ('{"q0": {"qurey": "x"}}', "no field 'qurey'"),
    ('{"q0": {"query": ""}}', "non-empty 'query'"),
    ('{"q0": {"query": "x", "limit": 0}}', "'limit'"),
    ('{"q0": {"query": "x", "type_strict": "maybe"}}', "type_strict"),
    ('{"q0": {"query": "x", "properties": [{"p": "skos:altLabel"}]}}', "'pid'"),
])
def test_a_bad_batch_is_a_400_that_says_what_is_wrong(service, queries, words):
    response = requests.post(service, data={"queries": queries}, headers=OPENREFINE_FORM, timeout=30)
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/problem+json"
    assert words in response.json()["detail"]


def test_the_1_0_draft_at_its_own_path(service):
    draft = f"{service}/1.0-draft"
    manifest = requests.get(draft, timeout=30).json()
    assert_valid(manifest, "1.0-draft", "manifest")
    batch = {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "CoMensha"}]},
                         {"type": "org:Organization", "conditions": [{"matchType": "name", "propertyValue": "Ministerie van Justitie"},
                                                                     {"matchType": "property", "propertyId": "skos:altLabel", "propertyValue": "JenV", "required": True}]}]}
    response = requests.post(f"{draft}/match", json=batch, timeout=30)
    assert response.status_code == 200, response.text
    results = response.json()
    assert_valid(results, "1.0-draft", "reconciliation-result-batch")
    assert results["results"][0]["candidates"][0]["id"] == COMENSHA
    assert [c["id"] for c in results["results"][1]["candidates"]] == ["organisatie/ministerie-van-justitie-en-veiligheid"]
    extended = requests.post(f"{draft}/extend", json={"ids": [COMENSHA], "properties": [{"id": "skos:altLabel"}]}, timeout=30).json()
    assert_valid(extended, "1.0-draft", "data-extension-response")
    proposed = requests.get(f"{draft}/extend/propose", params={"type": "org:Organization"}, timeout=30).json()
    assert_valid(proposed, "1.0-draft", "data-extension-property-proposal")
    suggested = requests.get(f"{draft}/suggest/entity", params={"prefix": "comen"}, timeout=30).json()
    assert_valid(suggested, "1.0-draft", "suggest-entities-response")
    assert requests.post(f"{draft}/match", data="queries=x", timeout=30).status_code == 415
