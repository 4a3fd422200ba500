"""Where things are and what they are called: paths, the URI base and the named graphs.

Every module takes these from here so that the URI base and the file layout are decided in one place.
The URI base is configurable (``STM_KG_BASE`` or ``--base``); the bundled data is written with
:data:`CANONICAL_BASE` and rewritten to another base at build time when asked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Root of the repository (three levels up from this file: server/stm_kg/config.py).
REPO_ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = REPO_ROOT / "ontology"
DATA_DIR = REPO_ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
QUERIES_DIR = REPO_ROOT / "queries"
BUILD_DIR = REPO_ROOT / "build"

#: The base under which the bundled data mints its URIs (Dutch URI strategy: {base}id/..., {base}def/...).
CANONICAL_BASE = "https://w3id.org/stm-kg/"


def base_uri() -> str:
    """The URI base in force: ``STM_KG_BASE`` from the environment, else :data:`CANONICAL_BASE`."""
    base = os.environ.get("STM_KG_BASE", CANONICAL_BASE)
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class GraphNames:
    """IRIs of the named graphs of the compiled dataset, for one URI base."""

    base: str

    @property
    def data(self) -> str:
        return f"{self.base}graph/data"

    @property
    def ontology(self) -> str:
        return f"{self.base}graph/ontology"

    @property
    def inferred(self) -> str:
        return f"{self.base}graph/inferred"

    @property
    def shapes(self) -> str:
        return f"{self.base}graph/shapes"

    def linkset(self, name: str) -> str:
        return f"{self.base}graph/links/{name}"

    def union(self) -> tuple[str, str, str]:
        """The graphs whose union is the default graph (PROFILE.md): data, ontology, inferred."""
        return (self.data, self.ontology, self.inferred)


def graph_names(base: str | None = None) -> GraphNames:
    return GraphNames(base or base_uri())
