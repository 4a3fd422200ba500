"""Evaluate one SPARQL query on an Oxigraph store and serialise its result, within a size limit.

Oxigraph parses, evaluates and serialises; Python only passes bytes along, and the functions the query calls
that Oxigraph does not have (:mod:`.extension_functions`). This runs on an evaluation thread
(:mod:`stm_kg.store.threads`) or, for a query known to be quick, in the request's own thread.
"""

from __future__ import annotations

import io
import re

import pyoxigraph as ox

from ..syntax import LexError, read
from .extension_functions import unknown_functions
from .interface import (
    DatasetSelection,
    FormatChoice,
    NotAcceptable,
    QuerySyntaxError,
    ResultTooLarge,
    SerializedResult,
)

_POSITION = re.compile(r"^error at (\d+):(\d+): ")


class _BoundedBuffer(io.RawIOBase):
    """A byte buffer that refuses to grow beyond ``limit`` bytes."""

    def __init__(self, limit: int | None):
        super().__init__()
        self.limit = limit
        self.buffer = bytearray()
        self.overflowed = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.limit is not None and len(self.buffer) + len(data) > self.limit:
            self.overflowed = True
            raise ResultTooLarge(f"the result is larger than the limit of {self.limit} bytes")
        self.buffer += data
        return len(data)


def syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """Oxigraph's ``error at LINE:COLUMN: message`` as a :class:`QuerySyntaxError`."""
    message = str(error)
    found = _POSITION.match(message)
    if not found:
        return QuerySyntaxError(message)
    return QuerySyntaxError(message[found.end():], int(found.group(1)), int(found.group(2)))


def _named_node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def dataset_arguments(sparql: str, dataset: DatasetSelection, union_default_graph: bool) -> dict:
    """Keyword arguments of :meth:`pyoxigraph.Store.query` for a dataset selection.

    The union default graph is not asked for when the query names its dataset with ``FROM``: Oxigraph
    would let the union override it.
    """
    arguments: dict = {}
    if dataset.default_graphs is not None:
        arguments["default_graph"] = [_named_node(iri) for iri in dataset.default_graphs]
    elif union_default_graph and not _names_its_dataset(sparql):
        arguments["use_default_graph_as_union"] = True
    if dataset.named_graphs is not None:
        arguments["named_graphs"] = [_named_node(iri) for iri in dataset.named_graphs]
    return arguments


def _names_its_dataset(sparql: str) -> bool:
    try:
        return read(sparql).says("FROM")
    except LexError:
        return False  # Oxigraph refuses the text with its own syntax error


def evaluate(
    store: ox.Store,
    sparql: str,
    formats: FormatChoice,
    dataset: DatasetSelection,
    *,
    union_default_graph: bool,
    base_iri: str | None = None,
    max_bytes: int | None = None,
) -> SerializedResult:
    """Run ``sparql`` on ``store`` and serialise the result; raises the errors of :mod:`.interface`."""
    try:
        results = store.query(sparql, base_iri=base_iri, **dataset_arguments(sparql, dataset, union_default_graph),
                              **unknown_functions(sparql, base_iri))
    except SyntaxError as error:
        raise syntax_error(error) from None
    if isinstance(results, ox.QueryTriples):
        kind, media_type = "graph", formats.graph
        fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
    else:
        kind, media_type = ("boolean" if isinstance(results, ox.QueryBoolean) else "solutions"), formats.solutions
        fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if fmt is None:
        raise NotAcceptable(kind)
    output = _BoundedBuffer(max_bytes)
    try:
        results.serialize(output, format=fmt)
    except Exception:
        if output.overflowed:
            raise ResultTooLarge(f"the result is larger than the limit of {max_bytes} bytes") from None
        raise
    return SerializedResult(kind, media_type, bytes(output.buffer))
