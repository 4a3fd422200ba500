"""Downloads of the dataset: the compiled dataset (``build/stm-kg.trig``) and dumps of it in other syntaxes.

The dumps are made lazily, once per build: the first request converts the compiled dataset (offline, with
pyoxigraph's parser and serialiser; no store is involved) into ``build/dumps/{fingerprint}/``, later requests
and later processes reuse the files. Triple syntaxes (Turtle, N-Triples, JSON-LD) hold the union of all graphs
(the endpoint's default graph); TriG keeps the named graphs. Each download has its size and SHA-256 checksum.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ...namespaces import PREFIXES
from ...pipeline.compile import COMPILED_NAME, read_info

DUMPS = "dumps"


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
class Download:
    format: DumpFormat
    path: Path
    size: int
    sha256: str


_lock = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Dumps:
    """The downloads of the build in ``build_dir``; ``None`` answers where there is no build."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self._sums: dict[Path, tuple[float, int, str]] = {}

    @property
    def compiled(self) -> Path:
        return self.build_dir / COMPILED_NAME

    def available(self) -> bool:
        return self.compiled.exists()

    def folder(self) -> Path | None:
        info = read_info(self.build_dir)
        if info is None or not self.available():
            return None
        return self.build_dir / DUMPS / info.fingerprint[:16]

    def path(self, fmt: DumpFormat) -> Path | None:
        """The file of ``fmt``, made now when it is not there yet."""
        if fmt.name == COMPILED_NAME:
            return self.compiled if self.available() else None
        folder = self.folder()
        if folder is None:
            return None
        target = folder / fmt.name
        if not target.exists():
            with _lock:
                if not target.exists():
                    self._make(target, fmt)
        return target

    def _make(self, target: Path, fmt: DumpFormat) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        quads = ox.parse(path=str(self.compiled), format=ox.RdfFormat.TRIG)
        seen: set[ox.Triple] = set()
        triples = []
        for quad in quads:
            if quad.triple not in seen:
                seen.add(quad.triple)
                triples.append(quad.triple)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        rdf_format = ox.RdfFormat.from_media_type(fmt.media_type)
        prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
        ox.serialize(triples, str(partial), rdf_format, prefixes=prefixes)
        partial.replace(target)

    def download(self, fmt: DumpFormat) -> Download | None:
        path = self.path(fmt)
        if path is None:
            return None
        stat = path.stat()
        cached = self._sums.get(path)
        if cached is None or cached[:2] != (stat.st_mtime, stat.st_size):
            cached = (stat.st_mtime, stat.st_size, _sha256(path))
            self._sums[path] = cached
        return Download(fmt, path, stat.st_size, cached[2])

    def all(self) -> list[Download]:
        return [d for d in (self.download(fmt) for fmt in FORMATS) if d is not None]
