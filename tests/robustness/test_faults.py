"""Faults: ``kill -9`` during a stream of SHACL-gated writes to an on-disk store loses no acknowledged write and
leaves no half-written one; a read-only store directory or a full disk gives a clear error, not corruption."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from endpoint_server import SAMPLE, TOKEN, RunningServer
from tally import tried

AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "http://example.org/graph/stream"
TRIPLES_PER_WRITE = 9  # a person with name, labels and a qualified derivation: all or nothing


def person(n: int) -> str:
    s = f"<http://example.org/person/{n}>"
    return (f'{s} a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> "Persoon {n}" ; '
            f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Persoon {n}"@nl ; '
            f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Person {n}"@en ; '
            f'<http://www.w3.org/ns/prov#wasDerivedFrom> <http://example.org/source> ; '
            f'<http://www.w3.org/ns/prov#qualifiedDerivation> [ a <http://www.w3.org/ns/prov#Derivation> ; '
            f'<http://www.w3.org/ns/prov#entity> <http://example.org/source> ; '
            f'<https://w3id.org/stm-kg/def/ont/quote> "persoon {n}"@nl ] .')


def write(server: RunningServer, n: int) -> requests.Response:
    """Write ``n`` by SPARQL Update on even numbers, by Graph Store POST on odd ones (both gated)."""
    if n % 2 == 0:
        text = person(n)  # INSERT DATA takes blank nodes in [] syntax as well
        return requests.post(server.sparql, data=f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {text} }} }}", timeout=30,
                             headers={**AUTH, "Content-Type": "application/sparql-update"})
    return requests.post(server.store, params={"graph": GRAPH}, data=person(n), timeout=30,
                         headers={**AUTH, "Content-Type": "text/turtle"})


def triples_by_person(server: RunningServer) -> dict[int, int]:
    query = f"""SELECT ?s (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{
        {{ ?s ?p ?o FILTER(isIRI(?s)) }} UNION {{ ?s <http://www.w3.org/ns/prov#qualifiedDerivation> ?d . ?d ?p ?o }} }} }} GROUP BY ?s"""
    rows = requests.get(server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                        timeout=30).json()["results"]["bindings"]
    return {int(row["s"]["value"].rsplit("/", 1)[1]): int(row["n"]["value"]) for row in rows}


def disk_server(store: Path, log: Path, *extra: str) -> RunningServer:
    return RunningServer(["--no-bundled", "--data", str(SAMPLE), "--store", str(store), "--write-token", TOKEN, *extra],
                         log).start()


@pytest.mark.slow
def test_kill_9_during_gated_writes_loses_nothing_acknowledged_and_half_writes_nothing(tmp_path):
    server = disk_server(tmp_path / "store", tmp_path / "first.log")
    acknowledged: list[int] = []
    refused: list[str] = []
    enough = threading.Event()

    def stream() -> None:
        for n in range(100_000):
            try:
                response = write(server, n)
            except requests.RequestException:
                return
            if response.status_code == 503 and "owner process ended" in response.text:  # the owner was killed mid-write
                return
            tried("faults: gated write before kill -9")
            if response.status_code in (201, 204):
                acknowledged.append(n)
            else:
                refused.append(f"{n}: {response.status_code} {response.text[:200]}")
            if len(acknowledged) >= 8:
                enough.set()

    writer = threading.Thread(target=stream)
    writer.start()
    try:
        assert enough.wait(120), f"the writes did not get through: {refused[:3]}"
    finally:
        server.kill()
        writer.join()
    assert not refused, refused[:3]
    restarted = disk_server(tmp_path / "store", tmp_path / "restarted.log")
    try:
        stored = triples_by_person(restarted)
        tried("faults: kill -9 and restart")
        assert set(acknowledged) <= set(stored), f"lost: {sorted(set(acknowledged) - set(stored))}"
        assert len(stored) <= len(acknowledged) + 1  # at most the write in flight when killed
        half = {n: count for n, count in stored.items() if count != TRIPLES_PER_WRITE}
        assert not half, f"half-written: {half}"
        assert write(restarted, 10**6).status_code in (201, 204)  # the store takes writes again
    finally:
        restarted.stop()


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture
def tmpfs(tmp_path):
    """A small tmpfs of our own (needs root); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "mnt"
    point.mkdir()
    try:
        _mount("-t", "tmpfs", "-o", "size=48m", "tmpfs", str(point))
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.skip(f"cannot mount a tmpfs here: {error}")
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_read_only_store_directory_gives_a_clear_error(tmpfs, tmp_path):
    store = tmpfs / "store"
    server = disk_server(store, tmp_path / "first.log", "--no-validate-writes")
    assert write(server, 1).status_code in (201, 204)
    server.stop()
    _mount("-o", "remount,ro", str(tmpfs))
    tried("faults: read-only store directory")
    command = [sys.executable, "-m", "stm_kg.cli", "serve", "--port", "1", "--no-bundled", "--data", str(SAMPLE),
               "--store", str(store), "--write-token", TOKEN]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    # the last line says what and where, and there is no traceback
    assert str(store) in message and "read-only" in message.lower(), done.stderr[-1000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    _mount("-o", "remount,rw", str(tmpfs))
    again = disk_server(store, tmp_path / "again.log", "--no-validate-writes")
    try:
        assert set(triples_by_person(again)) == {1}  # nothing was lost or corrupted
    finally:
        again.stop()


def test_a_full_disk_gives_a_clear_error_not_corruption(tmpfs, tmp_path):
    store = tmpfs / "store"
    server = disk_server(store, tmp_path / "full.log", "--no-validate-writes")
    filler = tmpfs / "filler"
    try:
        assert write(server, 1).status_code in (201, 204)
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=100"], capture_output=True)
        statuses = []
        for n in range(2, 12):
            response = write(server, n)
            tried("faults: write to a full disk")
            statuses.append(response.status_code)
            assert response.status_code in (201, 204, 507), response.text
            assert response.status_code != 507 or "no space left" in response.text.lower(), response.text
        query = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"},
                             timeout=30)
        assert query.status_code == 200  # reads go on
    finally:
        server.kill()
        filler.unlink(missing_ok=True)
    again = disk_server(store, tmp_path / "after-full.log", "--no-validate-writes")
    try:
        stored = triples_by_person(again)
        acknowledged = {1} | {n for n, status in zip(range(2, 12), statuses) if status in (201, 204)}
        assert acknowledged <= set(stored)
        assert all(count == TRIPLES_PER_WRITE for count in stored.values()), stored
        assert write(again, 99).status_code in (201, 204)
    finally:
        again.stop()
