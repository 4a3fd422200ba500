"""Fixtures of the lexer tests: a recording SPARQL endpoint on 127.0.0.1 (it answers one empty solution), and
Oxigraph run on a query in-process."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))

from endpoint_server import FetchRecorder  # noqa: E402

#: One empty solution: what a SPARQL endpoint answers to SELECT * WHERE { } (so that evaluation goes on).
ONE_SOLUTION = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'


class Oxigraph:
    """pyoxigraph's ``Store.query`` on a small store whose IRIs are the endpoint's, with the paths Oxigraph's own
    SERVICE client asked the endpoint for while it ran."""

    def __init__(self, endpoint: FetchRecorder):
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
    endpoint = FetchRecorder(ONE_SOLUTION, "application/sparql-results+json")
    yield Oxigraph(endpoint)
    endpoint.close()
