"""Fixtures of the federation tests: a second SPARQL server, stm-kg in front of it, and misbehaving peers.

Everything runs on 127.0.0.1 over real HTTP, started by the fixtures and stopped at the end of the session.
"""

from __future__ import annotations

import pytest

from federation_servers import (SERVICE_TIMEOUT, TOOI_SAMPLE, OxigraphServer, RecordingListener, RunningServer,
                                ServerPool, free_port, oxigraph_binary)


@pytest.fixture(scope="session")
def logs(tmp_path_factory):
    return tmp_path_factory.mktemp("federation-logs")


@pytest.fixture(scope="session")
def oxigraph_factory(tmp_path_factory, logs):
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph command is missing: pip install oxigraph (the Oxigraph server from PyPI)")
    started: list[OxigraphServer] = []

    def start() -> OxigraphServer:
        server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"), logs / f"oxigraph-{len(started)}.log").start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def second_server(oxigraph_factory) -> OxigraphServer:
    """The independent SPARQL server: the small TOOI sample in its default graph."""
    server = oxigraph_factory()
    server.load(TOOI_SAMPLE)
    return server


@pytest.fixture(scope="session")
def stm_factory(logs):
    pool = ServerPool(logs, prefix="stm-kg")
    yield pool.start
    pool.stop_all()


@pytest.fixture(scope="session")
def compiled_trig(compiled):
    path, _ = compiled
    return path


@pytest.fixture(scope="session")
def silent_peer():
    listener = RecordingListener("silent")
    yield listener
    listener.close()


@pytest.fixture(scope="session")
def garbage_peer():
    listener = RecordingListener("garbage")
    yield listener
    listener.close()


@pytest.fixture(scope="session")
def dead_endpoint() -> str:
    """An address on the allowlist where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/sparql"


@pytest.fixture(scope="session")
def federating_server(stm_factory, compiled_trig, second_server, silent_peer, garbage_peer, dead_endpoint) -> RunningServer:
    """stm-kg (embedded, the compiled knowledge graph) allowed to call the second server and the bad peers."""
    return stm_factory(
        "--no-bundled", "--data", str(compiled_trig), "--workers", "2",
        "--service-allow", second_server.query, "--service-allow", silent_peer.url,
        "--service-allow", garbage_peer.url, "--service-allow", dead_endpoint,
        "--service-timeout", str(SERVICE_TIMEOUT), "--timeout", "10",
    )
