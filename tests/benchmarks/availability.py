"""Availability under attack: how fast ``/health`` and a cheap query answer while everything cheap that a
client can do to a server is done at once. Prints figures, asserts nothing.

At once, against one ``stm-kg serve`` (bundled graph, writes on, 1 serving process):
- ``--slow-bodies`` connections announce a 100 kB body and send one byte (127.0.0.3);
- ``--runaways`` cartesian-product queries, resent as each is cut off (127.0.0.2);
- ``--idle`` connections that send nothing (127.0.0.4);
- ``--slow-readers`` clients that ask for a 2.6 MB result and never read it (127.0.0.6);
- ``--writers`` clients that stream gated Graph Store writes (127.0.0.5);
and from 127.0.0.1 a probe asks ``/health`` and a cheap query (a new text each time) every 50 ms.
Then the probe's latencies (median, p95, p99, max), the server's memory (PSS of its processes) before and
during, and how many of each kind it held.

usage: .venv/bin/python tests/benchmarks/availability.py [--seconds 20] [--idle 1000] ...
"""

from __future__ import annotations

import argparse
import http.client
import resource
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_server import TOKEN, RunningServer, tree_memory_mb  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
BIG = "CONSTRUCT { ?s ?p ?o . ?s <urn:x> ?r } WHERE { ?s ?p ?o BIND(RAND() AS ?r) }"


def request(port: int, path: str, source: str, *, method="GET", body=None, headers=None, timeout=60.0):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--slow-bodies", type=int, default=50)
    parser.add_argument("--runaways", type=int, default=4)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--slow-readers", type=int, default=100)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--server-args", default="", help="more stm-kg serve options, as one string")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))

    log = Path("/tmp/stm-kg-availability.log")
    server = RunningServer(["--write-token", TOKEN, "--timeout", "10", *args.server_args.split()], log).start(timeout=180)
    port = server.port
    stop = threading.Event()
    counts = {"slow body": 0, "runaway": 0, "idle": 0, "slow reader": 0, "write": 0}
    sockets: list[socket.socket] = []
    try:
        _, before = tree_memory_mb(server.process.pid)
        for _ in range(args.idle):
            sockets.append(socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.4", 0)))
            counts["idle"] += 1

        def slow_bodies():
            while not stop.is_set():
                batch = []
                for _ in range(args.slow_bodies):
                    sock = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.3", 0))
                    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                                 b"Content-Length: 100000\r\n\r\nS")
                    batch.append(sock)
                    counts["slow body"] += 1
                stop.wait(5)
                for sock in batch:
                    sock.close()

        def runaway():
            while not stop.is_set():
                try:
                    request(port, "/sparql?query=" + urllib.parse.quote(RUNAWAY), "127.0.0.2")
                except OSError:
                    pass
                counts["runaway"] += 1

        def slow_readers():
            query = urllib.parse.quote(BIG)
            for i in range(args.slow_readers):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.bind(("127.0.0.6", 0))
                sock.connect(("127.0.0.1", port))
                sock.sendall(f"GET /sparql?query={query}&n={i} HTTP/1.1\r\nHost: x\r\nAccept: application/n-triples"
                             "\r\n\r\n".encode())
                sockets.append(sock)
                counts["slow reader"] += 1

        def writer(n: int):
            i = 0
            while not stop.is_set():
                i += 1
                body = f'<https://w3id.org/stm-kg/id/test/w{n}-{i}> <http://www.w3.org/2000/01/rdf-schema#label> "w {i}"@nl .'
                try:
                    request(port, f"/store?graph=urn:x-bench:w{n}", "127.0.0.5", method="POST", body=body.encode(),
                            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
                except OSError:
                    pass
                counts["write"] += 1

        workers = [threading.Thread(target=slow_bodies, daemon=True), threading.Thread(target=slow_readers, daemon=True)]
        workers += [threading.Thread(target=runaway, daemon=True) for _ in range(args.runaways)]
        workers += [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(args.writers)]
        for worker in workers:
            worker.start()
        time.sleep(2)
        latencies: dict[str, list[float]] = {"/health": [], "cheap query": []}
        failures: dict[str, list] = {"/health": [], "cheap query": []}
        peak = 0.0
        deadline = time.monotonic() + args.seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            for name, path in (("/health", "/health"),
                               ("cheap query", "/sparql?query=" + urllib.parse.quote(f"SELECT * {{ ?s ?p ?o }} LIMIT {n}"))):
                started = time.perf_counter()
                try:
                    status = request(port, path, "127.0.0.1", timeout=30)
                except OSError as error:
                    status = type(error).__name__
                took = time.perf_counter() - started
                (latencies if status == 200 else failures)[name].append(took if status == 200 else status)
            peak = max(peak, tree_memory_mb(server.process.pid)[1])
            time.sleep(0.05)
        print(f"held at once: {', '.join(f'{v} {k}' for k, v in counts.items())} (counts of what was sent in "
              f"{args.seconds:.0f} s)")
        for name, values in latencies.items():
            if values:
                ms = [v * 1000 for v in values]
                print(f"{name:12s}: {len(values)} answered, median {statistics.median(ms):.1f} ms, "
                      f"p95 {percentile(ms, .95):.1f} ms, p99 {percentile(ms, .99):.1f} ms, max {max(ms):.1f} ms; "
                      f"not answered: {failures[name] or 'none'}")
        print(f"memory (PSS of the server's processes): {before:.0f} MB before, {peak:.0f} MB at most during")
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
        server.stop()


if __name__ == "__main__":
    main()
