"""Fixtures of the accessibility tests: one real ``stm-kg serve`` of the bundled knowledge graph, axe-core
(installed with ``npm ci`` from the committed package-lock.json into node_modules when it is missing) and one
headless Chromium with a fresh profile, shared by every test of the folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from endpoint_server import RunningServer
from headless_chromium import start_chromium
from npm_packages import installed

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def a11y_server(bundled_server) -> RunningServer:
    """The bundled knowledge graph, read-only (shared with the linked-data tests: tests/conftest.py)."""
    return bundled_server


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe.min.js, of the axe-core version pinned in package.json / package-lock.json."""
    return installed(HERE, AXE, "axe-core").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    driver = start_chromium(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}", "--window-size=1280,900")
    yield driver
    driver.quit()
