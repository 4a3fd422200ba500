"""Fixtures of the linked-data tests: one real ``stm-kg serve`` of the bundled knowledge graph (canonical base
https://w3id.org/stm-kg/, served at http://127.0.0.1:{port}/), reached over HTTP, shared by every test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_server import RunningServer


@pytest.fixture(scope="session")
def ld_server(tmp_path_factory) -> RunningServer:
    """The bundled knowledge graph (built first when the sources changed), read-only."""
    log = tmp_path_factory.mktemp("ld-server") / "server.log"
    server = RunningServer(["--workers", "4"], log).start(timeout=120)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def http() -> requests.Session:
    with requests.Session() as session:
        yield session

