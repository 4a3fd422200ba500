"""SHACL validation for gated writes: one adapter over the project's validator, one over plain pyshacl.

A validator takes the would-be data as an rdflib graph and returns a :class:`GateOutcome`. The gate builds
that graph for the one call (``union_graph``): a validator may add to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rdflib import Graph


@dataclass(frozen=True)
class GateOutcome:
    """Whether the data conforms, the W3C validation report (``sh:ValidationReport``) and its text."""

    conforms: bool
    report_graph: Graph
    text: str


Validator = Callable[[Graph], GateOutcome]


def project_validator(data: Graph) -> GateOutcome:
    """Validate with the project's pipeline and shapes (``stm_kg.pipeline.validation``, ontology/stm-shapes.ttl).

    The one place that knows the pipeline's contract.
    """
    from ..pipeline.validation import validate_graph

    outcome = validate_graph(data, owned=True)
    return GateOutcome(outcome.conforms, outcome.report_graph, outcome.text)


def shapes_validator(shapes: Graph | Path) -> Validator:
    """A validator for the SHACL shapes ``shapes`` (a graph or a Turtle file), with pyshacl directly."""
    import pyshacl

    shapes_graph = shapes if isinstance(shapes, Graph) else Graph().parse(shapes, format="turtle")

    def validate(data: Graph) -> GateOutcome:
        conforms, report_graph, text = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none")
        return GateOutcome(bool(conforms), report_graph, text)

    return validate
