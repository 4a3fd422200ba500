"""``stm-kg validate`` on broken and awkward input: exit codes, error positions, every problem reported once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from stm_kg.cli import main
from stm_kg.namespaces import RDF, SH
from stm_kg.pipeline.validation import validate_files, validate_graph

SHAPES = Path(__file__).parent / "shapes"

MIXED = """\
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix stm: <https://w3id.org/stm-kg/def/ont/> .
@prefix ex: <https://example.org/> .

ex:bron a foaf:Document ; skos:prefLabel "Bron"@nl ; dcterms:title "Bron"@nl ; dcterms:date "2024-02-30"^^xsd:date ;
    dcterms:type <https://w3id.org/stm-kg/id/documentsoort/nota> ; stm:sourceTextFile "bron.txt" .
ex:actie a stm:Action ; skos:prefLabel "Actie"@nl ; stm:actionLine <https://w3id.org/stm-kg/id/status/lopend> ;
    stm:actionHolder ex:gemeente ; prov:wasDerivedFrom ex:bron ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity ex:bron ; stm:quote "actie"@nl ] .
ex:gemeente a org:Organization ; prov:wasDerivedFrom ex:bron ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity ex:bron ; stm:quote "gemeente"@nl ] .
ex:lid a org:Membership ; skos:prefLabel "Lid"@nl ; org:member ex:gemeente ;
    org:memberDuring [ time:hasBeginning [ time:inXSDDate "2025-01-01"^^xsd:date ] ;
                       time:hasEnd [ time:inXSDDate "2024-01-01"^^xsd:date ] ] ;
    prov:wasDerivedFrom ex:bron ; prov:qualifiedDerivation [ a prov:Derivation ; prov:entity ex:bron ] .
"""

#: What MIXED breaks, as (resource, shape): an ill-formed date, an action line from the wrong list, a nameless
#: organisation, a membership without its organisation and ending before it begins, a derivation without quote.
MIXED_EXPECTED = {
    ("https://example.org/bron", "Dated-date"),
    ("https://example.org/actie", "Action-actionLine"),
    ("https://w3id.org/stm-kg/id/status/lopend", "ActionLine-notation"),
    ("https://example.org/gemeente", "Resource-prefLabel-nl"),
    ("https://example.org/lid", "Membership-organization"),
    ("https://example.org/lid", "Interval-order"),
    ("https://example.org/lid", "Derivation-quote-count"),
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def mixed(tmp_path) -> Path:
    path = tmp_path / "mixed.ttl"
    path.write_text(MIXED, encoding="utf-8")
    return path


def test_syntax_error_names_file_line_and_column(tmp_path, capsys):
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\n\nex:a ex:b ex:c ;\n    ex:d ex:e .\nex:g ex:h "open\n', encoding="utf-8")
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == ""
    assert re.search(rf"{re.escape(str(path))}:5:\d+: syntax error", err), err


def test_unknown_suffix_and_missing_file_exit_2(tmp_path, capsys):
    (tmp_path / "data.txt").write_text("x", encoding="utf-8")
    assert run(capsys, str(tmp_path / "data.txt"))[0] == 2
    code, _, err = run(capsys, str(tmp_path / "absent.ttl"))
    assert code == 2 and "absent.ttl: cannot read the file" in err


def test_empty_file_conforms_with_a_note(tmp_path, capsys):
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    code, out, err = run(capsys, str(path), "--lang", "en")
    assert code == 0
    assert "empty" in err
    assert out.strip().splitlines()[-1].startswith("CONFORMS: 0 violations, 0 warnings, 0 infos on 0 resources; 0 triples")


def test_mixed_problems_are_all_reported_once(mixed, capsys):
    code, out, _ = run(capsys, str(mixed), "--format", "json", "--lang", "en")
    assert code == 1
    report = json.loads(out)
    found = [
        (group["resource"], result["sourceShape"].rsplit("/", 1)[-1])
        for group in report["resources"]
        for result in group["results"]
    ]
    assert set(found) == MIXED_EXPECTED
    assert len(found) == len(set(found)), "a problem was reported twice"
    assert report["counts"]["violations"] == 6 and report["counts"]["warnings"] == 1


def test_text_report_groups_by_resource_worst_first_in_both_languages(mixed, capsys):
    _, out, _ = run(capsys, str(mixed))
    lines = out.splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")]
    assert headers[-1].startswith("VOLDOET NIET: 6 fouten, 1 waarschuwing, 0 opmerkingen")
    assert "| DOES NOT CONFORM: 6 violations, 1 warning, 0 infos" in headers[-1]
    resources = headers[:-1]
    assert len(resources) == len(set(resources)) == 5
    lid = lines.index(next(h for h in resources if h.startswith("<https://example.org/lid>")))
    severities = [line.split()[0] for line in lines[lid + 1 :] if line.startswith("  ") and not line.startswith("    ")][:3]
    assert severities == ["VIOLATION", "VIOLATION", "WARNING"]
    assert "nl: De periode eindigt (2024-01-01) voordat hij begint." in out
    assert "en: The interval ends (2024-01-01) before it begins." in out


def test_lang_nl_has_only_dutch(mixed, capsys):
    _, out, _ = run(capsys, str(mixed), "--lang", "nl")
    assert "De periode eindigt" in out and "The interval ends" not in out
    assert "DOES NOT CONFORM" not in out


def test_turtle_report_is_a_w3c_validation_report(mixed, capsys):
    _, out, _ = run(capsys, str(mixed), "--format", "turtle")
    report = Graph().parse(data=out, format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in report
    assert len(list(report.objects(None, SH.result))) == 7


def test_html_report_is_standalone(mixed, capsys):
    _, out, _ = run(capsys, str(mixed), "--format", "html", "--lang", "en")
    assert out.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img)\b|@import|url\(", out), "the page must not load anything"
    assert "The interval ends (2024-01-01) before it begins." in out and "DOES NOT CONFORM" in out


def test_files_of_every_syntax_are_read_and_validated_together(mixed, tmp_path):
    graph = Graph().parse(mixed)
    paths = []
    for suffix, fmt in ((".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml"), (".trig", "trig")):
        path = tmp_path / f"mixed{suffix}"
        graph.serialize(path, format=fmt, encoding="utf-8")
        paths.append(path)
        assert {(str(r.resource), r.source_shape.rsplit("/", 1)[-1]) for r in validate_files([path]).results if not r.via or r.resource} >= {
            e for e in MIXED_EXPECTED if e[1] != "Dated-date"  # rdflib writes the ill-formed date differently per syntax
        }
    together = validate_files([mixed, *paths])
    assert len(together.files) == 5
    # blank nodes of different files are different nodes: the membership now has five periods
    five_periods = ("https://example.org/lid", "Membership-memberDuring")
    assert {(str(r.resource), r.source_shape.rsplit("/", 1)[-1]) for r in together.results} == MIXED_EXPECTED | {five_periods}


def test_validate_graph_leaves_the_input_alone(mixed):
    graph = Graph().parse(mixed)
    before = len(graph)
    outcome = validate_graph(graph)
    assert len(graph) == before and not outcome.conforms


def _generated(count: int) -> str:
    """``count`` memberships with their source, every 10th without its organisation: 9 triples each (8 for those)."""
    lines = [
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix stm: <https://w3id.org/stm-kg/def/ont/> .",
        "@prefix ex: <https://example.org/> .",
    ]
    for i in range(count):
        organisation = "" if i % 10 == 0 else f" ; org:organization ex:o{i % 7}"
        lines.append(
            f'ex:m{i} a org:Membership ; skos:prefLabel "m{i}"@nl ; org:member ex:p{i}{organisation} ; '
            f'prov:wasDerivedFrom ex:bron ; prov:qualifiedDerivation [ a prov:Derivation ; prov:entity ex:bron ; stm:quote "m{i}"@nl ] .'
        )
        lines.append(f"ex:p{i} a org:Organization .")
    lines += [f'ex:o{j} a org:Organization ; skos:prefLabel "o{j}"@nl ; prov:wasDerivedFrom ex:bron ; '
              f'prov:qualifiedDerivation [ a prov:Derivation ; prov:entity ex:bron ; stm:quote "o{j}"@nl ] .' for j in range(7)]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_huge_file_reports_every_problem(tmp_path, capsys):
    path = tmp_path / "huge.ttl"
    count = 10_100  # 10 triples each, 9 for every 10th: 100,990 triples (and the 7 bodies)
    path.write_text(_generated(count), encoding="utf-8")
    code, out, _ = run(capsys, str(path), "--format", "json", "--lang", "en")
    report = json.loads(out)
    assert code == 1 and report["counts"]["triples"] >= 100_000
    missing_organisation = [
        group["resource"] for group in report["resources"]
        for result in group["results"] if result["sourceShape"].endswith("/Membership-organization")
    ]
    assert len(missing_organisation) == count // 10
    # each member organisation lacks a name and a source: reported for every one of them
    assert report["counts"]["violations"] == count // 10 + 2 * count
