"""Running a named query against a pyoxigraph Store or a compiled TriG file, and shaping the answer.

The default graph is the union of all named graphs, as at the endpoint (``use_default_graph_as_union``).
Answers come back as a :class:`QueryResult`: the variables and rows as pyoxigraph terms, ``records()`` as a
plain list of JSON-ready objects (what ``GET /api/{name}`` answers as JSON), and ``serialize()`` in any SPARQL
results format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .catalogue import BoundQuery, NamedQuery

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}

#: media type -> pyoxigraph results format, for ``serialize``
RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def load_store(path: Path) -> ox.Store:
    """An in-memory store with the compiled dataset (TriG) of ``path``."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


@lru_cache(maxsize=4)
def _cached_store(path: str, mtime: float) -> ox.Store:
    return load_store(Path(path))


def store_for(target: ox.Store | Path | str) -> ox.Store:
    if isinstance(target, ox.Store):
        return target
    path = Path(target)
    return _cached_store(str(path.resolve()), path.stat().st_mtime)


def plain_value(term):
    """A term as a JSON value: numbers and booleans as such, everything else (IRIs, text, dates) as its string."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                number = float(term.value)
                return int(number) if number.is_integer() and datatype == XSD + "decimal" else number
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
    return term.value


@dataclass
class QueryResult:
    """The answer to one bound query."""

    query: BoundQuery
    variables: list[str]
    rows: list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None
    _store: ox.Store | None = None
    _union: bool = True

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict]:
        """Rows as plain objects (a key per bound variable), for JSON, JavaScript and pandas."""
        return [{k: plain_value(v) for k, v in row.items()} for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        return [row[name].value if name in row else None for row in self.rows]

    def serialize(self, fmt: str = "json") -> bytes:
        """The answer in a SPARQL results format (json, xml, csv, tsv) or, for CONSTRUCT, N-Triples/Turtle."""
        result = self._store.query(self.query.text, use_default_graph_as_union=self._union)
        if isinstance(result, ox.QueryTriples):
            graph_format = {"ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE}.get(fmt, ox.RdfFormat.N_TRIPLES)
            return result.serialize(format=graph_format)
        if fmt not in RESULTS_FORMATS:
            raise ValueError(f"unknown results format {fmt!r} (json, xml, csv, tsv)")
        return result.serialize(format=RESULTS_FORMATS[fmt])


def run(
    query: NamedQuery | BoundQuery,
    target: ox.Store | Path | str,
    params: Mapping[str, str] | None = None,
    *,
    union: bool = True,
) -> QueryResult:
    """Bind ``params`` (when given a :class:`NamedQuery`) and run the query on ``target``.

    Raises :class:`~stm_kg.queries.parameters.ParameterError` for a bad parameter, and pyoxigraph's
    ``SyntaxError``/``OSError`` for a broken query or an unreachable SERVICE.
    """
    bound = query.bind(params or {}) if isinstance(query, NamedQuery) else query
    store = store_for(target)
    result = store.query(bound.text, use_default_graph_as_union=union)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{name: row[name] for name in variables if row[name] is not None} for row in result]
        return QueryResult(bound, variables, rows, _store=store, _union=union)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(bound, [], [], boolean=bool(result), _store=store, _union=union)
    triples = list(result)
    rows = [{"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in triples]
    return QueryResult(bound, ["subject", "predicate", "object"], rows, triples=triples, _store=store, _union=union)
