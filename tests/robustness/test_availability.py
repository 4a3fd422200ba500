"""Cheap client behaviour must not take the server down: slow bodies, runaway queries, idle connections,
clients that never read, writers and floods; and a shutdown answers what it has (issue 12, findings 2-6, 8).

Every test here failed against the first serving design (granian's WSGI worker with one app thread per CPU,
bodies read by those threads, evaluation waited for in them). Other clients come from other loopback
addresses (127.0.0.2, ...: Linux routes all of 127/8 to the loopback), because fairness is per client
address. No assert is on speed: a request that hangs fails through its own timeout.
"""

from __future__ import annotations

import http.client
import os
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

from endpoint_server import SAMPLE, TOKEN, RunningServer, child_pids, free_port, tree_memory_mb
from tally import tried

pytestmark = pytest.mark.slow

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: How long a test waits for an answer that must come (the hang guard).
ANSWER = 20


def ask(server: RunningServer, path: str, *, source: str = "127.0.0.1", timeout: float = ANSWER,
        method: str = "GET", body: bytes | None = None, headers: dict | None = None) -> http.client.HTTPResponse:
    """One request on a new connection from ``source``; the response with its body read (``.data``)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout, source_address=(source, 0))
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.data = response.read()
    connection.close()
    return response


def cheap(n: int) -> str:
    """A cheap query the server has not seen (so it is not answered from the quick lane)."""
    return "/sparql?query=" + urllib.parse.quote(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {n}")


def assert_answered(server: RunningServer, n: int, source: str = "127.0.0.1") -> None:
    assert ask(server, "/health", source=source).status == 200
    response = ask(server, cheap(n), source=source, headers={"Accept": "application/sparql-results+json"})
    assert response.status == 200, response.data[:300]


@pytest.fixture(scope="module")
def pool(tmp_path_factory, generated_data):
    """Starts servers on the sample data and about 3,000 generated triples, with more options."""
    started: list[RunningServer] = []
    logs = tmp_path_factory.mktemp("availability-logs")

    def start(*args: str, env: dict | None = None) -> RunningServer:
        server = RunningServer(["--no-bundled", "--data", str(SAMPLE), str(generated_data), *args],
                               logs / f"server-{len(started)}.log")
        if env:
            server.env = env
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def slow_body(server: RunningServer, source: str = "127.0.0.3") -> socket.socket:
    """A POST that announces 100,000 bytes of body and sends one."""
    sock = socket.create_connection(("127.0.0.1", server.port), source_address=(source, 0))
    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                 b"Content-Length: 100000\r\n\r\nS")
    return sock


def test_slow_request_bodies_hold_no_thread_and_end_with_408(pool):
    server = pool("--body-timeout", "3")
    bodies = [slow_body(server) for _ in range(2 * (os.cpu_count() or 2) + 4)]
    time.sleep(0.5)
    try:
        assert_answered(server, 1)
        for sock in bodies:
            sock.settimeout(ANSWER)
            assert sock.recv(64).startswith(b"HTTP/1.1 408"), "a body that never arrives ends with 408"
        tried("availability: slow request body", len(bodies))
    finally:
        for sock in bodies:
            sock.close()


def test_runaway_queries_of_one_client_leave_health_and_other_clients_answered(pool):
    server = pool("--timeout", "8")
    outcomes: list[int] = []

    def runaway():
        outcomes.append(ask(server, "/sparql?query=" + urllib.parse.quote(RUNAWAY), source="127.0.0.2").status)

    threads = [threading.Thread(target=runaway) for _ in range(2 * (os.cpu_count() or 2) + 2)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    for n in range(3):
        assert_answered(server, 10 + n)
    assert not outcomes, "the runaways were answered before the cheap queries: the test proved nothing"
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {503}, outcomes  # cut off at the limit, or refused while the client waited its turn
    tried("availability: runaway query", len(threads))


def test_a_client_past_its_share_waits_or_gets_503_with_retry_after(pool):
    server = pool("--timeout", "6", "--per-client", "1", "--queue-limit", "2")
    statuses: list[tuple[int, str | None]] = []

    def runaway():
        response = ask(server, "/sparql?query=" + urllib.parse.quote(RUNAWAY), source="127.0.0.2")
        statuses.append((response.status, response.getheader("Retry-After")))

    threads = [threading.Thread(target=runaway) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    busy = [retry for status, retry in statuses if status == 503 and retry == "1"]
    assert len(busy) >= 3, statuses  # one runs, two may wait, the rest are refused at once
    assert_answered(server, 20)
    tried("availability: request past the queue", len(threads))


def test_a_thousand_idle_connections_do_not_stop_new_ones(pool):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 3000:
        pytest.skip(f"the open-file limit ({hard}) is too low for this test")
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard) if hard != resource.RLIM_INFINITY else 4096, hard))
    server = pool("--idle-timeout", "5")
    idle = [socket.create_connection(("127.0.0.1", server.port), source_address=("127.0.0.4", 0)) for _ in range(1200)]
    try:
        time.sleep(0.5)
        assert_answered(server, 30)
        time.sleep(6)  # past the idle limit: the server has closed them
        for sock in idle[:50]:
            sock.settimeout(ANSWER)
            assert sock.recv(16) == b"", "an idle connection stays open past --idle-timeout"
        tried("availability: idle connection", len(idle))
    finally:
        for sock in idle:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _never_reading(server: RunningServer, query: str, first: int, count: int) -> list[socket.socket]:
    readers = []
    for i in range(first, first + count):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(f"GET /sparql?query={query}&n={i} HTTP/1.1\r\nHost: x\r\nAccept: application/n-triples\r\n\r\n"
                     .encode())
        readers.append(sock)
    return readers


def test_memory_does_not_grow_with_clients_that_never_read(pool):
    """Held responses are bounded (``--unsent-bytes``; larger ones past it get 503) and cut off after
    ``--send-timeout``: the first clients cost the working memory of their evaluations, more clients cost
    nothing more (the first design held every response: 12 such clients grew a process from 250 MB to 1.2 GB)."""
    budget = 16 * 1024 * 1024
    server = pool("--unsent-bytes", str(budget), "--send-timeout", "6")
    big = urllib.parse.quote("CONSTRUCT { ?s ?p ?o . ?s <urn:n> ?n } WHERE { ?s ?p ?o VALUES ?n { "
                             + " ".join(str(i) for i in range(20)) + " } }")
    size = len(ask(server, f"/sparql?query={big}", headers={"Accept": "application/n-triples"}).data)
    assert size > 4_000_000, "the result must be large for this test"
    _, before = tree_memory_mb(server.process.pid)
    readers = _never_reading(server, big, 0, 30)
    try:
        time.sleep(3)
        _, first = tree_memory_mb(server.process.pid)
        readers += _never_reading(server, big, 30, 90)
        time.sleep(3)
        _, more = tree_memory_mb(server.process.pid)
        assert_answered(server, 40)
        statuses = []
        for sock in readers:
            sock.settimeout(ANSWER)
            statuses.append(sock.recv(12)[9:12])
        assert b"503" in statuses and b"200" in statuses, statuses  # past the budget, others were refused
        unbounded = 90 * size / 2**20
        assert more - first < unbounded / 4, f"90 more clients that never read cost {more - first:.0f} MB"
        print(f"\n  clients that never read a {size / 2**20:.1f} MB response: PSS {before:.0f} MB before, "
              f"{first:.0f} MB with 30, {more:.0f} MB with 120 (holding them all: +{unbounded:.0f} MB)")
        time.sleep(7)  # past --send-timeout: the server has cut off those it was sending to
        for sock in readers:
            sock.settimeout(ANSWER)
            try:
                while sock.recv(1 << 20):
                    pass
            except ConnectionResetError:
                pass
        tried("availability: client that never reads", len(readers))
    finally:
        for sock in readers:
            sock.close()


def test_gated_writes_do_not_keep_reads_from_being_answered(pool):
    server = pool("--write-token", TOKEN)
    stop = time.monotonic() + 8
    written: list[int] = []

    def writer(n: int):
        i = 0
        while time.monotonic() < stop:
            i += 1
            turtle = (f"<https://w3id.org/stm-kg/id/test/w{n}-{i}> <http://www.w3.org/2000/01/rdf-schema#label> "
                      f'"writer {n} write {i}"@nl .').encode()
            response = ask(server, "/store?graph=" + urllib.parse.quote(f"urn:x-test:writes-{n}"), method="POST",
                           body=turtle, source="127.0.0.5",
                           headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
            written.append(response.status)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in writers:
        thread.start()
    reads = 0
    while time.monotonic() < stop:
        assert_answered(server, 100 + reads)
        reads += 1
    for thread in writers:
        thread.join()
    assert written and set(written) <= {200, 201, 204}, written
    tried("availability: read while writes stream", reads)


def test_sigterm_answers_what_is_in_flight_and_refuses_the_rest(pool, tmp_path):
    server = pool("--write-token", TOKEN, "--store", str(tmp_path / "store"))
    statuses: list = []
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            i += 1
            try:
                response = ask(server, "/sparql", method="POST", timeout=ANSWER,
                               body=f'INSERT DATA {{ <urn:x-test:s{i}> <urn:x-test:p> "{i}" }}'.encode(),
                               headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
                statuses.append(response.status)
            except (ConnectionError, http.client.HTTPException, OSError) as error:  # after the server has gone
                statuses.append(type(error).__name__)
                return

    writers = [threading.Thread(target=writer) for _ in range(3)]
    for thread in writers:
        thread.start()
    time.sleep(1.5)
    server.process.send_signal(15)
    late = []
    for _ in range(5):  # requests sent while it stops: answered 503 or refused, never left hanging
        try:
            late.append(ask(server, cheap(200), timeout=ANSWER).status)
        except (ConnectionError, OSError) as error:
            late.append(type(error).__name__)
    server.process.wait(timeout=60)
    stop.set()
    for thread in writers:
        thread.join()
    answered = [s for s in statuses if isinstance(s, int)]
    assert answered and set(answered) <= {204, 503}, statuses  # never a 500 (BrokenPipeError) nor a hang
    assert all(s == 503 or isinstance(s, str) for s in late[1:]), late
    assert "Traceback" not in server.log(), server.log()[-3000:]
    tried("availability: request during shutdown", len(statuses) + len(late))


def test_links_and_redirects_never_come_from_the_host_header(pool):
    server = pool("--public-url", "https://kg.example.org/")
    response = ask(server, "/id/organisatie/comensha", headers={"Host": "evil.example"})
    assert response.status == 303
    assert response.getheader("Location") == "https://kg.example.org/doc/organisatie/comensha"
    page = ask(server, "/", headers={"Host": "evil.example", "Accept": "text/html"})
    assert b"evil.example" not in page.data and b"https://kg.example.org/sparql" in page.data
    default = pool()  # no --public-url: the address it listens on
    response = ask(default, "/id/organisatie/comensha", headers={"Host": "evil.example"})
    assert response.getheader("Location") == f"http://127.0.0.1:{default.port}/doc/organisatie/comensha"


@pytest.mark.parametrize("path", ["/health", "/", "/sparql?query=ASK%7B%7D", "/sparql?query=ASK%7B%7D&x=1",
                                  "/sparql?query=SELEKT", "/no/such/page", "/catalog", "/.well-known/void",
                                  "/dataset", "/doc/organisatie/comensha", "/api", "/def/ont"])
def test_every_response_carries_the_security_headers(pool, path):
    server = secured_server(pool)
    for _ in range(2):  # the second time a quick query comes from the quick lane
        response = ask(server, path, headers={"Accept": "text/html, */*;q=0.5"})
        assert response.getheader("X-Content-Type-Options") == "nosniff", (path, response.status)
        assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
        assert "default-src 'self'" in (response.getheader("Content-Security-Policy") or "")


def test_static_files_and_refusals_carry_the_security_headers_too(pool):
    server = secured_server(pool)
    page = ask(server, "/").data.decode()
    static = page.split('src="', 1)[1].split('"', 1)[0]
    response = ask(server, static)
    assert response.status == 200 and response.getheader("X-Content-Type-Options") == "nosniff"
    assert "default-src 'self'" in (response.getheader("Content-Security-Policy") or "")
    with socket.create_connection(("127.0.0.1", server.port)) as sock:  # refused by the front, before any thread
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 20000000\r\n\r\nASK {}")
        sock.settimeout(ANSWER)
        head = sock.recv(4096).decode("latin-1").lower()
    assert head.startswith("http/1.1 413") and "x-content-type-options: nosniff" in head, head
    assert "content-security-policy: default-src 'self'" in head


_secured: dict = {}


def secured_server(pool) -> RunningServer:
    if "server" not in _secured:
        _secured["server"] = pool()
    return _secured["server"]


def test_the_write_token_can_come_from_the_environment_or_a_file_not_the_command_line(pool, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    for server in (pool("--write-token-file", str(token_file)), pool(env={**os.environ, "STM_KG_WRITE_TOKEN": TOKEN})):
        for pid in [server.process.pid, *child_pids(server.process.pid)]:
            assert TOKEN not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        body = b'INSERT DATA { <urn:x-test:token> <urn:x-test:p> "1" }'
        refused = ask(server, "/sparql", method="POST", body=body, headers={"Content-Type": "application/sparql-update"})
        assert refused.status in (401, 403)
        done = ask(server, "/sparql", method="POST", body=body,
                   headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert done.status == 204, done.data[:300]


def test_an_empty_token_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    done = subprocess.run([sys.executable, "-m", "stm_kg.cli", "serve", "--port", str(free_port()), "--no-bundled",
                           "--write-token-file", str(empty)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "holds no write token" in done.stderr
