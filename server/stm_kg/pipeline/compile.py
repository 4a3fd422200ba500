"""Stage 4 of the pipeline: build the compiled dataset that the endpoint serves.

``build()`` reads ontology/ and data/, computes the inferred triples and writes ``build/stm-kg.trig``:
the data, the ontology and the inferred triples each in a named graph of their own (plus the SHACL shapes
and one graph per linkset in data/links/, neither of which the reasoner sees), ``build/build-info.json`` with the counts, timings and a fingerprint of the
inputs, and the downloads of the dataset in ``build/dumps/`` (:mod:`.dumps`). ``ensure_built()`` rebuilds only when an input file or the URI base changed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .. import __version__
from ..config import BUILD_DIR, CANONICAL_BASE, DATA_DIR, ONTOLOGY_DIR, base_uri, graph_names
from ..namespaces import PREFIXES
from .dumps import read_dumps, write_dumps
from .rdf_terms import quads
from .reasoning import infer
from .sources import Module, load_sources, read_merged, shapes_files, turtle_files

COMPILED_NAME = "stm-kg.trig"
INFO_NAME = "build-info.json"
DUMPS_NAME = "dumps"

Progress = Callable[[str], None]


def print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class BuildInfo:
    """What ``build-info.json`` records about one build."""

    version: str
    base: str
    built_at: str
    fingerprint: str
    graphs: dict[str, int]
    modules: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    closure: dict[str, int] = field(default_factory=dict)


def input_files(ontology_dir: Path = ONTOLOGY_DIR, data_dir: Path = DATA_DIR) -> list[Path]:
    """Every file whose content the compiled dataset depends on."""
    return turtle_files(ontology_dir) + turtle_files(data_dir)


def fingerprint(files: list[Path], base: str) -> str:
    """A digest of everything a build depends on: the input files, the URI base and the pipeline's code."""
    digest = hashlib.sha256(f"{__version__}\n{base}\n".encode())
    for path in [*files, *sorted(Path(__file__).parent.glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def rebase(term: Node, base: str) -> Node:
    """The same term with the canonical URI base replaced by ``base`` (IRIs only)."""
    if base != CANONICAL_BASE and isinstance(term, URIRef) and str(term).startswith(CANONICAL_BASE):
        return URIRef(base + str(term)[len(CANONICAL_BASE):])
    return term


def rebased(graph: Graph, base: str) -> Graph:
    """``graph`` with every IRI under the canonical base moved to ``base`` (the same graph if they agree)."""
    if base == CANONICAL_BASE:
        return graph
    moved = Graph()
    for s, p, o in graph:
        moved.add((rebase(s, base), rebase(p, base), o if isinstance(o, Literal) else rebase(o, base)))
    return moved


def _module_name(module: Module, root: Path) -> str:
    return str(module.path.relative_to(root)) if module.path.is_relative_to(root) else str(module.path)


def build(
    out_dir: Path = BUILD_DIR,
    base: str | None = None,
    ontology_dir: Path = ONTOLOGY_DIR,
    data_dir: Path = DATA_DIR,
    progress: Progress | None = print_progress,
) -> BuildInfo:
    """Build the compiled dataset into ``out_dir`` and return what was built.

    Raises :class:`~stm_kg.pipeline.sources.SourceError` (with file, line and column) for a broken input.
    """
    say = progress or (lambda message: None)
    base = base or base_uri()
    names = graph_names(base)
    seconds: dict[str, float] = {}
    files = input_files(ontology_dir, data_dir)

    started = time.perf_counter()
    say(f"[1/3] reading {len(files)} files from {ontology_dir.name}/ and {data_dir.name}/")
    sources = load_sources(ontology_dir, data_dir)
    ontology, data = sources.merged("ontology"), sources.merged("data")
    seconds["read"] = round(time.perf_counter() - started, 3)
    say(f"      ontology {len(ontology):,} triples, data {len(data):,} triples ({seconds['read']:.2f} s)")

    started = time.perf_counter()
    say("[2/3] computing the OWL 2 RL closure (owlrl)")
    inference = infer(ontology, data)
    seconds["reason"] = round(time.perf_counter() - started, 3)
    say(
        f"      closure {inference.closure_size:,} triples, {inference.new_in_closure:,} new, "
        f"{len(inference.inferred):,} kept as inferred ({seconds['reason']:.2f} s)"
    )

    started = time.perf_counter()
    say(f"[3/3] writing {out_dir / COMPILED_NAME}")
    named: dict[str, Graph] = {names.data: data, names.ontology: ontology, names.inferred: inference.inferred}
    if shapes_files(ontology_dir):
        named[names.shapes] = read_merged(shapes_files(ontology_dir))
    for module in sources.links:
        named[names.linkset(module.path.stem)] = module.graph
    named = {name: rebased(graph, base) for name, graph in named.items()}
    graphs = {name: len(graph) for name, graph in named.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    compiled = out_dir / COMPILED_NAME
    partial = compiled.with_suffix(".trig.partial")
    prefixes = {prefix: str(rebase(URIRef(namespace), base)) for prefix, namespace in PREFIXES.items()}
    all_quads = [quad for name, graph in named.items() for quad in quads(graph, name)]
    ox.serialize(all_quads, str(partial), ox.RdfFormat.TRIG, prefixes=prefixes)
    partial.replace(compiled)  # readers never see a half-written file
    write_dumps(all_quads, out_dir / DUMPS_NAME, prefixes)
    seconds["write"] = round(time.perf_counter() - started, 3)
    say(f"      {sum(graphs.values()):,} quads in {len(graphs)} named graphs ({seconds['write']:.2f} s)")

    root = ontology_dir.parent
    info = BuildInfo(
        version=__version__,
        base=base,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        fingerprint=fingerprint(files, base),
        graphs=graphs,
        modules={
            _module_name(m, root): len(m.graph) for m in (*sources.ontology, *sources.data, *sources.links)
        },
        seconds=seconds,
        closure={"size": inference.closure_size, "new": inference.new_in_closure},
    )
    (out_dir / INFO_NAME).write_text(json.dumps(asdict(info), indent=2, ensure_ascii=False) + "\n")
    return info


def read_info(out_dir: Path = BUILD_DIR) -> BuildInfo | None:
    """The info of the last build in ``out_dir``, or None when there is none (or it is unreadable)."""
    try:
        return BuildInfo(**json.loads((out_dir / INFO_NAME).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def is_current(out_dir: Path = BUILD_DIR, base: str | None = None) -> bool:
    info = read_info(out_dir)
    base = base or base_uri()
    return (
        info is not None
        and (out_dir / COMPILED_NAME).exists()
        and read_dumps(out_dir / DUMPS_NAME) is not None
        and info.fingerprint == fingerprint(input_files(), base)
    )


def ensure_built(base: str | None = None, out_dir: Path = BUILD_DIR, progress: Progress | None = print_progress) -> Path:
    """Path of the compiled dataset for ``base``, building it first when the inputs changed."""
    if not is_current(out_dir, base):
        build(out_dir=out_dir, base=base, progress=progress)
    return out_dir / COMPILED_NAME
