"""Downloads of a dataset: the same quads in four RDF syntaxes, each file with its size and SHA-256 checksum.

:func:`write_dumps` writes them into a folder with a manifest (``dumps.json``); :func:`read_dumps` reads the
manifest back. ``stm-kg build`` writes the dumps of the compiled dataset into ``build/dumps/``; the server
writes a new set after every write to its store (:mod:`stm_kg.web.linked_data.dumps`). TriG keeps the named
graphs; Turtle, N-Triples and JSON-LD hold the union of all graphs (the endpoint's default graph), each triple
once. Everything is written with pyoxigraph's serialisers, offline, each file under a temporary name first
so that no reader ever sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

MANIFEST = "dumps.json"


@dataclass(frozen=True)
class DumpFormat:
    name: str  # file name of the download
    media_type: str
    title: str
    eu_file_type: str  # http://publications.europa.eu/resource/authority/file-type/...
    quads: bool


FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("stm-kg.trig", "application/trig", "TriG (named graphs)", "TRIG", True),
    DumpFormat("stm-kg.ttl", "text/turtle", "Turtle", "RDF_TURTLE", False),
    DumpFormat("stm-kg.nt", "application/n-triples", "N-Triples", "RDF_N_TRIPLES", False),
    DumpFormat("stm-kg.jsonld", "application/ld+json", "JSON-LD", "JSON_LD", False),
)
BY_NAME = {fmt.name: fmt for fmt in FORMATS}


@dataclass(frozen=True)
class Dump:
    """One written download: its format, where it is, its size in bytes and its SHA-256 (hex)."""

    format: DumpFormat
    path: Path
    size: int
    sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _union(quads: list[ox.Quad]) -> list[ox.Triple]:
    seen: set[ox.Triple] = set()
    triples = []
    for quad in quads:
        if quad.triple not in seen:
            seen.add(quad.triple)
            triples.append(quad.triple)
    return triples


def write_dumps(quads: Iterable[ox.Quad], folder: Path, prefixes: dict[str, str] | None = None) -> list[Dump]:
    """Write ``quads`` in every format of :data:`FORMATS` into ``folder`` (made if needed), with the manifest.

    ``prefixes`` are used where the syntax has them (TriG, Turtle).
    """
    quads = list(quads)
    triples = _union(quads)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        target = folder / fmt.name
        partial = folder / f".{fmt.name}.{os.getpid()}.partial"
        rdf_format = ox.RdfFormat.from_media_type(fmt.media_type)
        with_prefixes = prefixes if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        ox.serialize(quads if fmt.quads else triples, str(partial), rdf_format, prefixes=with_prefixes)
        partial.replace(target)
        written.append(Dump(fmt, target, target.stat().st_size, sha256_of(target)))
    manifest = [{"name": d.format.name, "size": d.size, "sha256": d.sha256} for d in written]
    partial = folder / f".{MANIFEST}.{os.getpid()}.partial"
    partial.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    partial.replace(folder / MANIFEST)
    return written


def read_dumps(folder: Path) -> list[Dump] | None:
    """The dumps that :func:`write_dumps` wrote into ``folder``; ``None`` when there are none (or they are gone)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        dumps = [Dump(BY_NAME[entry["name"]], folder / entry["name"], int(entry["size"]), entry["sha256"])
                 for entry in manifest]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(not dump.path.is_file() or dump.path.stat().st_size != dump.size for dump in dumps):
        return None
    return dumps
