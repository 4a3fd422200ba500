"""Stage 1 of the pipeline: read RDF source files, with errors that name the file, line and column.

Syntax is checked with Oxigraph's parsers first, because they report the exact position of an error
(rdflib's parsers often give only a line, or nothing); the checked text is then read into rdflib, which the
later stages (reasoning, validation) work on. Both parsers are used offline: JSON-LD remote contexts and
RDF/XML external entities are never fetched.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

#: File suffix -> (Oxigraph format, rdflib format name, holds named graphs).
FORMATS: dict[str, tuple[ox.RdfFormat, str, bool]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "turtle", False),
    ".turtle": (ox.RdfFormat.TURTLE, "turtle", False),
    ".nt": (ox.RdfFormat.N_TRIPLES, "nt", False),
    ".ntriples": (ox.RdfFormat.N_TRIPLES, "nt", False),
    ".n3": (ox.RdfFormat.N3, "n3", False),
    ".rdf": (ox.RdfFormat.RDF_XML, "xml", False),
    ".owl": (ox.RdfFormat.RDF_XML, "xml", False),
    ".xml": (ox.RdfFormat.RDF_XML, "xml", False),
    ".jsonld": (ox.RdfFormat.JSON_LD, "json-ld", True),
    ".json": (ox.RdfFormat.JSON_LD, "json-ld", True),
    ".trig": (ox.RdfFormat.TRIG, "trig", True),
    ".nq": (ox.RdfFormat.N_QUADS, "nquads", True),
    ".nquads": (ox.RdfFormat.N_QUADS, "nquads", True),
}

_POSITION = re.compile(r"line (\d+)(?: between columns (\d+)| column (\d+))?")


class SourceError(Exception):
    """A source file that cannot be used: unreadable, malformed, or with an ill-formed value.

    ``str(error)`` reads ``FILE:LINE:COLUMN: message`` (line and column when known), the form editors
    and CI logs turn into links.
    """

    def __init__(self, path: Path | str, message: str, line: int | None = None, column: int | None = None):
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def rdf_format(path: Path) -> tuple[ox.RdfFormat, str, bool]:
    """The parser formats for a file, chosen by its suffix; a :class:`SourceError` for unknown suffixes."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise SourceError(path, f"unknown RDF file type {path.suffix or '(no suffix)'!r}; use one of {known}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(path, f"cannot read the file: {error.strerror or error}") from None


def check_syntax(path: Path, data: bytes | None = None) -> int:
    """Parse ``path`` with Oxigraph and return its number of statements, or raise :class:`SourceError`.

    The error carries the line and column of the first syntax error that the parser reports.
    """
    fmt, _, _ = rdf_format(path)
    data = _read_bytes(path) if data is None else data
    try:
        return sum(1 for _ in ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        message = str(error)
        line, column = getattr(error, "lineno", None), getattr(error, "offset", None)
        if line is None:
            found = _POSITION.search(message)
            if found:
                line = int(found.group(1))
                column = int(found.group(2) or found.group(3)) if (found.group(2) or found.group(3)) else None
        message = re.sub(r"^Parser error (at|between) [^:]*: ", "", message)
        message = re.sub(r" \(line \d+\)$", "", message)
        raise SourceError(path, f"syntax error: {message}", line, column) from None
    except ValueError as error:  # e.g. not UTF-8
        raise SourceError(path, f"cannot parse: {error}") from None


def line_of(text: str, needle: str) -> int | None:
    """1-based line of the first occurrence of ``needle`` in ``text`` (for pointing at a bad value)."""
    at = text.find(needle)
    return None if at < 0 else text.count("\n", 0, at) + 1


@contextmanager
def quiet_literal_warnings():
    """rdflib logs a traceback for every ill-typed literal it reads; we report them ourselves."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check_literals(path: Path, graph: Graph, text: str) -> None:
    """Raise :class:`SourceError` for the first ill-typed literal (``"2024-13-01"^^xsd:date``) in ``graph``."""
    for term in _objects(graph):
        if isinstance(term, Literal) and term.ill_typed:
            datatype = graph.namespace_manager.normalizeUri(term.datatype) if term.datatype else "literal"
            raise SourceError(path, f"ill-formed {datatype} value {str(term)!r}", line_of(text, str(term)))


def _objects(graph: Graph) -> Iterable:
    if isinstance(graph, Dataset):
        for _, _, o, _ in graph.quads((None, None, None, None)):
            yield o
    else:
        yield from graph.objects()


def read_graph(path: Path, *, check_literals: bool = True) -> Graph:
    """Read one RDF file (triples or quads) into an rdflib graph, checking syntax and typed literals.

    Quad formats are read into a :class:`~rdflib.Dataset` (which is a graph over all its quads). With
    ``check_literals=False`` an ill-typed value (``"2024-13-01"^^xsd:date``) is kept rather than refused, for
    callers that report it together with other problems (validation).
    """
    path = Path(path)
    fmt_ox, fmt_rdflib, has_graphs = rdf_format(path)
    data = _read_bytes(path)
    check_syntax(path, data)
    graph: Graph = Dataset() if has_graphs else Graph()
    try:
        with quiet_literal_warnings():
            graph.parse(data=data, format=fmt_rdflib, publicID=path.resolve().as_uri())
    except Exception as error:  # the syntax check passed, so this is rare: report it the same way
        raise SourceError(path, f"cannot load: {error}") from None
    if check_literals:
        _check_literals(path, graph, data.decode("utf-8", errors="replace"))
    return graph


@dataclass
class Module:
    """One Turtle file of the project, read: its path, its graph, and the ontology IRI it declares."""

    path: Path
    graph: Graph
    ontology_iri: URIRef | None = None


@dataclass
class Sources:
    """Everything the build reads: the ontology modules, the data modules and the linksets, and the texts that
    describe the dataset (``data/dataset/``: read and checked like data, never part of the data graph)."""

    ontology: list[Module] = field(default_factory=list)
    data: list[Module] = field(default_factory=list)
    links: list[Module] = field(default_factory=list)
    descriptions: list[Module] = field(default_factory=list)

    def merged(self, part: str) -> Graph:
        """One graph holding all triples of ``part`` ("ontology", "data" or "links")."""
        merged = Graph()
        for module in getattr(self, part):
            merged += module.graph
        return merged


def turtle_files(directory: Path, *, exclude: Iterable[str] = ()) -> list[Path]:
    """The ``.ttl`` files below ``directory``, sorted, skipping folder names in ``exclude``."""
    skip = set(exclude)
    return sorted(p for p in directory.rglob("*.ttl") if not skip.intersection(p.relative_to(directory).parts[:-1]))


def read_modules(paths: Iterable[Path], on_file=None) -> list[Module]:
    from rdflib.namespace import OWL, RDF

    modules = []
    for path in paths:
        if on_file:
            on_file(path)
        graph = read_graph(path)
        ontology_iri = next((s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)), None)
        modules.append(Module(path, graph, ontology_iri))
    return modules


#: The folder of ``data/`` with the templates of the dataset's own descriptions (VoID, DCAT catalogue).
DESCRIPTIONS = "dataset"


def load_sources(ontology_dir: Path, data_dir: Path, on_file=None) -> Sources:
    """Read every Turtle file of ``ontology_dir`` (shapes excluded) and ``data_dir``.

    ``data_dir/links/`` holds linksets, kept apart so that the reasoner never sees them; ``data_dir/dataset/``
    the description templates, which the web layer fills in. ``on_file(path)`` is called before each file,
    for progress display.
    """

    def folder(name: str) -> list[Path]:
        return turtle_files(data_dir / name) if (data_dir / name).is_dir() else []

    return Sources(
        ontology=read_modules(ontology_files(ontology_dir), on_file),
        data=read_modules(turtle_files(data_dir, exclude={"links", DESCRIPTIONS}), on_file),
        links=read_modules(folder("links"), on_file),
        descriptions=read_modules(folder(DESCRIPTIONS), on_file),
    )


def shapes_files(ontology_dir: Path) -> list[Path]:
    """The SHACL shapes files of the ontology folder."""
    return sorted(ontology_dir.glob("*shapes*.ttl"))


def ontology_files(ontology_dir: Path) -> list[Path]:
    """The ontology's own files: modules, alignments and concept schemes, without the shapes."""
    shapes = set(shapes_files(ontology_dir))
    return [path for path in turtle_files(ontology_dir) if path not in shapes]


def read_merged(paths: Iterable[Path]) -> Graph:
    """One graph holding the triples of every file in ``paths``."""
    merged = Graph()
    for path in paths:
        merged += read_graph(path)
    return merged
