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
def ld_server(bundled_server) -> RunningServer:
    """The bundled knowledge graph, read-only (shared with the accessibility tests: tests/conftest.py)."""
    return bundled_server


@pytest.fixture(scope="session")
def http() -> requests.Session:
    with requests.Session() as session:
        yield session

