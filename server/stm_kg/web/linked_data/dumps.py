"""The published generations of the dataset: its dumps and the counts that describe them, always of one state.

A :class:`Publication` is a folder with one sub-folder per generation (``g0/``, ``g1/``, ...) and
``current.json``, which says which generation is current and what it holds: triples per graph, things per
kind, instances per class, and each download with its size and SHA-256. The process that applies writes
publishes: generation 0 when it starts serving (the dumps ``stm-kg build`` wrote, when the store holds
exactly the build; else dumps of the store), and a new generation after every write
(:class:`PublishingWriter`), before the writer is answered. Nothing is written while a request is answered:
``/dataset``, ``/.well-known/void``, ``/catalog`` and the downloads only read ``current.json`` (in any serving
process), so the counts and the dumps of one response are of the same generation.

The dumps are made from a copy of the store (:meth:`~stm_kg.store.interface.KnowledgeStore.copy`) and the
counts through the store interface, right after the write, in the one thread that writes: both see the same
data. In front of a remote SPARQL server (``dumps=False``) only the counts are published: a copy of all its data
at every start and after every write would cost more than the dumps are worth, and that server offers its data
itself (its Graph Store). The two latest generations are kept, so a download that began just before a write
can finish.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdflib import URIRef

from ... import __version__
from ...namespaces import PREFIXES
from ...pipeline.compile import rebase
from ...pipeline.dumps import BY_NAME, FORMATS, Dump, read_dumps, write_dumps
from ...store.changes import Change
from ...store.gate import GatedWriter
from ...store.interface import KnowledgeStore
from .describe import select

log = logging.getLogger(__name__)

CURRENT = "current.json"
#: Generations kept on disk: the current one and the one before it.
KEEP = 2

__all__ = ["BY_NAME", "FORMATS", "Dump", "Generation", "Publication", "PublishingWriter", "own_writer"]


@dataclass(frozen=True)
class Generation:
    """One published state of the dataset: its number, when, what it holds, and its downloads."""

    number: int
    published_at: str  # xsd:dateTime, UTC
    version: str  # of stm-kg
    triples: int  # in the default graph as queries see it
    graphs: dict[str, int]  # triples per named graph
    kinds: dict[str, int]  # things under {base}id/ per kind ({base}id/{kind}/...)
    classes: list[tuple[str, int]]  # instances under {base}id/ per class, most first
    downloads: list[Dump] = field(default_factory=list)

    @property
    def things(self) -> int:
        return sum(self.kinds.values())

    def download(self, name: str) -> Dump | None:
        return next((d for d in self.downloads if d.format.name == name), None)

    def to_json(self) -> dict:
        document = asdict(self)
        document["downloads"] = [{"name": d.format.name, "path": str(d.path), "size": d.size, "sha256": d.sha256}
                                 for d in self.downloads]
        return document

    @classmethod
    def from_json(cls, document: dict) -> "Generation":
        downloads = [Dump(BY_NAME[d["name"]], Path(d["path"]), int(d["size"]), d["sha256"]) for d in document["downloads"]]
        classes = [(iri, int(n)) for iri, n in document["classes"]]
        return cls(int(document["number"]), document["published_at"], document["version"], int(document["triples"]),
                   dict(document["graphs"]), dict(document["kinds"]), classes, downloads)


def count(store: KnowledgeStore, base: str) -> tuple[int, dict[str, int], dict[str, int], list[tuple[str, int]]]:
    """(default graph size, triples per named graph, things per kind, instances per class) of ``store``."""
    sizes = {name: size for name, size in store.graph_sizes().items() if name is not None}
    rows = select(store, f"""SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
  BIND(STRBEFORE(STRAFTER(STR(?s), "{base}id/"), "/") AS ?kind)
}} GROUP BY ?kind ORDER BY ?kind""")
    kinds = {row["kind"]["value"]: int(row["n"]["value"]) for row in rows if row["kind"]["value"]}
    rows = select(store, f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
}} GROUP BY ?class ORDER BY DESC(?n) ?class""")
    classes = [(row["class"]["value"], int(row["n"]["value"])) for row in rows]
    return store.default_graph_size(), sizes, kinds, classes


class Publication:
    """The generations published in ``folder`` for the URI base ``base`` (see the module's docstring)."""

    def __init__(self, folder: Path, base: str, *, owned: bool = False, dumps: bool = True):
        self.folder = Path(folder)
        self.base = base
        self.dumps = dumps  # False: counts only (see the module's docstring)
        self._owned = owned  # a temporary folder of ours, removed by close()
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int, int], Generation] | None = None

    @classmethod
    def temporary(cls, base: str, dumps: bool = True) -> "Publication":
        """A publication in a fresh temporary folder, removed again by :meth:`close`."""
        return cls(Path(tempfile.mkdtemp(prefix="stm-kg-dumps-")), base, owned=True, dumps=dumps)

    # -- reading (any process) ---------------------------------------------------------------------------

    def current(self) -> Generation | None:
        """The current generation, or ``None`` when nothing was published (yet)."""
        path = self.folder / CURRENT
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._cached is not None and self._cached[0] == key:
                return self._cached[1]
        try:
            generation = Generation.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            log.exception("cannot read %s", path)
            return None
        with self._lock:
            self._cached = (key, generation)
        return generation

    # -- publishing (the process that writes) ----------------------------------------------------------------

    def publish(self, store: KnowledgeStore, *, dumps_of_store: Path | None = None) -> Generation:
        """Publish the next generation: dumps and counts of ``store`` as it is now.

        ``dumps_of_store``: a folder of dumps (``build/dumps``) known to hold exactly what the store holds (it was
        just loaded from that build); they are listed instead of written again.
        """
        previous = self.current()
        number = 0 if previous is None else previous.number + 1
        downloads = read_dumps(dumps_of_store) if dumps_of_store is not None else None
        if downloads is None and not self.dumps:
            downloads = []
        elif downloads is None:
            prefixes = {prefix: str(rebase(URIRef(namespace), self.base)) for prefix, namespace in PREFIXES.items()}
            copy = store.copy()
            downloads = write_dumps(copy.quads_for_pattern(None, None, None, None), self.folder / f"g{number}", prefixes)
            del copy
        triples, graphs, kinds, classes = count(store, self.base)
        published_at = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        generation = Generation(number, published_at, __version__, triples, graphs, kinds, classes, downloads)
        partial = self.folder / f".{CURRENT}.{os.getpid()}.partial"
        partial.write_text(json.dumps(generation.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        partial.replace(self.folder / CURRENT)
        for old in range(number - KEEP, -1, -1):
            folder = self.folder / f"g{old}"
            if not folder.exists():
                break
            shutil.rmtree(folder, ignore_errors=True)
        return generation

    def close(self) -> None:
        if self._owned:
            shutil.rmtree(self.folder, ignore_errors=True)


class PublishingWriter:
    """A writer (:class:`~stm_kg.store.gate.GatedWriter`) whose every applied write publishes a new generation.

    The write counts once it is applied: when publishing fails, the error is logged and the previous
    generation stays current (its counts and dumps still agree with each other).
    """

    def __init__(self, writer, publication: Publication, store: KnowledgeStore):
        self.writer = writer
        self.publication = publication
        self.store = store

    def write(self, change: Change) -> Change:
        applied = self.writer.write(change)
        try:
            self.publication.publish(self.store)
        except Exception:  # noqa: BLE001 - the write stands; the downloads stay at the previous generation
            log.exception("the write was applied, but its generation could not be published")
        return applied


def own_writer(config) -> PublishingWriter:
    """The writer of an app that applies its own writes (not a serving process of ``stm-kg serve``).

    SHACL-gated by ``config.validator``; publishing into ``config.publication`` (a temporary one when there is
    none, removed when the process ends), where generation 0 is published now, before any request.
    """
    if config.publication is None:
        config.publication = Publication.temporary(config.base)
        atexit.register(config.publication.close)
    if config.publication.current() is None:
        config.publication.publish(config.store)
    return PublishingWriter(GatedWriter(config.store, config.validator), config.publication, config.store)
