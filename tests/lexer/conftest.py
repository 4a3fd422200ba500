"""Fixtures of the lexer tests: a recording SPARQL endpoint on 127.0.0.1, and Oxigraph run on a query in-process."""

from __future__ import annotations

import http.server
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))

#: One empty solution: what a SPARQL endpoint answers to SELECT * WHERE { } (so that evaluation goes on).
ONE_SOLUTION = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'


class RecordingEndpoint:
    """An HTTP server on 127.0.0.1 that answers every request with :data:`ONE_SOLUTION` and records who asked
    for which path: ``(path, user agent)``. Oxigraph's own SERVICE client says ``Oxigraph/…``."""

    def __init__(self):
        calls: list[tuple[str, str]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                calls.append((self.path, self.headers.get("User-Agent", "")))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(ONE_SOLUTION)))
                self.end_headers()
                self.wfile.write(ONE_SOLUTION)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.calls = calls
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class Oxigraph:
    """pyoxigraph's ``Store.query`` on a small store whose IRIs are the endpoint's, with the paths Oxigraph's own
    SERVICE client asked the endpoint for while it ran."""

    def __init__(self, endpoint: RecordingEndpoint):
        self.endpoint = endpoint
        self.store = ox.Store()
        for i in range(3):
            self.store.add(ox.Quad(ox.NamedNode(f"{endpoint.url}/ex/s{i}"), ox.NamedNode(f"{endpoint.url}/ex/p"),
                                   ox.Literal(f"o{i}")))
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        """The endpoint's address, ``http://127.0.0.1:PORT``."""
        return self.endpoint.url

    def run(self, query: str) -> tuple[list[str], str]:
        """(paths Oxigraph called while it ran ``query``, how the query ended: ``ok``, ``syntax error`` or the error)."""
        with self._lock:
            self.endpoint.calls.clear()
            try:
                results = self.store.query(query)
                if not isinstance(results, ox.QueryBoolean):
                    list(results)
                outcome = "ok"
            except SyntaxError:
                outcome = "syntax error"
            except Exception as error:  # noqa: BLE001 (evaluation errors of every kind are outcomes here)
                outcome = f"{type(error).__name__}: {error}"
            return [path for path, agent in self.endpoint.calls if agent.startswith("Oxigraph")], outcome


@pytest.fixture(scope="session")
def oxigraph():
    endpoint = RecordingEndpoint()
    yield Oxigraph(endpoint)
    endpoint.close()
