"""Helpers of the linked-data tests (a module of its own: ``conftest`` names clash across test folders)."""

from __future__ import annotations

from pathlib import Path

import requests

BASE = "https://w3id.org/stm-kg/"
HERE = Path(__file__).resolve().parent


def sparql_select(server, query: str) -> list[dict]:
    response = requests.post(server.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return response.json()["results"]["bindings"]
