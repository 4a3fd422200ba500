"""The linksets of data/links/: one named graph each, described in VoID, with a correct count, and
`stm-kg links check` that lists every external link with its pattern check and fails on a bad one."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from stm_kg.config import CANONICAL_BASE, DATA_DIR, graph_names
from stm_kg.pipeline.links import check_links, linkset_links

VOID = Namespace("http://rdfs.org/ns/void#")
LINKSETS = sorted(p.stem for p in (DATA_DIR / "links").glob("*.ttl"))


def test_the_expected_linksets_exist():
    assert LINKSETS == ["eur-lex", "officielebekendmakingen", "tooi", "tweedekamer"]


@pytest.mark.parametrize("name", LINKSETS)
def test_linkset_is_a_named_graph_with_a_correct_void_description(dataset, name):
    graph = dataset.graph(URIRef(graph_names(CANONICAL_BASE).linkset(name)))
    linkset = URIRef(f"{CANONICAL_BASE}id/linkset/{name}")
    assert (linkset, RDF.type, VOID.Linkset) in graph
    for prop in (VOID.target, VOID.subjectsTarget, VOID.objectsTarget, VOID.linkPredicate):
        assert graph.value(linkset, prop) is not None, prop
    assert {t.language for t in graph.objects(linkset, DCTERMS.title)} >= {"nl", "en"}
    _, links = linkset_links(graph)
    assert graph.value(linkset, VOID.triples) == Literal(len(links))
    predicates = set(graph.objects(linkset, VOID.linkPredicate))
    assert links and all(p in predicates for _, p, _ in links)
    note = URIRef(f"{CANONICAL_BASE}id/document/onderzoeksnotitie-publieke-identificatoren")
    assert (linkset, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), note) in graph


def test_linksets_are_not_seen_by_the_reasoner(graphs):
    # owl:sameAs to TOOI would otherwise copy every fact of a ministry onto the TOOI IRI in the closure
    tooi = URIRef("https://identifier.overheid.nl/tooi/id/ministerie/mnre1058")
    assert not list(graphs["inferred"].triples((tooi, None, None)))
    assert not list(graphs["data"].triples((None, OWL.sameAs, tooi)))


def test_tooi_links_are_the_high_confidence_codes_only(dataset):
    graph = dataset.graph(URIRef(graph_names(CANONICAL_BASE).linkset("tooi")))
    codes = sorted(str(o).rsplit("/", 1)[1] for o in graph.objects(None, OWL.sameAs))
    assert codes == ["mnre1013", "mnre1025", "mnre1058", "mnre1073"]  # not mnre1162 (Asiel en Migratie: medium)


def test_links_check_passes_on_the_repository():
    report = check_links()
    assert report.ok, [c for c in report.failed] + [ls.problems for ls in report.linksets]
    kinds = {c.kind for c in report.checks if c.status == "ok"}
    assert {"tooi", "eli", "kst", "kst-page", "tk-page", "celex"} <= kinds
    assert sum(ls.links for ls in report.linksets) == 21


def _broken_copy(tmp_path, edit):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    edit(data)
    return data


def _run(data):
    return subprocess.run([sys.executable, "-m", "stm_kg.cli", "links", "check", "--data-dir", str(data), "--failed"],
                          capture_output=True, text=True, timeout=60)


def test_links_check_fails_on_a_wrong_count(tmp_path):
    data = _broken_copy(tmp_path, lambda d: (d / "links" / "tooi.ttl").write_text(
        (d / "links" / "tooi.ttl").read_text().replace("void:triples 4", "void:triples 5")))
    result = _run(data)
    assert result.returncode == 1
    assert "void:triples says 5, the linkset holds 4 links" in result.stdout


@pytest.mark.parametrize("old, new, message", [
    ("tooi:mnre1058 .", "tooi:mnre1059 .", "code mnre1059 is not among the resource's identifiers"),
    ("owl:sameAs tooi:mnre1013 .", "owl:sameAs <https://identifier.overheid.nl/tooi/id/gemeente/gm0363> .",
     "not of the TOOI ministry form"),
])
def test_links_check_fails_on_a_bad_tooi_link(tmp_path, old, new, message):
    data = _broken_copy(tmp_path, lambda d: (d / "links" / "tooi.ttl").write_text(
        (d / "links" / "tooi.ttl").read_text().replace(old, new)))
    result = _run(data)
    assert result.returncode == 1 and message in result.stdout


def test_links_check_fails_on_a_kst_mismatch(tmp_path):
    def edit(d):
        path = d / "links" / "officielebekendmakingen.ttl"
        path.write_text(path.read_text().replace("kst-28638-247.html", "kst-28638-248.html"))
        documents = d / "documents.ttl"
        documents.write_text(documents.read_text().replace('dcterms:identifier "kst-28638-233"', 'dcterms:identifier "kst-28638-234"'))
    result = _run(_broken_copy(tmp_path, edit))
    assert result.returncode == 1
    assert "page kst-28638-248 does not match the IRI's kst-28638-247" in result.stdout
    assert "the identifier does not match the IRI's dossier and number" in result.stdout


def test_links_check_fails_on_an_eli_that_does_not_match_the_celex_number(tmp_path):
    data = _broken_copy(tmp_path, lambda d: (d / "links" / "eur-lex.ttl").write_text(
        (d / "links" / "eur-lex.ttl").read_text().replace("eli/dir/2024/1712/oj> .", "eli/dir/2024/1713/oj> .")))
    result = _run(data)
    assert result.returncode == 1 and "matches CELEX 32024L1713, but the resource has ['32024L1712']" in result.stdout


def test_links_check_lists_every_link_and_identifier():
    result = subprocess.run([sys.executable, "-m", "stm_kg.cli", "links", "check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "https://identifier.overheid.nl/tooi/id/ministerie/mnre1058" in result.stdout
    assert "http://data.europa.eu/eli/dir/2024/1712/oj" in result.stdout
    assert "0 failed" in result.stdout


def test_links_check_fails_on_a_eur_lex_page_of_another_celex_number(tmp_path):
    def edit(d):
        path = d / "international.ttl"
        path.write_text(path.read_text().replace("foaf:page <https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32024L1712>",
                                                 "foaf:page <https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32024L1713>"))
    result = _run(_broken_copy(tmp_path, edit))
    assert result.returncode == 1
    assert "CELEX 32024L1713 is not among the resource's CELEX numbers ['32024L1712']" in result.stdout
