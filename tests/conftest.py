"""Shared fixtures: the compiled knowledge graph is built once per test session, into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from stm_kg.config import CANONICAL_BASE, DATA_DIR, ONTOLOGY_DIR, SOURCES_DIR, graph_names
from stm_kg.pipeline.compile import BuildInfo, build
from stm_kg.pipeline.sources import Sources, load_sources


@pytest.fixture(scope="session")
def sources() -> Sources:
    """The ontology and data modules as read from the repository."""
    return load_sources(ONTOLOGY_DIR, DATA_DIR)


@pytest.fixture(scope="session")
def compiled(tmp_path_factory) -> tuple[Path, BuildInfo]:
    """Path of a freshly built ``stm-kg.trig`` (canonical base) and its build info."""
    out = tmp_path_factory.mktemp("build")
    info = build(out_dir=out, base=CANONICAL_BASE, progress=None)
    return out / "stm-kg.trig", info


@pytest.fixture(scope="session")
def dataset(compiled) -> Dataset:
    """The compiled dataset; its default graph is the union of all named graphs, as at the endpoint."""
    path, _ = compiled
    dataset = Dataset(default_union=True)
    dataset.parse(data=path.read_bytes(), format="trig")
    return dataset


@pytest.fixture(scope="session")
def graphs(dataset) -> dict[str, Graph]:
    names = graph_names(CANONICAL_BASE)
    return {
        "data": dataset.graph(names.data),
        "ontology": dataset.graph(names.ontology),
        "inferred": dataset.graph(names.inferred),
    }


@pytest.fixture(scope="session")
def source_texts() -> dict[str, str]:
    """Source file name -> its text, whitespace-normalised for quote matching."""
    from stm_kg.pipeline.quotes import normalise

    return {p.name: normalise(p.read_text(encoding="utf-8")) for p in SOURCES_DIR.iterdir() if p.is_file()}


@pytest.fixture(scope="session")
def bundled_server(tmp_path_factory):
    """``stm-kg serve`` on the bundled knowledge graph (built first when the sources changed), read-only.

    One for the session: the linked-data and the accessibility tests both read it.
    """
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "endpoint"))
    from endpoint_server import RunningServer

    server = RunningServer(["--workers", "2"], tmp_path_factory.mktemp("bundled-server") / "server.log").start(timeout=120)
    yield server
    server.stop()

