"""Fixtures of the reconciliation tests: the shared read-only server of the bundled graph, and a server that
takes writes (to show that reconciliation sees them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_server import TOKEN, RunningServer  # noqa: E402


@pytest.fixture(scope="session")
def service(bundled_server) -> str:
    """The 0.2 service address of the bundled graph (what a user enters in OpenRefine)."""
    return f"{bundled_server.url}/reconcile"


@pytest.fixture(scope="module")
def write_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reconcile-write-server")
    server = RunningServer(["--write-token", TOKEN, "--workers", "2"], folder / "server.log").start(timeout=120)
    yield server
    server.stop()
