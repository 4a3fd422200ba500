"""Fixtures of the lexer tests: a recording listener on 127.0.0.1, and Oxigraph run on a query in-process."""

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
    """pyoxigraph's ``Store.query`` on a small store, with the paths a recording listener saw while it ran."""

    def __init__(self, recorder: FetchRecorder):
        self.recorder = recorder
        self.store = ox.Store()
        ex = "http://127.0.0.1/ex/"
        for i in range(3):
            self.store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p"), ox.Literal(f"o{i}")))
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        """The listener's address, ``http://127.0.0.1:PORT``."""
        return self.recorder.url

    def run(self, query: str) -> tuple[list[str], str]:
        """(paths the listener was asked for while Oxigraph ran ``query``, how the query ended)."""
        with self._lock:
            self.recorder.hits.clear()
            try:
                results = self.store.query(query)
                if not isinstance(results, ox.QueryBoolean):
                    list(results)
                outcome = "ok"
            except SyntaxError:
                outcome = "syntax error"
            except Exception as error:  # noqa: BLE001 (evaluation errors of every kind are outcomes here)
                outcome = f"{type(error).__name__}: {error}"
            return list(self.recorder.hits), outcome


@pytest.fixture(scope="session")
def oxigraph():
    recorder = FetchRecorder(ONE_SOLUTION, "application/sparql-results+json")
    yield Oxigraph(recorder)
    recorder.close()
