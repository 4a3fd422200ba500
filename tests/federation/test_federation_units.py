"""The allowlist and the reading of SERVICE clauses, without servers."""

from __future__ import annotations

import pytest

from stm_kg.sparql.federation import (ServiceLimits, ServiceSyntaxError, allowed, allowed_address, read_services,
                                     resolve_services, values_block)
from stm_kg.sparql.safety import RemoteAccessPolicy, RemoteAccessRefused

ALLOW = ("http://127.0.0.1:7878/query", "https://data.example.org/sparql/")


@pytest.mark.parametrize("endpoint, ok", [
    ("http://127.0.0.1:7878/query", True),
    ("http://127.0.0.1:7878/query/sub", True),
    ("HTTP://127.0.0.1:7878/query", True),
    ("http://127.0.0.1:7878/queryx", False),
    ("http://127.0.0.1:7879/query", False),
    ("https://127.0.0.1:7878/query", False),
    ("http://user@127.0.0.1:7878/query", False),
    ("http://127.0.0.1:7878/query/../admin", False),
    ("http://127.0.0.1:7878/query/%2e%2e/admin", False),
    ("http://127.0.0.1:7878@evil.example/query", False),
    ("https://data.example.org/sparql/x", True),
    ("https://data.example.org:443/sparql/", True),
    ("https://data.example.org/sparq", False),
    ("ftp://127.0.0.1:7878/query", False),
    # finding 8 of issue 12, and the other ways of confusing a path (the allowlist compares normalised addresses)
    ("http://127.0.0.1:7878/query/..;/admin", False),  # a path parameter: Tomcat and others read '..'
    ("http://127.0.0.1:7878/query;jsessionid=1", False),
    ("http://127.0.0.1:7878/query/%2e%2E/admin", False),
    ("http://127.0.0.1:7878/query/.%2e/admin", False),
    ("http://127.0.0.1:7878/query/%252e%252e/admin", False),  # decoded twice by some servers
    ("http://127.0.0.1:7878/query/%2Fadmin", False),
    ("http://127.0.0.1:7878/query/%5Cadmin", False),
    ("http://127.0.0.1:7878/query\\admin", False),
    ("http://127.0.0.1:7878/query//admin", False),
    ("http://127.0.0.1:7878/query/%00", False),
    ("http://127.0.0.1:7878/query#fragment", False),
    ("http://127.0.0.1.:7878/query", False),
    ("http://127.0.0.1:7878/query/./x", False),
    ("http://127.0.0.1:7878/%71uery", True),  # an escaped unreserved character is that character
    ("http://127.0.0.1:7878/query/", True),
    ("HTTPS://DATA.example.ORG:443/sparql/x", True),
    ("https://data.example.org/sparql", False),  # the prefix ends with a slash
])
def test_allowlist_matching(endpoint, ok):
    assert allowed(endpoint, ALLOW) is ok


@pytest.mark.parametrize("endpoint, called", [
    ("HTTP://127.0.0.1:7878/%71uery/%c3%a9", "http://127.0.0.1:7878/query/%C3%A9"),
    ("http://127.0.0.1:7878/query/\u00e9", "http://127.0.0.1:7878/query/%C3%A9"),  # as the client sends it
    ("https://data.example.org:443/sparql/?a=%7e", "https://data.example.org/sparql/?a=~"),
])
def test_the_address_called_is_the_one_checked(endpoint, called):
    assert allowed_address(endpoint, ALLOW).url == called


def test_allowlist_entries_must_be_addresses_that_could_be_allowed():
    for entry in ("http://127.0.0.1:7878/sparql;x", "http://127.0.0.1:7878/a/../b", "http://u:p@127.0.0.1/",
                  "http://127.0.0.1:7878/%2F"):
        with pytest.raises(ValueError):
            RemoteAccessPolicy(service_allow=(entry,))


def test_the_federation_calls_the_address_it_checked():
    """``SERVICE <…/%71uery>`` is allowed as ``…/query``, and that is what goes over the wire."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
    from endpoint_server import FetchRecorder

    recorder = FetchRecorder(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}',
                             "application/sparql-results+json")
    try:
        query = f"SELECT * WHERE {{ SERVICE <{recorder.url}/%71uery> {{ ?x ?y ?z }} }}"
        resolved = resolve_services(query, (f"{recorder.url}/query",), ServiceLimits(timeout=5), None)
    finally:
        recorder.close()
    assert recorder.hits == ["/query"]
    assert "SERVICE" not in resolved and '"1"' in resolved


def test_reading_clauses_resolves_prefixes_base_and_escapes():
    query = """BASE <http://127.0.0.1:7878/>
PREFIX peer: <http://127.0.0.1:7878/>
SELECT * WHERE {
  # SERVICE <http://evil/> in a comment does not count
  ?s ?p "SERVICE <http://evil/> { }" .
  SERVICE <query> { ?a ?b ?c }
  SERVICE SILENT peer:query { ?a ?b ?d . SERVICE <http://127.0.0.1:7878/\\u0071uery> { ?x ?y ?z } }
}"""
    reading = read_services(query)
    assert [c.endpoint for c in reading.clauses] == ["http://127.0.0.1:7878/query"] * 2
    assert [c.silent for c in reading.clauses] == [False, True]
    assert len(reading.all_endpoints) == 3 and reading.all_endpoints[2].endpoint == "http://127.0.0.1:7878/query"
    assert reading.prologue.strip().startswith("BASE") and "PREFIX peer:" in reading.prologue


def test_reading_clauses_as_oxigraph_reads_them():
    reading = read_services("PREFIX p: <http://127.0.0.1:7878/> SELECT * WHERE { ?s ?p p:a\\# . "
                            "SERVICE p:qu%65ry\\~x { } SERVICE <query> { } }", "http://127.0.0.1:7878/")
    assert [c.endpoint for c in reading.clauses] == ["http://127.0.0.1:7878/qu%65ry~x", "http://127.0.0.1:7878/query"]
    assert reading.prologue.startswith("BASE <http://127.0.0.1:7878/>")  # the base the query was given goes along
    for query in ("SELECT * { SERVICE SILENTp:a { } }", "SELECT * { SERVICE <http://a/> ?x }",
                  "SELECT * { SERVICE <http://a/> { ", "SELECT * { SERVICE nope:a { } }", "SELECT * { SERVICE 'a' { } }"):
        with pytest.raises(ServiceSyntaxError):
            read_services(query)


def test_policy_refuses_what_is_not_allowed():
    policy = RemoteAccessPolicy(service_allow=ALLOW)
    policy.check("SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }")
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9999/query> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { SERVICE <http://evil.example/> { ?s ?p ?o } } }",
        "LOAD <http://127.0.0.1:7878/query>",
        "DELETE { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query/..;/admin> { ?s ?p ?o } }",
        "PREFIX q: <http://127.0.0.1:7878/query/> SELECT * WHERE { SERVICE SILENTq:x { ?s ?p ?o } }",
        "PREFIX q: <http://127.0.0.1:7878/query/> SELECT * WHERE { SERVICEq:x { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o } ; LOADSILENT <http://127.0.0.1:7878/query>",
    ):
        with pytest.raises(RemoteAccessRefused):
            policy.check(query)
    with pytest.raises(ValueError):
        RemoteAccessPolicy(service_allow=("not a url",))


def test_values_block_writes_terms_and_unbound():
    import pyoxigraph as ox

    block = values_block(["a", "b"], [[ox.NamedNode("http://x/"), None], [ox.Literal("é \"q\"", language="nl"), ox.BlankNode("b1")]])
    assert block.startswith('VALUES (?a ?b) { (<http://x/> UNDEF) ("é \\"q\\""@nl <urn:x-stm-kg:service-bnode:')
    assert values_block([], [[]]) == "VALUES () { () }"
