"""Comparing SPARQL results as the W3C tests mean it: as multisets up to blank-node renaming, in order only
when the query asks for an order. Solutions become a small RDF graph, compared with rdflib's isomorphism."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


def _term(term, prefix: str) -> str:
    text = str(term)
    return f"_:{prefix}{text[2:]}" if isinstance(term, ox.BlankNode) else text


def solutions_graph(variables, rows, ordered: bool) -> Graph:
    """The solutions as a graph: one blank node per solution, with its bindings (and index when ordered)."""
    lines = []
    for index, row in enumerate(rows):
        solution = f"_:solution{index}"
        lines.append(f"_:rs <{RS}solution> {solution} .")
        if ordered:
            lines.append(f'{solution} <{RS}index> "{index}" .')
        for variable in variables:
            value = row[variable.value]
            if value is None:
                continue
            binding = f"_:binding{index}x{variable.value}"
            lines += [f"{solution} <{RS}binding> {binding} .", f'{binding} <{RS}variable> "{variable.value}" .',
                      f"{binding} <{RS}value> {_term(value, 'v')} ."]
    return Graph().parse(data="\n".join(lines), format="nt")


def same_solutions(expected: ox.QuerySolutions, actual: ox.QuerySolutions, ordered: bool) -> bool:
    expected_vars = sorted(expected.variables, key=lambda v: v.value)
    actual_vars = sorted(actual.variables, key=lambda v: v.value)
    expected_rows, actual_rows = list(expected), list(actual)
    if len(expected_rows) != len(actual_rows):
        return False
    if {v.value for v in expected_vars} != {v.value for v in actual_vars}:
        return False
    if not isomorphic(solutions_graph(expected_vars, expected_rows, False), solutions_graph(actual_vars, actual_rows, False)):
        return False
    return not ordered or isomorphic(solutions_graph(expected_vars, expected_rows, True), solutions_graph(actual_vars, actual_rows, True))


def result_set_graph(path) -> Graph:
    """Expected solutions written in the result-set vocabulary (Turtle), reduced to what
    :func:`solutions_graph` writes, so that the two can be compared."""
    source = Graph().parse(path, format="turtle", publicID=Path(path).resolve().as_uri())
    kept = {f"{RS}{name}" for name in ("solution", "binding", "variable", "value")}
    reduced = Graph()
    for triple in source:
        if str(triple[1]) in kept:
            reduced.add(triple)
    return reduced


def same_as_result_set(path, actual: ox.QuerySolutions) -> bool:
    """Compare ``actual`` (unordered) with expected solutions in the result-set vocabulary."""
    variables = sorted(actual.variables, key=lambda v: v.value)
    return isomorphic(result_set_graph(path), solutions_graph(variables, list(actual), False))
