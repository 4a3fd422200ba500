"""Fixtures for the named-query tests: the catalogue of queries/ and the built graph in an in-memory store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue, load_store


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)


@pytest.fixture(scope="session")
def store(compiled) -> ox.Store:
    """The compiled knowledge graph (built once per session by tests/conftest.py) in an in-memory store."""
    path, _ = compiled
    return load_store(path)
