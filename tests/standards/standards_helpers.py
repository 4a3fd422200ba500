"""Helpers of the standards tests: where the vendored standards are, and SHACL results as plain tuples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

HERE = Path(__file__).resolve().parent

TOOI_JENV = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1058"  # data/links/tooi.ttl
CRIMINALITEIT = "http://standaarden.overheid.nl/owms/terms/Criminaliteit"
#: The ``[dataset]`` settings of a deployment whose programme confirmed them (the e-mail address is one of the
#: domain reserved for examples, RFC 2606: no real one was given).
CONFIRMED = f"""
[dataset]
publisher = "{TOOI_JENV}"
publisher_name = "Ministerie van Justitie en Veiligheid"
contact_name = "Programma Samen tegen mensenhandel"
contact_email = "stm-kg@example.org"
contact_url = "https://example.org/stm-kg"
themes = [{{ iri = "{CRIMINALITEIT}", label = "Criminaliteit" }}]
"""

#: Prefixes results are written with (rdflib's defaults plus these).
_NAMES = Graph()
for _prefix, _namespace in {"dcatap": "http://data.europa.eu/r5r/", "adms": "http://www.w3.org/ns/adms#",
                            "vcard": "http://www.w3.org/2006/vcard/ns#", "spdx": "http://spdx.org/rdf/terms#",
                            "dcterms": "http://purl.org/dc/terms/"}.items():
    _NAMES.bind(_prefix, _namespace, override=True, replace=True)


@dataclass(frozen=True)
class Result:
    severity: str  # Violation, Warning, Info
    focus: str
    path: str  # the result path as a prefixed name where the graph knows one
    message: str
    shape: str


def shapes_graph(*files: Path) -> Graph:
    shapes = Graph()
    for path in files:
        shapes.parse(path, format="turtle")
    return shapes


def shacl_results(data: Graph, shapes: Graph) -> list[Result]:
    """Every result of validating ``data`` against ``shapes`` (no inference), as :class:`Result`."""
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        results.append(Result(
            severity=str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=str(report.value(node, SH.focusNode)),
            path=_NAMES.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "",
            message=" / ".join(str(m) for m in report.objects(node, SH.resultMessage)),
            shape=str(report.value(node, SH.sourceShape)),
        ))
    return results
