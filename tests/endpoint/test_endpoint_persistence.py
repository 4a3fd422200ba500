"""``--store DIR``: accepted writes survive a restart and a crash (``kill -9``) mid-way through a stream."""

from __future__ import annotations

import threading

import pytest
import requests

from endpoint_server import SAMPLE, TOKEN, RunningServer

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
GRAPH = "http://example.org/graph/stream"


def stored_numbers(server: RunningServer) -> set[int]:
    query = f"SELECT ?n WHERE {{ GRAPH <{GRAPH}> {{ ?s <http://example.org/n> ?n }} }}"
    rows = requests.get(server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}).json()
    return {int(row["n"]["value"]) for row in rows["results"]["bindings"]}


def disk_server(tmp_path, name: str) -> RunningServer:
    args = ["--no-bundled", "--data", str(SAMPLE), "--store", str(tmp_path / "store"), "--write-token", TOKEN, "--no-validate-writes"]
    return RunningServer(args, tmp_path / f"{name}.log").start()


def test_writes_survive_a_restart(tmp_path):
    server = disk_server(tmp_path, "first")
    try:
        response = requests.post(server.store, params={"graph": GRAPH}, data="<http://example.org/s> <http://example.org/n> 7 .", headers=AUTH)
        assert response.status_code == 201
    finally:
        server.stop()
    again = disk_server(tmp_path, "second")
    try:
        assert stored_numbers(again) == {7}
        sample = requests.get(again.sparql, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
        assert sample.text.splitlines()[1] == "18"  # the sample was not loaded twice
    finally:
        again.stop()


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_when_killed(tmp_path):
    server = disk_server(tmp_path, "crashing")
    acknowledged: list[int] = []
    enough = threading.Event()

    def stream() -> None:
        for n in range(10_000):
            try:
                response = requests.post(server.store, params={"graph": GRAPH}, timeout=10,
                                         data=f"<http://example.org/s{n}> <http://example.org/n> {n} .", headers=AUTH)
            except requests.ConnectionError:
                return
            if response.status_code in (201, 204):
                acknowledged.append(n)
            if len(acknowledged) >= 60:
                enough.set()

    writer = threading.Thread(target=stream)
    writer.start()
    try:
        assert enough.wait(60), "the writes did not get through"
    finally:
        server.kill()
        writer.join()
    restarted = disk_server(tmp_path, "restarted")
    try:
        stored = stored_numbers(restarted)
        assert set(acknowledged) <= stored
        assert len(stored) <= len(acknowledged) + 1  # at most the write in flight when killed
    finally:
        restarted.stop()
