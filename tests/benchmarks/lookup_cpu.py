"""CPU time of one lookup request in the serving process's WSGI app, without HTTP: what our Python costs per request.

The app is built as a serving process builds it (fast path, federation step, a snapshot store that runs quick
queries in the request's thread) on the sample dataset, and called directly with ``GET /sparql?query=…``:
once with the same lookup over and over (what ``wrk`` measures in ``run.py``; the readings of the text are
remembered) and once with a new lookup text each time (nothing remembered). Prints microseconds of CPU per
request (``time.process_time``: the figure moves less than wall time on a loaded machine, unlike ``wrk``).

    .venv/bin/python tests/benchmarks/lookup_cpu.py [--requests 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from query_mix import PREFIXES  # noqa: E402

SAMPLE = HERE.parent / "endpoint" / "data" / "sample.trig"
LOOKUP = PREFIXES + "SELECT ?p ?o WHERE { <https://w3id.org/stm-kg/id/organisatie/%s> ?p ?o }"


def app():
    from stm_kg.store.snapshot import SnapshotStore
    from stm_kg.web.app import create_app
    from stm_kg.web.config import ServerConfig

    store = ox.Store()
    store.bulk_load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    snapshot = SnapshotStore(store, union_default_graph=True, on_overrun=lambda: None, known_quick=1024)
    return create_app(ServerConfig(store=snapshot)).wsgi_app


def environ(query: str) -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": "query=" + quote(query, safe=""),
            "HTTP_ACCEPT": "application/sparql-results+json", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}


def per_request(wsgi, texts: list[str]) -> float:
    statuses = []

    def start_response(status, headers):
        statuses.append(status)

    started = time.process_time()
    for text in texts:
        for _ in wsgi(environ(text), start_response):
            pass
    spent = time.process_time() - started
    assert all(status.startswith("200") for status in statuses), statuses[:3]
    return spent / len(texts) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    wsgi = app()
    per_request(wsgi, [LOOKUP % "jenv"] * 2000)  # warm up
    same, new = [], []
    for round_ in range(args.rounds):
        same.append(per_request(wsgi, [LOOKUP % "jenv"] * args.requests))
        new.append(per_request(wsgi, [LOOKUP % f"x{round_}-{i}" for i in range(args.requests // 4)]))
    print(f"lookup, the same text each time: {statistics.median(same):.1f} µs CPU per request "
          f"(rounds: {', '.join(f'{v:.1f}' for v in same)})")
    print(f"lookup, a new text each time:    {statistics.median(new):.1f} µs CPU per request "
          f"(rounds: {', '.join(f'{v:.1f}' for v in new)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
