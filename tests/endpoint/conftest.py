"""Fixtures of the endpoint tests: real ``stm-kg serve`` processes on free ports, reached over HTTP."""

from __future__ import annotations

import pytest

from endpoint_server import SAMPLE, TOKEN, RunningServer, ServerPool


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    """Start servers with given arguments; all are stopped at the end of the session."""
    pool = ServerPool(tmp_path_factory.mktemp("server-logs"))
    yield pool.start
    pool.stop_all()


@pytest.fixture(scope="session")
def server(server_factory) -> RunningServer:
    """A read-only server of the sample dataset (default graph: the union of its graphs)."""
    return server_factory("--no-bundled", "--data", str(SAMPLE), "--max-request-bytes", "20000")


@pytest.fixture(scope="session")
def write_server(server_factory) -> RunningServer:
    """A server of the sample dataset that takes writes with :data:`TOKEN`, gated by the project's shapes."""
    return server_factory("--no-bundled", "--data", str(SAMPLE), "--write-token", TOKEN)
