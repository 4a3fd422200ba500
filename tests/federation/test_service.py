"""SERVICE from our endpoint: allowed endpoints are joined, everything else refused before any connection,
and a slow, dead or broken endpoint gives its documented outcome within the time limit (decision 0008)."""

from __future__ import annotations

import time

import pytest
import requests

from federation_servers import SERVICE_TIMEOUT

JSON = {"Accept": "application/sparql-results+json, application/problem+json;q=0.9"}
PREFIXES = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX tooiont: <https://identifier.overheid.nl/tooi/def/ont/>
PREFIX test: <http://example.org/federation-test#>
"""
MINISTRY = "https://w3id.org/stm-kg/id/organisatie/"

#: The join of our TOOI linkset with the second server's facts: VWS has no facts there, BZK is not ours.
EXPECTED_JOIN = [
    (MINISTRY + "ministerie-van-buitenlandse-zaken", "BZ", "2"),
    (MINISTRY + "ministerie-van-justitie-en-veiligheid", "JenV", "1"),
    (MINISTRY + "ministerie-van-sociale-zaken-en-werkgelegenheid", "SZW", "3"),
]


def join_query(endpoint: str) -> str:
    return PREFIXES + f"""SELECT ?ministry ?abbr ?rank WHERE {{
  ?ministry owl:sameAs ?tooi .
  SERVICE <{endpoint}> {{ ?tooi tooiont:afkorting ?abbr ; test:rank ?rank }}
}} ORDER BY ?ministry"""


def rows(response) -> list[tuple]:
    data = response.json()
    names = data["head"]["vars"]
    return [tuple(b[n]["value"] if n in b else None for n in names) for b in data["results"]["bindings"]]


def ask(server, query: str, **kwargs):
    return requests.post(server.sparql, data={"query": query}, headers=JSON, timeout=30, **kwargs)


def test_federated_join_returns_exactly_the_expected_rows(federating_server, second_server):
    response = ask(federating_server, join_query(second_server.query))
    assert response.status_code == 200, response.text
    assert rows(response) == EXPECTED_JOIN


def test_federated_join_with_prefixed_endpoint_and_optional(federating_server, second_server):
    query = PREFIXES + f"""PREFIX peer: <{second_server.url}/>
SELECT ?ministry ?abbr WHERE {{
  ?ministry a <https://w3id.org/stm-kg/def/ont/Ministry> .
  OPTIONAL {{ ?ministry owl:sameAs ?tooi . SERVICE peer:query {{ ?tooi tooiont:afkorting ?abbr }} }}
}} ORDER BY ?ministry"""
    response = ask(federating_server, query)
    assert response.status_code == 200, response.text
    found = dict(rows(response))
    assert found[MINISTRY + "ministerie-van-justitie-en-veiligheid"] == "JenV"
    assert found[MINISTRY + "ministerie-van-volksgezondheid-welzijn-en-sport"] is None  # linked, no facts there
    assert found[MINISTRY + "ministerie-van-asiel-en-migratie"] is None  # not linked (medium confidence)


def test_service_not_on_the_allowlist_is_refused_before_any_connection(federating_server, garbage_peer):
    before = garbage_peer.connections
    other = f"http://127.0.0.1:{garbage_peer.port}/other"  # same host and port, a path not allowed
    for endpoint in (other, f"http://127.0.0.1:{garbage_peer.port}/sparqlx", f"http://user@127.0.0.1:{garbage_peer.port}/sparql"):
        response = ask(federating_server, join_query(endpoint))
        assert response.status_code == 403, response.text
        assert response.json()["keyword"] == "SERVICE"
    silent_form = f"SELECT * WHERE {{ SERVICE SILENT <{other}> {{ ?s ?p ?o }} }}"
    assert ask(federating_server, silent_form).status_code == 403  # SILENT does not make a refusal an answer
    assert garbage_peer.connections == before


def test_variable_endpoint_and_service_in_updates_are_refused(federating_server, second_server):
    response = ask(federating_server, "SELECT * WHERE { VALUES ?e { <%s> } SERVICE ?e { ?s ?p ?o } }" % second_server.query)
    assert response.status_code == 403
    assert "variable endpoint" in response.json()["detail"]
    update = f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{second_server.query}> {{ ?s ?p ?o }} }}"
    response = requests.post(federating_server.sparql, data={"update": update}, timeout=10,
                             headers={"Accept": "application/problem+json"})
    assert response.status_code == 403
    assert response.json()["keyword"] == "SERVICE" and "updates" in response.json()["detail"]


def test_dead_endpoint_is_an_error_and_silent_gives_no_rows(federating_server, dead_endpoint):
    response = ask(federating_server, join_query(dead_endpoint))
    assert response.status_code == 502, response.text  # a refused connection, not the 504 of waiting out the timeout
    assert response.json()["type"].endswith("/service-failed")
    assert dead_endpoint in response.json()["detail"]
    silent = ask(federating_server, f"SELECT ?abbr WHERE {{ SERVICE SILENT <{dead_endpoint}> {{ ?t ?p ?abbr }} }}")
    assert silent.status_code == 200
    assert silent.json()["results"]["bindings"] == [{}]  # one empty solution: the SERVICE adds no rows of its own


@pytest.mark.slow
def test_endpoint_that_never_answers_times_out_and_the_server_stays_responsive(federating_server, silent_peer):
    started = time.monotonic()
    response = ask(federating_server, join_query(silent_peer.url))
    elapsed = time.monotonic() - started
    assert response.status_code == 504, response.text
    assert response.json()["type"].endswith("/service-timeout")
    assert elapsed >= SERVICE_TIMEOUT - 0.1  # it waited for the peer as long as allowed, not less
    silent = ask(federating_server, f"SELECT ?abbr WHERE {{ SERVICE SILENT <{silent_peer.url}> {{ ?t ?p ?abbr }} }}")
    assert silent.status_code == 200 and silent.json()["results"]["bindings"] == [{}]
    assert silent_peer.connections >= 2
    # meanwhile and afterwards, ordinary queries are answered at once
    assert ask(federating_server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_endpoint_that_returns_garbage_is_an_error_and_silent_gives_no_rows(federating_server, garbage_peer):
    response = ask(federating_server, join_query(garbage_peer.url))
    assert response.status_code == 502, response.text
    assert "not SPARQL results" in response.json()["detail"]
    silent = ask(federating_server, f"SELECT ?abbr WHERE {{ SERVICE SILENT <{garbage_peer.url}> {{ ?t ?p ?abbr }} }}")
    assert silent.status_code == 200 and silent.json()["results"]["bindings"] == [{}]


def test_result_cap_applies_to_remote_calls(stm_factory, compiled_trig, second_server):
    server = stm_factory("--no-bundled", "--data", str(compiled_trig), "--workers", "1",
                         "--service-allow", second_server.query, "--service-max-rows", "2")
    query = f"SELECT * WHERE {{ SERVICE <{second_server.query}> {{ ?s a ?type }} }}"
    response = ask(server, query)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/service-result-too-large")
    assert ask(server, query.replace("SERVICE", "SERVICE SILENT")).json()["results"]["bindings"] == [{}]


def test_service_description_lists_the_allowlist(federating_server, second_server, dead_endpoint):
    import rdflib

    response = requests.get(federating_server.sparql, headers={"Accept": "text/turtle"}, timeout=10)
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.feature, sd.BasicFederatedQuery) in graph
    listed = {str(o) for o in graph.objects(None, sd.endpoint)} - {federating_server.sparql}
    assert {second_server.query, dead_endpoint} <= listed


def test_without_allowlist_service_stays_refused(stm_factory, compiled_trig, second_server):
    server = stm_factory("--no-bundled", "--data", str(compiled_trig), "--workers", "1")
    response = ask(server, join_query(second_server.query))
    assert response.status_code == 403
    assert "federation is off" in response.json()["detail"]


def test_configuration_file_sets_the_allowlist(stm_factory, compiled_trig, second_server, tmp_path):
    config = tmp_path / "stm-kg.toml"
    config.write_text(f'[federation]\nservice_allow = ["{second_server.query}"]\nservice_timeout = 3\n')
    server = stm_factory("--no-bundled", "--data", str(compiled_trig), "--workers", "1", "--config", str(config))
    response = ask(server, join_query(second_server.query))
    assert response.status_code == 200 and rows(response) == EXPECTED_JOIN
