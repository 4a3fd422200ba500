"""Every named query runs against the built knowledge graph and answers what its file says it should.

The ``#+ expect:`` lines next to each query hold the expected rows and counts; each cites the place in
/work/shared/sources/fact-inventory.md (or the research note) it was read from. The headline facts are also
asserted here a second time, in code, so that deleting an expect line cannot make the suite pass quietly.
"""

from __future__ import annotations

import pytest

from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue, run
from stm_kg.queries.expectations import check, parse

ID = CANONICAL_BASE + "id/"
_CATALOGUE = Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)
_CASES = [
    pytest.param(query.name, expectation, id=f"{query.name}:{expectation.line}")
    for query in _CATALOGUE.local()
    for expectation in parse(query)
]


def test_the_catalogue_has_the_queries_the_issue_asks_for(catalogue):
    assert len(catalogue.local()) >= 25
    assert len([q for q in catalogue.values() if q.federated]) >= 3
    for name in ("leden-overleg", "leden-recursief", "moties-actieplan", "documenten", "acties-per-actielijn",
                 "deelname-organisatie", "geld-per-jaar", "kamer-vragen", "tijdlijn", "feiten-uit-bron",
                 "externe-identificatoren", "kamerstuknummer-afwijkingen", "afgeleid-of-vastgelegd", "zoek-labels"):
        assert name in catalogue, name


@pytest.mark.parametrize("name", sorted(_CATALOGUE))
def test_each_query_is_documented_in_dutch_and_english(catalogue, name):
    query = catalogue[name]
    for text in (query.title, query.title_en, query.description, query.description_en):
        assert len(text) > 10, f"{name}: title and description in nl and en"
    for p in query.parameters:
        assert p.description and p.description_en, f"{name}: parameter {p.name} needs a description in nl and en"
    if query.federated:
        assert query.endpoints, f"{name}: a federated query names its endpoint(s)"
        for endpoint in query.endpoints:
            assert f"SERVICE <{endpoint}>" in query.text
    else:
        assert "SERVICE" not in query.text.upper().replace("#+ ", "")
        assert any(c[0] in ("rows", "ask") for e in parse(query) for c in e.checks), f"{name}: no rows= expectation"


@pytest.mark.parametrize("name, expectation", _CASES)
def test_query_answers_what_its_file_expects(name, expectation, catalogue, store):
    query = catalogue[name]
    result = run(query, store, expectation.given)
    problems = check(expectation, result, catalogue.base)
    assert not problems, f"{name} {expectation}: {problems}\n" + "\n".join(map(str, result.records()[:30]))


# -- the headline facts, a second time, read from the fact inventory by hand -----------------------------


def _ids(result, column):
    return {value.removeprefix(ID) for value in result.column(column)}


def test_regiegroep_has_13_seats_and_the_som_12_members(catalogue, store):
    regiegroep = run(catalogue["leden-overleg"], store)  # §5.1
    assert len(regiegroep) == 13
    assert {"overleg/strategisch-overleg-mensenhandel", "organisatie/comensha", "groep/zorgcoordinatoren-mensenhandel"} <= _ids(regiegroep, "member")
    assert set(regiegroep.column("attested")) == {"2024-01-29"}
    som = run(catalogue["leden-overleg"], store, {"body": "id:overleg/strategisch-overleg-mensenhandel"})  # §5.2
    assert len(som) == 12


def test_recursive_membership_reaches_the_som_members_once(catalogue, store):
    result = run(catalogue["leden-recursief"], store)
    assert len(result) == 13 + 12 - 1  # CoMensha sits in both
    assert len({r["member"] for r in result.rows}) == len(result)


def test_motie_mutluer_has_4_submitters_and_ceder_4_motions(catalogue, store):
    submitters = run(catalogue["motie-indieners"], store)  # §10.1 M2
    assert sorted(zip(submitters.column("name"), submitters.column("party"))) == [
        ("Bikker", "CU"), ("Mutluer", "GL/PvdA"), ("Tseggai", "GL/PvdA"), ("Van Nispen", "SP")]
    ceder = run(catalogue["moties-van-persoon"], store)  # §10.3: M4, M5, M6, M8
    assert _ids(ceder, "motion") == {"motie/boomsma-tseggai-ceder-2025-06-05", "motie/boomsma-ceder-2025-06-05",
                                     "motie/ceder-2025-06-05", "motie/ceder-cs-2025-06-05"}


def test_seven_motions_on_5_june_2025(catalogue, store):
    assert len(run(catalogue["moties-op-datum"], store)) == 7  # §10.3
    assert len(run(catalogue["moties-op-datum"], store, {"date": "2025-06-05"})) == 7


def test_the_248_249_discrepancy_is_found_once(catalogue, store):
    rows = run(catalogue["kamerstuknummer-afwijkingen"], store).records()
    assert [(r["citedNumber"], r["realNumber"]) for r in rows] == [("248", "249")]


def test_money_per_year_is_2_million_then_2_5_million(catalogue, store):
    rows = run(catalogue["geld-per-jaar"], store).records()  # §6.5 B1, B2
    assert [(r["year"], r["total"]) for r in rows] == [
        (2023, 2000000), (2024, 2500000), (2025, 2500000), (2026, 2500000), (2027, 2500000)]
