"""Fixtures of the endpoint tests: real ``stm-kg serve`` processes on free ports, reached over HTTP."""

from __future__ import annotations

import pytest

from endpoint_server import SAMPLE, TOKEN, RunningServer


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    """Start servers with given arguments; all are stopped at the end of the session."""
    started: list[RunningServer] = []
    logs = tmp_path_factory.mktemp("server-logs")

    def start(*args: str) -> RunningServer:
        server = RunningServer(list(args), logs / f"server-{len(started)}.log").start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(server_factory) -> RunningServer:
    """A read-only server of the sample dataset (default graph: the union of its graphs)."""
    return server_factory("--no-bundled", "--data", str(SAMPLE), "--max-request-bytes", "20000")


@pytest.fixture(scope="session")
def write_server(server_factory) -> RunningServer:
    """A server of the sample dataset that takes writes with :data:`TOKEN`, gated by the project's shapes."""
    return server_factory("--no-bundled", "--data", str(SAMPLE), "--write-token", TOKEN)
