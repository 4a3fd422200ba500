"""Shape tests as data: each ``tests/shapes/*.ttl`` is a small graph with a ``dash:GraphValidationTestCase``
and its expected report, written by hand. One parametrised test runs them all.

An expected result names the resource (for a blank node such as a derivation: the named resource holding it),
the source shape and the severity. The actual report must contain exactly the expected results for every shape
the test case names (none lost, none extra); shapes a case does not name are not its business, except in a
case that expects ``sh:conforms true`` with no results, where nothing at all may be reported.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from stm_kg.namespaces import DASH, RDF, SH
from stm_kg.pipeline.validation import default_shapes, read_input, validate_graph

CASES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))


def _expected(graph: Graph) -> tuple[bool, Counter]:
    case = next(graph.subjects(RDF.type, DASH.GraphValidationTestCase))
    report = graph.value(case, DASH.expectedResult)
    conforms = graph.value(report, SH.conforms).toPython()
    results = Counter(
        (graph.value(r, SH.focusNode), graph.value(r, SH.sourceShape), graph.value(r, SH.resultSeverity))
        for r in graph.objects(report, SH.result)
    )
    return conforms, results


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_shape_case(path: Path):
    graph = read_input(path)
    conforms, expected = _expected(graph)
    outcome = validate_graph(graph)
    tested = {shape for _, shape, _ in expected}
    actual = Counter(
        (r.resource, r.source_shape, r.severity) for r in outcome.results if not expected or r.source_shape in tested
    )
    assert outcome.conforms is conforms
    missing, extra = expected - actual, actual - expected
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"


def test_every_shape_has_a_failing_case():
    """Each named property shape and SPARQL constraint is expected to fire in at least one case."""
    shapes = default_shapes()
    named = {
        s
        for kind in (SH.PropertyShape, SH.SPARQLConstraint)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }
    fired = set()
    for path in CASES:
        fired |= {shape for _, shape, _ in _expected(read_input(path))[1]}
    assert not named - fired, f"shapes without a failing case: {sorted(named - fired)}"


def test_every_shape_has_a_conforming_case():
    """Each node shape with a class or property target has a focus node in a case that reports nothing.

    (Shapes with a SPARQL target select only the nodes that break them, so they have none there by design.)
    """
    shapes = default_shapes()
    targeted = {s for p in (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf) for s in shapes.subjects(p, None)}
    clean = Graph()
    for path in CASES:
        graph = read_input(path)
        conforms, expected = _expected(graph)
        if conforms and not expected:
            clean += graph
    assert clean and not validate_graph(clean).results
    unexercised = {s for s in targeted if not _has_focus(s, clean, shapes)}
    assert not unexercised, f"node shapes without a focus node in a conforming case: {sorted(unexercised)}"


def _has_focus(shape: URIRef, data: Graph, shapes: Graph) -> bool:
    """Whether ``shape``'s targets select anything in ``data``: a probe shape with the same targets that fails always."""
    probe = Graph()
    for predicate in (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf):
        for target in shapes.objects(shape, predicate):
            probe.add((shape, predicate, target))
    probe.add((shape, RDF.type, SH.NodeShape))
    probe.add((shape, SH.hasValue, URIRef("urn:x-stm-kg:never")))
    return bool(validate_graph(data, shapes=probe).results)
