"""Fixtures of the web API tests: real servers over HTTP (``stm-kg serve`` of the freshly built graph, and a
server of a few test-only query files), the catalogue, and the graph in a store to run queries directly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue, load_store

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "endpoint"))  # endpoint_server: how the endpoint tests start servers

from endpoint_server import SAMPLE, RunningServer, free_port  # noqa: E402

ECHO_QUERY = """\
#+ title: Echo
#+ title@en: Echo
#+ description: Geeft de waarde terug.
#+ description@en: Gives the value back.
#+ param: value string required -- Waarde | Value
#+ param: when date optional -- Datum | Date
SELECT ?echo ?day WHERE { BIND($value AS ?echo) BIND($when AS ?day) }
"""


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)


@pytest.fixture(scope="session")
def graph_store(compiled):
    """The built graph in an in-memory store, to run the named queries directly (no HTTP)."""
    path, _ = compiled
    return load_store(path)


@pytest.fixture(scope="session")
def api(compiled, tmp_path_factory):
    """``stm-kg serve`` of the freshly built knowledge graph (read-only, canonical base)."""
    path, _ = compiled
    logs = tmp_path_factory.mktemp("api-server")
    server = RunningServer(["--no-bundled", "--data", str(path), "--workers", "2"], logs / "server.log").start()
    yield server
    server.stop()


class EchoServer:
    """A server whose catalogue is the echo query only, with writes enabled (to show nothing gets written)."""

    token = "echo-token-0123456789"

    def __init__(self, queries: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        script = (
            "import signal, sys, waitress, pyoxigraph as ox\n"
            "from stm_kg.store.embedded import EmbeddedStore\n"
            "from stm_kg.web import ServerConfig, create_app\n"
            "store = EmbeddedStore()\n"
            f"store.load_file({str(SAMPLE)!r}, ox.RdfFormat.TRIG, 'https://w3id.org/stm-kg/graph/file/sample.trig')\n"
            f"app = create_app(ServerConfig(store=store, write_token={self.token!r}, queries_dir=__import__('pathlib').Path({str(queries)!r})))\n"
            "signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\n"
            f"try:\n    waitress.serve(app, host='127.0.0.1', port={self.port}, threads=4)\n"
            "finally:\n    store.close()\n"
        )
        with open(log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-c", script], stdout=out, stderr=subprocess.STDOUT, env={**os.environ})
        self.log = log
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the echo server ended:\n{log.read_text()}")
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the echo server did not start:\n{log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def echo(tmp_path_factory):
    queries = tmp_path_factory.mktemp("echo-queries")
    (queries / "echo.rq").write_text(ECHO_QUERY, encoding="utf-8")
    server = EchoServer(queries, tmp_path_factory.mktemp("echo-log") / "server.log")
    yield server
    server.stop()
