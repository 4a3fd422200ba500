"""Fixtures of the standards tests: a ``stm-kg serve`` of the bundled graph whose ``[dataset]`` settings are
confirmed (a deployment's), next to the shared one with the defaults (``bundled_server``, tests/conftest.py)."""

from __future__ import annotations

import sys

import pytest

from standards_helpers import CONFIRMED, HERE

sys.path.insert(0, str(HERE.parent / "endpoint"))
from endpoint_server import RunningServer  # noqa: E402


@pytest.fixture(scope="session")
def confirmed_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("confirmed-server")
    config = folder / "stm-kg.toml"
    config.write_text(CONFIRMED, encoding="utf-8")
    server = RunningServer(["--config", str(config)], folder / "server.log").start(timeout=120)
    yield server
    server.stop()
