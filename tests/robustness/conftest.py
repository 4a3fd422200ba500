"""Real ``stm-kg serve`` processes to attack, on free ports of 127.0.0.1, with their logs captured.

The helpers of the endpoint tests (``tests/endpoint/endpoint_server.py``) start and stop the servers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "endpoint"))
sys.path.insert(0, str(HERE.parent / "benchmarks"))

from endpoint_server import SAMPLE, TOKEN, RunningServer  # noqa: E402
from tally import TRIED  # noqa: E402

JSON = {"Accept": "application/sparql-results+json"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def pytest_terminal_summary(terminalreporter):
    if TRIED:
        terminalreporter.write_sep("-", "robustness: what was tried (count per kind)")
        for kind, count in sorted(TRIED.items()):
            terminalreporter.write_line(f"  {kind:45s} {count:6d}")
        terminalreporter.write_line(f"  {'total':45s} {sum(TRIED.values()):6d}")


@pytest.fixture(scope="session")
def generated_data(tmp_path_factory) -> Path:
    """About 3,000 programme-shaped triples (tests/benchmarks/generator.py) that conform to the shapes."""
    from generator import write

    path = tmp_path_factory.mktemp("robustness-data") / "generated.nt"
    write(path, 3000)
    return path


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    started: list[RunningServer] = []
    logs = tmp_path_factory.mktemp("robustness-logs")

    def start(*args: str, name: str | None = None) -> RunningServer:
        server = RunningServer(list(args), logs / f"{name or 'server'}-{len(started)}.log").start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    for server in started:  # the token never reaches a log, whatever was tried
        assert TOKEN not in server.log(), f"the write token appears in {server.log_path}"


@pytest.fixture(scope="session")
def target(servers, generated_data) -> RunningServer:
    """A server that takes writes with the token (gated by the shapes), time limit 3 s, request limit 200 kB."""
    return servers("--no-bundled", "--data", str(SAMPLE), str(generated_data), "--write-token", TOKEN,
                   "--timeout", "3", "--max-request-bytes", "200000", "--workers", "2", name="target")


@pytest.fixture(scope="session")
def ungated(servers, generated_data) -> RunningServer:
    """Like ``target`` but writes skip the SHACL gate (about 4 s a write): for parser attacks by the thousand."""
    return servers("--no-bundled", "--data", str(SAMPLE), str(generated_data), "--write-token", TOKEN, "--no-validate-writes",
                   "--timeout", "3", "--max-request-bytes", "200000", "--workers", "2", name="ungated")


@pytest.fixture(scope="session")
def limited(servers, generated_data) -> RunningServer:
    """A read-only server with a time limit of 1 s and a result limit of 1 MB, for runaway queries."""
    return servers("--no-bundled", "--data", str(generated_data), "--timeout", "1", "--max-result-bytes", "1000000",
                   "--workers", "2", name="limited")
