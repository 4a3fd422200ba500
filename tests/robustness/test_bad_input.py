"""Bad input, generated (hypothesis) and hand-picked: malformed and hostile SPARQL, RDF in every accepted syntax
(truncated, wrong encoding, billion laughs, deep nesting, huge literals), odd headers and URLs, wrong methods.
Always a 4xx with a message: never a 500, a hang, a network fetch or a file read."""

from __future__ import annotations

import json
import os
import socket

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endpoint_server import TOKEN, FetchRecorder
from tally import tried

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HYPOTHESIS = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TIMEOUT = 15  # no answer may take longer (the server's time limit is 3 s)


# -- a recorder of network fetches and a local file that must never be read --------------------------------

@pytest.fixture(scope="module")
def recorder():
    recorder = FetchRecorder(b'{"@context": {"name": "http://example.org/FETCHED"}}', "application/ld+json")
    yield recorder.url
    recorder.close()
    assert recorder.hits == [], f"the server fetched {recorder.hits}"


@pytest.fixture(scope="module")
def secret(tmp_path_factory):
    path = tmp_path_factory.mktemp("secret") / "secret.ttl"
    path.write_text('<http://example.org/secret> <http://example.org/p> "SECRET-MARKER" .\n')
    stat = path.stat()
    os.utime(path, (stat.st_mtime - 3600, stat.st_mtime))
    yield path
    assert path.stat().st_atime == stat.st_mtime - 3600, "the server read the local file"


def check(response: requests.Response, kind: str, allowed=(200, 201, 204)) -> None:
    """A well-formed refusal (4xx with a message) or, where ``allowed``, success; never 5xx."""
    tried(kind)
    if response.status_code == 503 and "query-timeout" in response.text:  # a costly query meets the time limit
        return
    assert response.status_code < 500, (kind, response.status_code, response.text[:400])
    assert "SECRET-MARKER" not in response.text and "FETCHED" not in response.text
    if response.status_code >= 400:
        assert response.text.strip(), (kind, response.status_code, "empty error body")
    else:
        assert response.status_code in allowed, (kind, response.status_code)


# -- SPARQL ---------------------------------------------------------------------------------------------------

SPARQL_WORDS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH",
                "SERVICE", "LOAD", "FROM", "NAMED", "VALUES", "BIND", "GROUP BY", "ORDER BY", "LIMIT", "OFFSET",
                "INSERT", "DELETE", "DATA", "CLEAR", "DROP", "PREFIX", "BASE", "*", "?s", "?p", "?o", "$x", "{", "}",
                "(", ")", "[", "]", ".", ";", ",", "<http://example.org/x>", "<file:///etc/passwd>", '"lit"', "'x'",
                '"""long"""', "1", "-2.5e9", "true", "a", "^^", "@nl", "_:b", "|", "/", "+", "?", "!", "^", "\x00",
                "\ud7ff", "é", "#comment\n", "\\", "\\u0000", "COUNT(*)", "REGEX(?o, \"(a+)+$\")", "9" * 400]

sparql_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(SPARQL_WORDS), max_size=40).map(" ".join),
)


@HYPOTHESIS
@given(query=sparql_text, how=st.sampled_from(["get", "form", "body"]))
def test_generated_sparql_queries(target, query, how):
    accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.9, application/problem+json;q=0.1"}
    if how == "get":
        response = requests.get(target.sparql, params={"query": query}, headers=accept, timeout=TIMEOUT)
    elif how == "form":
        response = requests.post(target.sparql, data={"query": query}, headers=accept, timeout=TIMEOUT)
    else:
        response = requests.post(target.sparql, data=query.encode("utf-8", "surrogatepass"), timeout=TIMEOUT,
                                 headers={**accept, "Content-Type": "application/sparql-query"})
    check(response, "sparql: generated query", allowed=(200,))


@HYPOTHESIS
@given(update=sparql_text)
def test_generated_sparql_updates_with_the_token(ungated, update):
    target = ungated
    response = requests.post(target.sparql, data=update.encode("utf-8", "surrogatepass"), timeout=TIMEOUT,
                             headers={**AUTH, "Content-Type": "application/sparql-update"})
    check(response, "sparql: generated update (with token)", allowed=(204,))


HOSTILE_SPARQL = [
    "", " ", "\x00", "SELECT", "SELECT * WHERE {", "SELECT * WHERE { ?s ?p ?o } }", "ASK {} extra",
    "SELECT * WHERE { ?s ?p \"unterminated }", "SELECT * WHERE { <unclosed ?p ?o }",
    "PREFIX : <http://x/> SELECT * WHERE { :a :b :c ",
    "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, \"(a+)+$\")) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, \"[\")) }",
    "SELECT (1/0 AS ?x) WHERE {}", "SELECT (xsd:integer(\"x\") AS ?x) WHERE {}",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 18446744073709551616",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "BASE <file:///etc/> SELECT * WHERE { <passwd> ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } # " + "x" * 100000,
    "SELECT * WHERE { ?s ?p \"" + "x" * 150000 + "\" }",
    "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,
    "SELECT * WHERE " + "{ " * 5000,
    "SELECT ((" + "(" * 20000 + "1" + ")" * 20000 + ") AS ?x) WHERE {}",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 50000 + "true) }",
    "SELECT * WHERE { ?s " + "/".join(["<http://x/p>"] * 5000) + " ?o }",
    "SELECT * WHERE { ?s " + "(" * 5000 + "<http://x/p>" + ")*" * 5000 + " ?o }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY " + " ".join(f"?v{i}" for i in range(5000)),
    "SELECT " + " ".join(f"?v{i}" for i in range(20000)) + " WHERE { ?s ?p ?o }",
    "SELECT * WHERE { VALUES ?x { " + "1 " * 30000 + "} }",
    "SELECT * WHERE { ?s ?p ?o } \udcff".encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
    "SELECT * WHERE { ?s <\u202e> ?o }",
    "DESCRIBE <" + "a" * 100000 + ">",
    "CONSTRUCT WHERE { ?s ?p ?o . FILTER(true) }",
    "SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", HOSTILE_SPARQL, ids=[f"q{i}" for i in range(len(HOSTILE_SPARQL))])
def test_hostile_sparql(target, query, recorder, secret):
    for how in ("get", "post"):
        if how == "get" and len(query) > 6000:
            continue
        if how == "get":
            response = requests.get(target.sparql, params={"query": query}, timeout=TIMEOUT,
                                    headers={"Accept": "application/sparql-results+json"})
        else:
            response = requests.post(target.sparql, data=query.encode("utf-8"), timeout=TIMEOUT,
                                     headers={"Content-Type": "application/sparql-query", "Accept": "application/problem+json"})
        check(response, "sparql: hand-picked hostile query", allowed=(200,))


HOSTILE_UPDATES = [
    "INSERT DATA { <http://x/a> <http://x/b> ", "DELETE WHERE {", "INSERT { <a> <b> <c> } WHERE " + "{ " * 5000 + " }" * 5000,
    "LOAD <file:///etc/passwd>", "LOAD <http://127.0.0.1:1/x>", "CLEAR GRAPH <file:///etc/passwd>",
    "INSERT DATA { <http://x/a> <http://x/b> \"" + "x" * 150000 + "\" }",
    "INSERT DATA { GRAPH " + "{" * 4000 + " }", "DROP", "ADD DEFAULT TO", "CREATE GRAPH", "\x00\x01\x02",
]


@pytest.mark.parametrize("update", HOSTILE_UPDATES, ids=[f"u{i}" for i in range(len(HOSTILE_UPDATES))])
def test_hostile_updates_with_the_token(ungated, update, recorder, secret):
    target = ungated
    response = requests.post(target.sparql, data=update.encode("utf-8"), timeout=TIMEOUT,
                             headers={**AUTH, "Content-Type": "application/sparql-update"})
    check(response, "sparql: hand-picked hostile update (with token)", allowed=(204,))


# -- RDF uploads ------------------------------------------------------------------------------------------------

VALID = {
    "text/turtle": '@prefix ex: <http://example.org/> . ex:a ex:b "één" , 2 ; ex:c [ ex:d ( 1 2 3 ) ] .',
    "application/n-triples": '<http://example.org/a> <http://example.org/b> "één" .\n<http://example.org/a> <http://example.org/c> "2" .\n',
    "application/ld+json": '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:b": "één", "ex:c": {"@id": "ex:d"}}',
    "application/rdf+xml": ('<?xml version="1.0" encoding="UTF-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                            'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a"><ex:b>één</ex:b>'
                            '</rdf:Description></rdf:RDF>'),
    "application/trig": '<http://example.org/g> { <http://example.org/a> <http://example.org/b> "één" . }',
    "application/n-quads": '<http://example.org/a> <http://example.org/b> "één" <http://example.org/g> .\n',
}


def hostile_bodies(recorder: str, secret) -> list[tuple[str, str, bytes]]:
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    cases = [
        ("application/rdf+xml", "billion-laughs", (
            f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">{laughs}]><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a"><ex:b>&l9;</ex:b></rdf:Description></rdf:RDF>').encode()),
        ("application/rdf+xml", "external-entity-file", (
            f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{secret.as_uri()}">]><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a"><ex:b>&x;</ex:b></rdf:Description></rdf:RDF>').encode()),
        ("application/rdf+xml", "external-dtd", (
            f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "{recorder}/dtd"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>').encode()),
        ("application/rdf+xml", "deep-xml", (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a">' + '<ex:b rdf:parseType="Resource">' * 5000
            + "</ex:b>" * 5000 + "</rdf:Description></rdf:RDF>").encode()),
        ("application/ld+json", "deep-jsonld-objects", ('{"@id": "http://example.org/a", "http://example.org/b": '
                                                        + '{"http://example.org/c": ' * 30000 + "1" + "}" * 30000 + "}").encode()),
        ("application/ld+json", "deep-jsonld-arrays", ('{"@id": "http://example.org/a", "http://example.org/b": '
                                                       + "[" * 40000 + "1" + "]" * 40000 + "}").encode()),
        ("application/ld+json", "deep-jsonld-context", ('{"@context": ' + '{"@context": ' * 20000 + "{}" + "}" * 20000
                                                        + ', "@id": "http://example.org/a"}').encode()),
        ("application/ld+json", "remote-context", f'{{"@context": "{recorder}/ctx", "@id": "http://example.org/a", "name": "x"}}'.encode()),
        ("application/ld+json", "file-context", f'{{"@context": "{secret.as_uri()}", "@id": "http://example.org/a"}}'.encode()),
        ("application/ld+json", "import-context", f'{{"@context": {{"@import": "{recorder}/imp"}}, "@id": "http://example.org/a"}}'.encode()),
        ("text/turtle", "deep-turtle-blank-nodes", ("<http://example.org/a> <http://example.org/b> " + "[ <http://example.org/p> " * 20000
                                                    + "1" + " ]" * 20000 + " .").encode()),
        ("text/turtle", "deep-turtle-collections", ("<http://example.org/a> <http://example.org/b> " + "( " * 40000 + ")" * 40000
                                                    + " .").encode()),
        ("text/turtle", "huge-literal", ('<http://example.org/a> <http://example.org/b> "' + "x" * 190000 + '" .').encode()),
        ("text/turtle", "over-the-request-limit", ('<http://example.org/a> <http://example.org/b> "' + "x" * 300000 + '" .').encode()),
        ("text/turtle", "huge-iri", ("<http://example.org/" + "a" * 150000 + "> <http://example.org/b> 1 .").encode()),
        ("text/turtle", "prefix-file", f"@base <{secret.as_uri()}> . <> <http://example.org/b> 1 .".encode()),
        ("text/turtle", "nul-bytes", b"<http://example.org/a> <http://example.org/b> \"\x00\" .\x00\x00"),
        ("application/n-triples", "latin-1", '<http://example.org/a> <http://example.org/b> "één" .\n'.encode("latin-1")),
        ("application/n-triples", "utf-16", '<http://example.org/a> <http://example.org/b> "één" .\n'.encode("utf-16")),
        ("text/turtle", "utf-8-bom", b"\xef\xbb\xbf" + VALID["text/turtle"].encode()),
        ("application/rdf+xml", "declared-latin-1", ('<?xml version="1.0" encoding="ISO-8859-1"?><rdf:RDF '
                                                     'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>').encode()),
        ("text/turtle", "empty", b""),
        ("text/turtle", "binary", bytes(range(256)) * 10),
        ("text/turtle; charset=utf-16", "charset-param", VALID["text/turtle"].encode()),
        ("application/x-unknown", "unknown-type", VALID["text/turtle"].encode()),
        ("", "no-type", VALID["text/turtle"].encode()),
    ]
    for media_type, text in VALID.items():
        data = text.encode()
        for cut in (len(data) // 3, len(data) // 2, len(data) - 3):
            cases.append((media_type, f"truncated-{cut}", data[:cut]))
        cases.append((media_type, "invalid-utf-8", data.replace("één".encode(), b"\xff\xfe\xc3")))
        cases.append((media_type, "valid", data))
    return cases


def test_hostile_rdf_uploads_with_the_token(ungated, recorder, secret):
    target = ungated
    for media_type, name, body in hostile_bodies(recorder, secret):
        for method in ("PUT", "POST"):
            headers = {**AUTH, "Accept": "application/problem+json"}
            if media_type:
                headers["Content-Type"] = media_type
            response = requests.request(method, target.store, params={"graph": f"http://example.org/upload/{name}"},
                                        data=body, headers=headers, timeout=60)  # a hang fails as ReadTimeout
            check(response, "rdf: hand-picked hostile upload (with token)", allowed=(201, 204))
            if response.status_code == 400 and media_type not in ("application/trig", "application/n-quads"):
                assert name != "valid", response.text
    served = requests.get(target.sparql, params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10000"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30).text
    assert "SECRET-MARKER" not in served and "FETCHED" not in served and "lollollol" not in served


@HYPOTHESIS
@given(media_type=st.sampled_from(list(VALID)), data=st.data())
def test_generated_rdf_uploads_with_the_token(ungated, media_type, data):
    target = ungated
    original = VALID[media_type].encode()
    mutation = data.draw(st.sampled_from(["cut", "flip", "insert", "random"]))
    if mutation == "cut":
        body = original[: data.draw(st.integers(0, len(original)))]
    elif mutation == "flip":
        at = data.draw(st.integers(0, len(original) - 1))
        body = original[:at] + bytes([data.draw(st.integers(0, 255))]) + original[at + 1:]
    elif mutation == "insert":
        at = data.draw(st.integers(0, len(original)))
        body = original[:at] + data.draw(st.binary(max_size=40)) + original[at:]
    else:
        body = data.draw(st.binary(max_size=300))
    response = requests.put(target.store, params={"graph": "http://example.org/upload/generated"}, data=body, timeout=TIMEOUT,
                            headers={**AUTH, "Content-Type": media_type})
    check(response, "rdf: generated upload (with token)", allowed=(201, 204))


# -- headers, URLs and methods ------------------------------------------------------------------------------

ODD_HEADERS = [
    {"Accept": ""}, {"Accept": "*/*;q=abc"}, {"Accept": "garbage"}, {"Accept": ",,,;;;"}, {"Accept": "a/b;q=0.5," * 2000},
    {"Accept": "text/html;q=0"}, {"Accept": "application/sparql-results+json;q=-1"}, {"Accept": "image/png"},
    {"Accept": "\u00e9/\u00e9"}, {"Accept-Charset": "utf-7"}, {"Accept-Encoding": "gzip;q=x"}, {"Accept-Language": "x" * 5000},
    {"Content-Type": "application/sparql-query; charset=latin-1"}, {"Content-Type": ";;;"}, {"Content-Length": "0"},
    {"Host": "evil.example.org"}, {"Host": ""}, {"X-Forwarded-Host": "evil.example.org"}, {"X-Forwarded-For": "1.2.3.4, " * 200},
    {"X-Forwarded-Proto": "gopher"}, {"Origin": "http://evil.example.org"}, {"Cookie": "a=" + "b" * 3000},
    {"Range": "bytes=0-1,2-3,4-5" * 100}, {"If-None-Match": "*"}, {"Expect": "100-continue"}, {"Transfer-Encoding": "gzip"},
]


#: Under waitress (until issue 8's second session) this GET hung: waitress answered "100 Continue" and then
#: waited for a body that never came. It is kept with a short timeout, so that a hang shows as a failure.
EXPECT_CONTINUE = {"Expect": "100-continue"}


@pytest.mark.parametrize("headers", ODD_HEADERS, ids=[f"h{i}" for i in range(len(ODD_HEADERS))])
def test_odd_headers(target, headers):
    for method, path, params in (("GET", "/sparql", {"query": "ASK {}"}), ("GET", "/sparql", {}), ("GET", "/store", {"default": ""}),
                                 ("GET", "/", {}), ("GET", "/health", {})):
        try:
            response = requests.request(method, target.url + path, params=params, headers=headers,
                                        timeout=5 if headers == EXPECT_CONTINUE else TIMEOUT)
        except requests.exceptions.ConnectionError:  # the server may close a connection it cannot parse
            tried("http: odd header")
            continue
        if "Transfer-Encoding" in headers and response.status_code == 400 and not response.content:
            tried("http: odd header")  # a body that cannot be framed: the HTTP engine refuses it before the app
            continue
        check(response, "http: odd header", allowed=(200,))


ODD_PATHS = [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/server/stm_kg/config.py", "/static//etc/passwd", "/static/", "/static/x%00.js", "/sparql%00",
    "/sparql/", "/SPARQL", "/sparql;jsessionid=1", "/store/../sparql", "/health?x=" + "y" * 20000, "/" + "a" * 10000,
    "/sparql?query=%ZZ", "/sparql?query=%", "/sparql?query=%ff%fe", "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D",
    "/sparql?query=ASK%7B%7D&default-graph-uri=file:///etc/passwd", "/sparql?query=ASK%7B%7D&named-graph-uri=%00",
    "/sparql?update=DROP%20ALL", "/store?graph=file:///etc/passwd", "/store?graph=%ff", "/store?graph=", "/store",
    "/store?default&graph=http://x/", "/store?graph=http://x/&graph=http://y/", "/sparql?format=../../etc/passwd&query=ASK%7B%7D",
    "/sparql?format=%00&query=ASK%7B%7D", "//sparql", "/./sparql", "/%73parql", "/favicon.ico", "/.git/config", "/.env",
    "/id/organisatie/../../../etc/passwd", "/id/" + "x" * 5000, "/doc/%ff",
]


def raw_request(server, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (no client normalises them); (status, whole answer). Status 0: connection closed."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) as sock:
        sock.sendall(request)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and len(b"".join(chunks)) > 0:
                    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                    length = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
                    if length and len(body) >= int(length[0].split(b":")[1]):
                        break
        except socket.timeout:
            raise AssertionError(f"no answer in {TIMEOUT} s to {request[:100]!r}") from None
    answer = b"".join(chunks)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer


@pytest.mark.parametrize("path", ODD_PATHS, ids=[f"p{i}" for i in range(len(ODD_PATHS))])
def test_odd_urls(target, path, secret):
    status, answer = raw_request(target, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    tried("http: odd URL")
    assert 200 <= status < 500, (path, status, answer[:300])
    assert b"root:" not in answer and b"SECRET-MARKER" not in answer and b"CANONICAL_BASE" not in answer
    if status >= 400:
        assert answer.partition(b"\r\n\r\n")[2].strip(), (path, "empty error body")


RAW_REQUESTS = [
    b"GET /sparql HTTP/1.1\r\n\r\n",  # no Host
    b"GARBAGE\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/9.9\r\nHost: x\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 5\r\nConnection: close\r\n\r\nASK {}",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: -1\r\nConnection: close\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    b"6\r\nASK {}\r\n0\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    b"zz\r\nASK {}\r\n0\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"
    b"Connection: close\r\n\r\n0\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-" + b"a" * 70000 + b": 1\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(3000)) + b"Connection: close\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\nConnection: close\r\n\r\n",
    b"GET \xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n",
    b"GET http://evil.example.org/sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
]


@pytest.mark.parametrize("request_bytes", RAW_REQUESTS, ids=[f"r{i}" for i in range(len(RAW_REQUESTS))])
def test_raw_malformed_requests(target, request_bytes):
    status, answer = raw_request(target, request_bytes)
    tried("http: malformed raw request")
    assert status == 0 or status < 500, (status, answer[:300])  # 0: the server closed a connection it could not parse


METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "COPY", "MOVE",
           "LOCK", "FOO"]


@pytest.mark.parametrize("method", METHODS)
def test_wrong_methods(target, method):
    for path in ("/sparql", "/store?default", "/store?graph=http://example.org/x", "/", "/health", "/static/x.js"):
        status, answer = raw_request(target, f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                                             f"Connection: close\r\n\r\n".encode())
        tried("http: method x path")
        assert 0 < status < 500, (method, path, status, answer[:300])
        if status >= 400 and method != "HEAD":
            assert answer.partition(b"\r\n\r\n")[2].strip(), (method, path, "empty error body")
        assert TOKEN.encode() not in answer


def test_the_server_is_still_well_after_all_this(target):
    response = requests.get(target.url + "/health", timeout=TIMEOUT)
    assert response.status_code == 200
    assert json.loads(response.text)["status"] == "ok"
