"""Every concept scheme of ``ontology/schemes/`` conforms to NL-SBB's SHACL profile (``skos-ap-nl.ttl``):
no violation, and each warning (and info) explained below.

The schemes are validated together (one matches another's concepts), and with what TOOI publishes about the
six TOOI concepts that ``documentsoorten`` matches (``data/tooi-kern-documentsoorten.ttl``): NL-SBB asks that a
matching relation point to a concept, which only the other scheme can say.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from standards_helpers import HERE, shacl_results, shapes_graph
from stm_kg.config import ONTOLOGY_DIR

SCHEMES = sorted((ONTOLOGY_DIR / "schemes").glob("*.ttl"))
TOOI = HERE / "data" / "tooi-kern-documentsoorten.ttl"
PROFILE = HERE / "nl-sbb" / "skos-ap-nl.ttl"
SHAPE = "http://nlbegrip.nl/def/skosapnl#"
KST_259 = "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=2025D52215&id=2025D52215"

#: (focus, source shape) of every warning and info the schemes may have, with the reason.
EXPLAINED = {
    (KST_259, "SourceDocument-label"):
        "Info: the dcterms:source of seksuele uitbuiting is Kamerstuk 28 638 nr. 259 on tweedekamer.nl, a page "
        "whose title the sources do not give (public-identifiers.md names it by number only)",
    ("https://w3id.org/stm-kg/id/uitbuitingsvorm/seksuele-uitbuiting", "Concept-source"):
        "Warning: the same source document, reported once more on the concept that names it",
}
#: TOOI's own concepts are described in the excerpt by type and label only: their definitions and their place
#: in TOOI's hierarchy are TOOI's to publish, not ours to check.
FOREIGN_SHAPES = {"Concept-definition", "Concept"}


def graph(*paths: Path) -> Graph:
    data = Graph()
    for path in paths:
        data.parse(path, format="turtle")
    return data


@pytest.fixture(scope="module")
def profile() -> Graph:
    return shapes_graph(PROFILE)


def ours(results, foreign: set[str]):
    return [r for r in results if not (r.focus in foreign and r.shape.removeprefix(SHAPE) in FOREIGN_SHAPES)]


def test_there_are_schemes_to_check():
    assert len(SCHEMES) >= 9


@pytest.mark.slow
def test_every_concept_scheme_conforms_to_nl_sbb(profile):
    foreign = {str(s) for s in graph(TOOI).subjects()}
    results = ours(shacl_results(graph(*SCHEMES, TOOI), profile), foreign)
    violations = [r for r in results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus} {r.path} ({r.shape}): {r.message}" for r in violations)
    unexplained = [r for r in results if (r.focus, r.shape.removeprefix(SHAPE)) not in EXPLAINED]
    assert not unexplained, "\n".join(f"{r.severity} {r.focus} ({r.shape}): {r.message}" for r in unexplained)


@pytest.mark.slow
def test_the_profile_can_fail(profile):
    """Without TOOI's side, the matches point to no concept; a concept without a definition is not NL-SBB's."""
    alone = [r for r in shacl_results(graph(*SCHEMES), profile) if r.severity == "Violation"]
    assert any(r.shape == SHAPE + "SemanticRelations" and "tooi" in r.focus for r in alone)
    broken = graph(*SCHEMES, TOOI)
    concept = URIRef("https://w3id.org/stm-kg/id/actielijn/1")
    assert (concept, SKOS.definition, None) in broken
    broken.remove((concept, SKOS.definition, None))
    found = [r for r in shacl_results(broken, profile) if r.severity == "Violation" and r.focus == str(concept)]
    assert any(r.path == "skos:definition" for r in found)
