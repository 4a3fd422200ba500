"""SHACL validation: check a data graph against ``ontology/stm-shapes.ttl``, with the ontology in view.

One entry point per job: :func:`validate_graph` for a graph in memory (the endpoint's SHACL-gated writes),
:func:`validate_files` for files on disk (``stm-kg validate``). Both return a :class:`ValidationOutcome`.

How the graphs are put together (measured and explained in docs/decisions/0004-validation.md):

- The data graph that pySHACL sees is the data merged with the ontology (``ontology/*.ttl`` and
  ``ontology/schemes/*.ttl``, shapes excluded). That is all the "inference" the shapes need: SHACL's
  ``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf`` in the data graph by themselves, and the
  scheme-membership checks see our concept schemes. No RDFS/OWL inference runs: typing resources from
  ``rdfs:domain``/``rdfs:range`` would make every ``sh:class`` check pass by construction.
- The shapes and the ontology are read once per process and cached; the caller's graph is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.term import Node

from ..config import ONTOLOGY_DIR
from ..namespaces import FOAF, PREFIXES, RDF, SH, SKOS, DCTERMS, STM_ID
from .sources import ontology_files, read_graph, read_merged, shapes_files

#: Severities from worst to mildest; the order of the report.
SEVERITIES: tuple[URIRef, ...] = (SH.Violation, SH.Warning, SH.Info)

#: Called with a short description of each stage ("reading x.ttl", "validating 1,234 triples").
StageCallback = Callable[[str], None]


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``, flattened for people and programs.

    ``resource`` is the IRI the finding belongs to: the focus node itself, or for a blank node (a derivation,
    a period) the named resource that holds it; ``via`` then says how (``prov:qualifiedDerivation``).
    """

    focus: Node
    resource: Node
    via: str
    label: str
    path: str
    value: Node | None
    severity: URIRef
    source_shape: Node
    component: URIRef | None
    name: dict[str, str]
    messages: dict[str, str]

    @property
    def severity_name(self) -> str:
        return str(self.severity).rsplit("#", 1)[-1]

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or next(iter(self.messages.values()), "")


@dataclass
class ValidationOutcome:
    """What a validation found: the W3C report graph, the results as records, and counts."""

    report_graph: Graph
    results: list[ValidationResult]
    triples: int
    files: list[Path] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no ``sh:Violation`` (warnings and infos are allowed)."""
        return self.count(SH.Violation) == 0

    def count(self, severity: URIRef) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @cached_property
    def text(self) -> str:
        """The report as plain text, Dutch and English (see :mod:`stm_kg.pipeline.validation_report`)."""
        from .validation_report import render_text

        return render_text(self, lang="both")


# -- The shapes and the ontology, read once ----


@lru_cache(maxsize=1)
def default_shapes() -> Graph:
    """The shapes of ``ontology/*shapes*.ttl``, read once per process."""
    return read_merged(shapes_files(ONTOLOGY_DIR))


@lru_cache(maxsize=1)
def default_ontology() -> Graph:
    """The ontology, alignments and concept schemes (``ontology/**/*.ttl`` without shapes), read once."""
    return read_merged(ontology_files(ONTOLOGY_DIR))


# -- Reading input ----


def read_input(path: Path) -> Graph:
    """Read a steward's file (any RDF syntax of :data:`~stm_kg.pipeline.sources.FORMATS`).

    Syntax errors raise :class:`SourceError` with file, line and column, but an ill-formed typed value
    (``"2024-13-01"^^xsd:date``) is kept, so that the shapes report it in context with every other problem
    instead of stopping at the first.
    """
    return read_graph(Path(path), check_literals=False)


def _triples(graph: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """All triples of a graph, or of every graph of a dataset (named graphs merged)."""
    if isinstance(graph, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph


# -- Validating ----


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    on_stage: StageCallback | None = None,
    owned: bool = False,
) -> ValidationOutcome:
    """Validate ``data`` against the shapes, with the ontology merged in.

    ``shapes`` and ``ontology`` default to the project's own, read once per process. ``data`` is not modified,
    unless the caller hands it over (``owned``: a plain graph built for this call), which saves a copy: the
    ontology is then merged into it.
    """
    if owned and not isinstance(data, ConjunctiveGraph):
        return _validate(data, len(data), shapes, ontology, on_stage)
    combined = Graph()
    data_triples = 0
    for triple in _triples(data):
        combined.add(triple)
        data_triples += 1
    return _validate(combined, data_triples, shapes, ontology, on_stage)


def validate_files(paths: Iterable[Path | str], *, on_stage: StageCallback | None = None) -> ValidationOutcome:
    """Read and validate one or more RDF files together; :class:`SourceError` if one cannot be read."""
    files = [Path(p) for p in paths]
    combined = Graph()
    for path in files:
        if on_stage:
            on_stage(f"reading {path}")
        for triple in _triples(read_input(path)):
            combined.add(triple)
    outcome = _validate(combined, len(combined), None, None, on_stage)
    outcome.files = files
    return outcome


def _validate(
    combined: Graph, data_triples: int, shapes: Graph | None, ontology: Graph | None, on_stage: StageCallback | None
) -> ValidationOutcome:
    shapes = default_shapes() if shapes is None else shapes
    ontology = default_ontology() if ontology is None else ontology
    for triple in ontology:
        combined.add(triple)
    if on_stage:
        on_stage(f"validating {data_triples:,} triples")
    _, report_graph, _ = pyshacl.validate(
        combined,
        shacl_graph=shapes,
        inference="none",
        advanced=True,  # SHACL-AF: not needed by our shapes, but lets stewards' graphs use sh:targetNode etc.
        inplace=True,  # ``combined`` is this module's own copy: no second copy (advanced mode would clone it)
        allow_warnings=True,
        allow_infos=True,
    )
    results = collect_results(report_graph, combined, shapes)
    for prefix, namespace in PREFIXES.items():
        report_graph.bind(prefix, namespace)
    return ValidationOutcome(report_graph=report_graph, results=results, triples=data_triples)


# -- From the report graph to records ----


def collect_results(report: Graph, data: Graph, shapes: Graph) -> list[ValidationResult]:
    """The ``sh:result``s of ``report`` as records, sorted by resource, severity and path."""
    names = _namer()
    records, seen = [], set()
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        # A SPARQL-based result names its constraint (with sh:name) apart from the node shape.
        shape = report.value(node, SH.sourceConstraint) or report.value(node, SH.sourceShape)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        key = (focus, path if not isinstance(path, BNode) else None, value, shape)
        if key in seen:  # one shape, two components, same finding (e.g. ill-typed and below minimum)
            continue
        seen.add(key)
        resource, via = _anchor(data, focus, names)
        records.append(
            ValidationResult(
                focus=focus,
                resource=resource,
                via=via,
                label=_label(data, resource),
                path=_path_text(report, path, names) if path is not None else "",
                value=value,
                severity=report.value(node, SH.resultSeverity) or SH.Violation,
                source_shape=shape,
                component=report.value(node, SH.sourceConstraintComponent),
                name=_shape_name(shapes, shape),
                messages=_messages(report, node, shapes, shape, value),
            )
        )
    records.sort(key=lambda r: (str(r.resource), SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9, r.path))
    return records


def _messages(report: Graph, result: Node, shapes: Graph, shape: Node | None, value: Node | None) -> dict[str, str]:
    """The result's messages per language.

    pySHACL copies the language-tagged ``sh:message``s of core constraints, but the messages of a SPARQL-based
    constraint lose their language tags; those are rebuilt here from the constraint's own ``sh:message``s,
    with ``{?value}`` / ``{$value}`` substituted as SHACL prescribes. pySHACL's own (untagged) default
    messages, for shapes without ``sh:message``, are English.
    """
    found = list(report.objects(result, SH.resultMessage))
    messages = {m.language: str(m) for m in found if isinstance(m, Literal) and m.language}
    text = "" if value is None else str(value)
    for constraint in [shape, *shapes.objects(shape, SH.sparql)] if shape is not None else []:
        for template in shapes.objects(constraint, SH.message):
            if isinstance(template, Literal) and template.language and template.language not in messages:
                messages[template.language] = str(template).replace("{?value}", text).replace("{$value}", text)
    if not messages:
        messages = {"en": " ".join(str(m) for m in found)}
    return messages


def _shape_name(shapes: Graph, shape: Node | None) -> dict[str, str]:
    """``sh:name`` of a shape; for a node shape with one SPARQL constraint, that constraint's name."""
    if shape is None:
        return {}
    names = _by_language(shapes.objects(shape, SH.name))
    constraints = list(shapes.objects(shape, SH.sparql))
    if not names and len(constraints) == 1:
        names = _by_language(shapes.objects(constraints[0], SH.name))
    return names


def _by_language(literals: Iterable[Node]) -> dict[str, str]:
    found: dict[str, str] = {}
    for literal in literals:
        if isinstance(literal, Literal):
            found.setdefault(literal.language or "en", str(literal))
    return found


def _namer() -> Callable[[Node], str]:
    manager = Graph().namespace_manager
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, replace=True)
    manager.bind("id", str(STM_ID), replace=True)

    def name(node: Node) -> str:
        if isinstance(node, URIRef):
            try:
                return manager.normalizeUri(node)
            except Exception:  # not every IRI has a valid prefixed form
                return f"<{node}>"
        return node.n3() if isinstance(node, Literal) else "[]"

    return name


def _path_text(report: Graph, path: Node, name: Callable[[Node], str]) -> str:
    """A SHACL property path as SPARQL property-path text (``prov:qualifiedDerivation/prov:entity``)."""
    if isinstance(path, URIRef):
        return name(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(report, inverse, name)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(report, p, name) for p in report.items(alternatives)) + ")"
    if report.value(path, RDF.first) is not None:
        return "/".join(_path_text(report, p, name) for p in report.items(path))
    return "[]"


def _anchor(data: Graph, focus: Node, name: Callable[[Node], str], depth: int = 4) -> tuple[Node, str]:
    """The named resource a focus node belongs to, and the properties leading from it to the focus."""
    node, steps = focus, []
    while isinstance(node, BNode) and depth:
        owner = next(iter(data.subject_predicates(node)), None)
        if owner is None:
            break
        node, predicate = owner
        steps.insert(0, predicate)
        depth -= 1
    return node, "/".join(name(p) for p in steps)


def _label(data: Graph, node: Node) -> str:
    """A readable name for a resource: its Dutch preferred label, name or title, else empty."""
    for predicate in (SKOS.prefLabel, FOAF.name, DCTERMS.title):
        values = list(data.objects(node, predicate))
        for value in sorted(values, key=lambda v: getattr(v, "language", None) != "nl"):
            return str(value)
    return ""
