"""Read the W3C SPARQL query test manifests (rdf-tests/sparql/sparql11, and SPARQL 1.0's syntax tests) into
plain records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

SUITE = Path(__file__).resolve().parents[3] / "shared" / "rdf-tests" / "sparql" / "sparql11"
SUITE_10 = SUITE.parent / "sparql10"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")

#: The folders of manifest-sparql11-query.ttl.
QUERY_FOLDERS = ("aggregates", "bind", "bindings", "cast", "construct", "exists", "functions", "grouping",
                 "negation", "project-expression", "property-path", "subquery", "syntax-query")
#: SPARQL 1.0's syntax tests (manifest-syntax.ttl), still valid SPARQL 1.1 queries (or still invalid ones).
SYNTAX_10_FOLDERS = ("syntax-sparql1", "syntax-sparql2", "syntax-sparql3", "syntax-sparql4", "syntax-sparql5")
_SYNTAX_KINDS = {"PositiveSyntaxTest11": "PositiveSyntaxTest11", "NegativeSyntaxTest11": "NegativeSyntaxTest11",
                 "PositiveSyntaxTest": "PositiveSyntaxTest11", "NegativeSyntaxTest": "NegativeSyntaxTest11"}


@dataclass(frozen=True)
class W3CTest:
    """One test: its IRI and kind, the query file, the data files and the expected result file."""

    iri: str
    kind: str
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[tuple[Path, str], ...] = ()
    result: Path | None = None

    @property
    def name(self) -> str:
        """Relative to the SPARQL 1.1 suite (``aggregates/manifest#agg01``), or ``sparql10/…`` for SPARQL 1.0's."""
        for marker in ("/sparql10/", "/data-r2/"):  # SPARQL 1.0's manifests name their tests under data-r2/
            if marker in self.iri:
                return "sparql10/" + self.iri.split(marker, 1)[-1]
        return self.iri.split("sparql11/", 1)[-1]


def _path(node) -> Path:
    return Path(str(node).removeprefix("file://"))


def _graph_data(manifest: Graph, node) -> tuple[Path, str]:
    """A named graph of a test: its file and its name (the file's IRI, or the ``rdfs:label`` given)."""
    if isinstance(node, BNode):
        graph = manifest.value(node, QT.graph)
        return _path(graph), str(manifest.value(node, RDFS.label) or graph)
    return _path(node), str(node)


def read_tests(folders=QUERY_FOLDERS, suite: Path = SUITE) -> list[W3CTest]:
    """The query evaluation and syntax tests of ``folders`` of ``suite``, approved ones only, in manifest order
    (SPARQL 1.0's syntax test kinds are read as their SPARQL 1.1 names)."""
    tests = []
    for folder in folders:
        manifest_path = suite / folder / "manifest.ttl"
        manifest = Graph().parse(manifest_path, format="turtle", publicID=manifest_path.as_uri())
        for manifest_node in manifest.subjects(RDF.type, MF.Manifest):
            entries = manifest.value(manifest_node, MF.entries)
            for entry in Collection(manifest, entries) if entries else []:
                if manifest.value(entry, DAWGT.approval) == DAWGT.Withdrawn:
                    continue
                kind = str(manifest.value(entry, RDF.type)).rsplit("#", 1)[-1]
                action = manifest.value(entry, MF.action)
                if kind == "QueryEvaluationTest":
                    query = manifest.value(action, QT.query)
                    data = tuple(_path(d) for d in manifest.objects(action, QT.data))
                    graph_data = tuple(_graph_data(manifest, node) for node in manifest.objects(action, QT.graphData))
                    result = manifest.value(entry, MF.result)
                    tests.append(W3CTest(str(entry), kind, _path(query), data, graph_data, _path(result) if result else None))
                elif kind in _SYNTAX_KINDS:
                    tests.append(W3CTest(str(entry), _SYNTAX_KINDS[kind], _path(action)))
    return tests


def file_iri(path: Path) -> URIRef:
    return URIRef(path.as_uri())
