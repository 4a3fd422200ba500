"""The process model of ``stm-kg serve`` (stm_kg.serving): one owner of the store, serving processes forked from it.

What users rely on: every request after an acknowledged write sees it, whichever serving process answers and
however the store is kept; a serving process that dies is replaced while the server goes on answering; the
serving processes end with the server.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import requests
from endpoint_server import SAMPLE, TOKEN, RunningServer

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
GRAPH = "http://example.org/graph/serving"


def count_in_graph(server: RunningServer) -> int:
    """Triples in :data:`GRAPH`, asked on a new connection each time (so any serving process may answer)."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    response = requests.get(server.sparql, params={"query": query}, headers={**JSON, "Connection": "close"}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def write(server: RunningServer, n: int) -> requests.Response:
    """Add one triple for ``n``: by SPARQL Update on even numbers, by Graph Store POST on odd ones."""
    triple = f'<http://example.org/thing/{n}> <http://example.org/says> "hallo {n}"@nl .'
    if n % 2 == 0:
        return requests.post(server.sparql, data=f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {triple} }} }}", timeout=30,
                             headers={**AUTH, "Content-Type": "application/sparql-update", "Connection": "close"})
    return requests.post(server.store, params={"graph": GRAPH}, data=triple, timeout=30,
                         headers={**AUTH, "Content-Type": "text/turtle", "Connection": "close"})


@pytest.mark.parametrize("kept, processes", [("in memory", 1), ("in memory", 2), ("on disk", 1), ("on disk", 2)])
def test_every_request_after_a_write_sees_it(tmp_path, kept, processes):
    store = ["--store", str(tmp_path / "store")] if kept == "on disk" else []
    server = RunningServer(["--no-bundled", "--data", str(SAMPLE), "--write-token", TOKEN, "--no-validate-writes",
                            "--workers", str(processes), *store], tmp_path / "server.log").start()
    try:
        for n in range(24):
            response = write(server, n)
            assert response.status_code in (201, 204), response.text
            seen = [count_in_graph(server) for _ in range(3)]  # new connections: any process may answer
            assert seen == [n + 1] * 3, f"after write {n}: {seen}"
    finally:
        server.stop()


def kill_and_await_replacement(server: RunningServer, pid: int) -> list[int]:
    """SIGKILL the serving process ``pid`` and wait until the server answers with its replacement running."""
    before = len(server.children())
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            children = server.children()
            if requests.get(f"{server.url}/health", timeout=5).status_code == 200 and len(children) == before \
                    and pid not in children:
                return children
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"no replacement for serving process {pid} within 30 s: {server.children()}")


def test_a_killed_serving_process_is_replaced_and_the_server_goes_on(tmp_path):
    server = RunningServer(["--no-bundled", "--data", str(SAMPLE)], tmp_path / "server.log").start()
    try:
        [first] = server.children()
        replacement = kill_and_await_replacement(server, first)
        assert replacement and first not in replacement, replacement
        assert requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=10).json()["boolean"]
        assert "ended unexpectedly" in server.log()
    finally:
        server.stop()


MADE_UP = f"""PREFIX ex: <http://example.org/>
INSERT {{ GRAPH <{GRAPH}> {{ ex:made ex:uuid ?u ; ex:random ?r ; ex:at ?t ; ex:node ?b . ?b ex:from ?u }} }}
WHERE {{ BIND(STRUUID() AS ?u) BIND(RAND() AS ?r) BIND(NOW() AS ?t) BIND(BNODE() AS ?b) }}"""


def made_up_values(server: RunningServer) -> tuple:
    query = f"""SELECT ?u ?r ?t ?from WHERE {{ GRAPH <{GRAPH}> {{ <http://example.org/made> <http://example.org/uuid> ?u ;
        <http://example.org/random> ?r ; <http://example.org/at> ?t ; <http://example.org/node> [ <http://example.org/from> ?from ] }} }}"""
    response = requests.get(server.sparql, params={"query": query}, headers={**JSON, "Connection": "close"}, timeout=30)
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    return tuple(row[name]["value"] for name in ("u", "r", "t", "from"))


@pytest.mark.parametrize("gated", [False, True])
def test_values_an_update_makes_up_are_the_same_in_every_process(tmp_path, gated):
    """STRUUID(), RAND(), NOW() and BNODE() give new values on every evaluation: the owner evaluates such an
    update once and every serving process takes its outcome, so all answer alike, and so does one forked
    later from the owner's data (before, each copy evaluated the update itself and made up its own values)."""
    gate = [] if gated else ["--no-validate-writes"]
    server = RunningServer(["--no-bundled", "--data", str(SAMPLE), "--write-token", TOKEN, *gate, "--workers", "2"],
                           tmp_path / "server.log").start()
    try:
        response = requests.post(server.sparql, data=MADE_UP, timeout=30,
                                 headers={**AUTH, "Content-Type": "application/sparql-update", "Connection": "close"})
        assert response.status_code == 204, response.text
        seen = {made_up_values(server) for _ in range(12)}
        assert len(seen) == 1, seen
        [values] = seen
        assert values[0] == values[3]  # the blank node made by BNODE() holds the same uuid
        for pid in server.children():  # every process now forked from the owner's data
            kill_and_await_replacement(server, pid)
        assert {made_up_values(server) for _ in range(12)} == seen
    finally:
        server.stop()


def running(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_serving_processes_end_with_the_server(tmp_path, how):
    server = RunningServer(["--no-bundled", "--data", str(SAMPLE), "--workers", "2"], tmp_path / "server.log").start()
    children = server.children()
    assert len(children) == 2
    server.stop(how)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(running(pid) for pid in children):
        time.sleep(0.1)
    left = [pid for pid in children if running(pid)]
    assert not left, f"serving processes still running after {signal.Signals(how).name}: {left}"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/health", timeout=5)


def test_checkpoints_of_an_on_disk_store_are_removed_once_nobody_reads_them(tmp_path, monkeypatch):
    """Each write to an on-disk store makes a checkpoint the serving processes switch to; older ones must go."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # where the server makes its checkpoints
    server = RunningServer(["--no-bundled", "--data", str(SAMPLE), "--write-token", TOKEN, "--no-validate-writes",
                            "--store", str(tmp_path / "store"), "--timeout", "5"], tmp_path / "server.log").start()

    def checkpoints() -> list[str]:
        return sorted(path.name for path in scratch.glob("stm-kg-snapshot-*"))

    try:
        assert len(checkpoints()) == 1  # the one the serving process was started on
        for n in range(3):
            assert write(server, n).status_code in (201, 204)
        assert len(checkpoints()) == 4  # old ones stay while a query may still read them
        deadline = time.monotonic() + 30  # the grace period is the time limit + 5 s
        while time.monotonic() < deadline and len(checkpoints()) > 1:
            requests.get(f"{server.url}/health", timeout=5)
            time.sleep(0.5)
        assert len(checkpoints()) == 1, checkpoints()
        assert count_in_graph(server) == 3
    finally:
        server.stop()
    assert checkpoints() == []  # and the last one goes with the server
