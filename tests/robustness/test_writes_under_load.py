"""Writes, reads and runaway queries at once, against two serving processes: nothing lost, nothing hangs.

A write makes every serving process catch up; a runaway query makes its process retire in favour of a fresh
one. Together they found two faults that no single test did: the owner's loop blocking on a pipe it had
already drained (every later write hung), and connections accepted by a retiring process and closed
unanswered (``RemoteDisconnected`` on the client).
"""

from __future__ import annotations

import threading
import time

import requests

from endpoint_server import SAMPLE, TOKEN
from tally import tried

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
GRAPH = "http://example.org/graph/under-load"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o . ?p ?q ?r . ?s ?t ?u }"
SECONDS = 10.0
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def test_writes_reads_and_runaways_at_once(servers):
    server = servers("--no-bundled", "--data", str(SAMPLE), "--write-token", TOKEN, "--no-validate-writes",
                     "--timeout", "1", "--workers", "2", name="under-load")
    stop = time.monotonic() + SECONDS
    acknowledged = [0]
    problems: list[str] = []
    counts = {"write": 0, "read": 0, "runaway": 0}
    lock = threading.Lock()

    def note(kind: str, problem: str | None = None) -> None:
        with lock:
            counts[kind] += 1
            if problem:
                problems.append(f"{kind}: {problem}"[:600])

    def writer() -> None:
        n = 0
        while time.monotonic() < stop:
            try:
                response = requests.post(server.sparql, timeout=20, headers={**AUTH, "Content-Type": "application/sparql-update"},
                                         data=f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/{n}> <http://example.org/n> "{n}" }} }}')
            except requests.RequestException as error:
                note("write", f"{type(error).__name__}: {error}")
                continue
            if response.status_code == 204:
                n += 1
                acknowledged[0] = n
                note("write")
            else:
                note("write", f"{response.status_code} {response.text[:200]}")

    def reader() -> None:
        with requests.Session() as session:  # keep-alive: a retiring process must not strand its connections
            while time.monotonic() < stop:
                floor = acknowledged[0]
                response = None
                try:
                    response = session.get(server.sparql, params={"query": COUNT}, headers=JSON, timeout=20)
                    seen = int(response.json()["results"]["bindings"][0]["n"]["value"])
                except (requests.RequestException, ValueError, KeyError) as error:
                    what = "" if response is None else \
                        f" (HTTP {response.status_code}, {dict(response.headers)}, body {response.content[:120]!r})"
                    note("read", f"{type(error).__name__}: {error}{what}")
                    continue
                note("read", None if seen >= floor else f"saw {seen} triples after {floor} acknowledged writes")

    def runaways() -> None:
        while time.monotonic() < stop:
            try:
                response = requests.get(server.sparql, params={"query": RUNAWAY}, headers=JSON, timeout=20)
            except requests.RequestException as error:
                note("runaway", f"{type(error).__name__}: {error}")
                continue
            note("runaway", None if response.status_code == 503 else f"{response.status_code}, not cut off")
            time.sleep(0.3)

    threads = [threading.Thread(target=job) for job in (writer, reader, reader, runaways)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for kind, count in counts.items():
        tried(f"under load: {kind}", count)
    print(f"\nunder load, {SECONDS:.0f} s, 2 serving processes: {counts}; {acknowledged[0]} writes acknowledged")
    assert all(counts.values()), counts  # every kind ran (how many is a machine's speed, printed above)
    assert not problems, problems[:10]
    final = requests.get(server.sparql, params={"query": COUNT}, headers=JSON, timeout=20).json()["results"]["bindings"][0]["n"]["value"]
    assert int(final) == acknowledged[0]
