"""Access: every write path refuses a request without the token, with a wrong token, or with the token in the
wrong place (query string, cookie, form field, another header); nothing changes, and the token appears in no
answer and no log line."""

from __future__ import annotations

import pytest
import requests

from robustness_helpers import fingerprint
from endpoint_server import TOKEN
from tally import tried

TURTLE = '<http://example.org/intruder> <http://example.org/p> "written by an intruder" .'
UPDATE = 'INSERT DATA { <http://example.org/intruder> <http://example.org/p> "written by an intruder" }'
GRAPH = "http://example.org/graph/intruded"

#: (name, method, path, params, body, content type): every way the server takes a write.
WRITES = [
    ("update-form", "POST", "/sparql", {}, {"update": UPDATE}, None),
    ("update-body", "POST", "/sparql", {}, UPDATE, "application/sparql-update"),
    ("update-drop-all", "POST", "/sparql", {}, "DROP ALL", "application/sparql-update"),
    ("gsp-put-named", "PUT", "/store", {"graph": GRAPH}, TURTLE, "text/turtle"),
    ("gsp-post-named", "POST", "/store", {"graph": GRAPH}, TURTLE, "text/turtle"),
    ("gsp-put-default", "PUT", "/store", {"default": ""}, TURTLE, "text/turtle"),
    ("gsp-post-default", "POST", "/store", {"default": ""}, TURTLE, "text/turtle"),
    ("gsp-delete-default", "DELETE", "/store", {"default": ""}, None, None),
    ("gsp-delete-data-graph", "DELETE", "/store", {"graph": "https://w3id.org/stm-kg/graph/data"}, None, None),
]

#: (name, extra headers, extra params, cookies): tokens that are absent, wrong, or in the wrong place.
CREDENTIALS = [
    ("none", {}, {}, {}),
    ("wrong-bearer", {"Authorization": "Bearer not-the-token"}, {}, {}),
    ("empty-bearer", {"Authorization": "Bearer "}, {}, {}),
    ("token-prefix", {"Authorization": f"Bearer {TOKEN[:-1]}"}, {}, {}),
    ("token-suffix", {"Authorization": f"Bearer {TOKEN}x"}, {}, {}),
    ("token-twice", {"Authorization": f"Bearer {TOKEN} {TOKEN}"}, {}, {}),
    ("basic-scheme", {"Authorization": f"Basic {TOKEN}"}, {}, {}),
    ("no-scheme", {"Authorization": TOKEN}, {}, {}),
    ("token-scheme", {"Authorization": f"Token {TOKEN}"}, {}, {}),
    ("query-token", {}, {"token": TOKEN}, {}),
    ("query-access-token", {}, {"access_token": TOKEN}, {}),
    ("query-authorization", {}, {"Authorization": f"Bearer {TOKEN}"}, {}),
    ("cookie", {}, {}, {"token": TOKEN}),
    ("cookie-authorization", {}, {}, {"Authorization": f"Bearer {TOKEN}"}),
    ("x-auth-token", {"X-Auth-Token": TOKEN}, {}, {}),
    ("x-api-key", {"X-Api-Key": TOKEN}, {}, {}),
    ("proxy-authorization", {"Proxy-Authorization": f"Bearer {TOKEN}"}, {}, {}),
    ("x-forwarded-authorization", {"X-Forwarded-Authorization": f"Bearer {TOKEN}"}, {}, {}),
]


@pytest.fixture(scope="module")
def before(target):
    return fingerprint(target)


def _send(server, method, path, params, body, content_type, headers, extra_params, cookies):
    headers = {**headers, "Accept": "application/problem+json"}
    if content_type:
        headers["Content-Type"] = content_type
    return requests.request(method, server.url + path, params={**params, **extra_params}, data=body,
                            headers=headers, cookies=cookies, timeout=30)


@pytest.mark.parametrize("write", WRITES, ids=[w[0] for w in WRITES])
def test_writes_without_the_token_in_its_place_are_refused(target, before, write):
    name, method, path, params, body, content_type = write
    for credential, headers, extra_params, cookies in CREDENTIALS:
        response = _send(target, method, path, params, body, content_type, headers, extra_params, cookies)
        tried("access: write without a valid token")
        assert response.status_code in (401, 403), (name, credential, response.status_code, response.text)
        assert response.json()["detail"], (name, credential)
        assert TOKEN not in response.text and TOKEN not in str(response.headers), (name, credential)
        if response.status_code == 401:
            assert "Bearer" in response.headers.get("WWW-Authenticate", "")
    assert fingerprint(target) == before, f"{name}: the data changed"


def test_the_token_in_a_form_field_is_not_a_credential(target, before):
    for field in ("token", "access_token", "Authorization"):
        response = requests.post(target.sparql, data={"update": UPDATE, field: TOKEN}, timeout=30)
        tried("access: write without a valid token")
        assert response.status_code in (400, 401, 403)
        assert TOKEN not in response.text
    assert fingerprint(target) == before


def test_every_unsafe_method_on_every_route_changes_nothing_without_the_token(target, before):
    """Routes as the app registers them (other issues add some): no write gets through, none fails with 5xx."""
    from stm_kg.store.embedded import EmbeddedStore
    from stm_kg.web import ServerConfig, create_app

    store = EmbeddedStore()
    try:
        rules = list(create_app(ServerConfig(store=store)).url_map.iter_rules())
    finally:
        store.close()
    paths = {rule.rule.replace("<path:filename>", "x").split("<")[0] for rule in rules}
    paths |= {"/store?graph=" + GRAPH, "/store?default", "/sparql?update=DROP%20ALL"}
    for path in sorted(paths):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            for content_type, body in (("text/turtle", TURTLE), ("application/sparql-update", UPDATE),
                                       ("application/x-www-form-urlencoded", f"update={UPDATE}")):
                response = requests.request(method, target.url + path, data=body, timeout=30,
                                            headers={"Content-Type": content_type, "Authorization": "Bearer wrong"})
                tried("access: unsafe method on a route without the token")
                assert response.status_code < 500, (method, path, response.status_code, response.text[:300])
                assert response.status_code >= 400, (method, path, response.status_code)
    assert fingerprint(target) == before


def test_a_refused_token_leaves_no_trace_in_the_log(target):
    secret_looking = "Bearer s3cr3t-guess-" + "x" * 20
    requests.post(target.sparql, data={"update": UPDATE}, headers={"Authorization": secret_looking}, timeout=30)
    requests.put(target.store, params={"graph": GRAPH, "token": TOKEN}, data=TURTLE, headers={"Content-Type": "text/turtle"},
                 timeout=30)
    tried("access: write without a valid token", 2)
    log = target.log()
    assert "s3cr3t-guess" not in log
    assert TOKEN not in log


def test_control_the_token_in_its_place_does_write(target):
    """The refusals above are not vacuous: the same write with the token in the Authorization header passes."""
    graph = "http://example.org/graph/control"
    person = ('<http://example.org/control> a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> "Control" ; '
              '<http://www.w3.org/2004/02/skos/core#prefLabel> "Control"@nl ; '
              '<http://www.w3.org/ns/prov#wasDerivedFrom> <http://example.org/source> ; '
              '<http://www.w3.org/ns/prov#qualifiedDerivation> [ a <http://www.w3.org/ns/prov#Derivation> ; '
              '<http://www.w3.org/ns/prov#entity> <http://example.org/source> ; '
              '<https://w3id.org/stm-kg/def/ont/quote> "control"@nl ] .')
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    response = requests.put(target.store, params={"graph": graph}, data=person, headers=auth, timeout=60)
    assert response.status_code == 201, response.text
    assert requests.delete(target.store, params={"graph": graph}, headers=auth, timeout=60).status_code == 204
