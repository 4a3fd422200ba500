"""The federated example queries of queries/ (``#+ federated: true``), each run by our endpoint against a local
stand-in for its remote endpoint (issue 7: "queries/ gets the federated example queries, and each is tested
against the local second server").

How: a second Oxigraph server per remote endpoint (started by the test, on 127.0.0.1) holds a small stand-in
dataset shaped like the real remote data the query expects (``data/wikidata-standin.ttl``,
``data/cellar-standin.ttl``: the property and class IRIs of the query as they are, made-up item IRIs under
example.org); a real ``stm-kg serve`` process on the compiled knowledge graph is allowed (``--service-allow``) to
call those stand-ins only. The query is bound by the catalogue as ``stm-kg query`` would, and then the real
endpoint IRI in its ``SERVICE <...>`` is replaced by the stand-in's address, because the tests may not leave
127.0.0.1. The expected rows are derived by hand from the stand-in files (each item says in its rdfs:comment
which case it is there for) and our data (data/people.ttl, data/organisations.ttl, data/international.ttl).

The same bound query with the real endpoint IRI is refused (403, before any connection) by that server, since
the real endpoints are not on its allowlist.

Not verified: the Wikidata ids in the queries. The query engineer confirmed Q18887908 (member of the Tweede
Kamer) only; P39, P102, P1813, P856, Q7278 (political party) and Q55 (Netherlands) are the standard Wikidata
properties and items as other public code uses them (evidence in the comments of the .rq files), not checked at
wikidata.org. Nor were the CELLAR terms (cdm:resource_legal_id_celex, cdm:work_date_document) checked at CELLAR.
These tests check the queries' logic and our federation, not that the real endpoints still answer them so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue
from stm_kg.sparql.federation import read_services

DATA = Path(__file__).resolve().parent / "data"
WIKIDATA_STANDIN = DATA / "wikidata-standin.ttl"
CELLAR_STANDIN = DATA / "cellar-standin.ttl"

WIKIDATA = "https://query.wikidata.org/sparql"
CELLAR = "https://publications.europa.eu/webapi/rdf/sparql"

JSON = {"Accept": "application/sparql-results+json, application/problem+json;q=0.9"}
ID = CANONICAL_BASE + "id/"
ITEM = "http://example.org/wikidata-standin/entity/"  # stand-in items (data/wikidata-standin.ttl)
WORK = "http://example.org/cellar-standin/work/"  # stand-in works (data/cellar-standin.ttl)

#: Which stand-in serves which real endpoint.
STANDIN_OF = {WIKIDATA: "wikidata", CELLAR: "cellar"}

# -- the expected rows, by hand ---------------------------------------------------------------------------
# Our Kamerleden (foaf:givenName + " " + foaf:name): Mirjam Hannah Bikker, Diederik Boomsma, Don Ceder, Pieter
# Grinwis, Songül Mutluer, Mikal Tseggai, Michiel Van Nispen, Ruud Verkuijlen. In the stand-in: Ceder (CU),
# van Nispen (SP; lower-case "van", matched without case), Mutluer (two parties: two rows), Tseggai (no party)
# match; Bikker ("Mirjam Bikker" is not "Mirjam Hannah Bikker"), Boomsma (English label only), Grinwis (a
# namesake who is no member) and Verkuijlen (absent) do not; "Voorbeeld Kamerlid" is not ours. ORDER BY ?name.
KAMERLEDEN = [
    (ID + "persoon/ceder", "Don Ceder", ITEM + "ceder", ITEM + "party-cu"),
    (ID + "persoon/mutluer", "Songül Mutluer", ITEM + "mutluer", ITEM + "party-gl-pvda"),
    (ID + "persoon/mutluer", "Songül Mutluer", ITEM + "mutluer", ITEM + "party-pvda"),
    (ID + "persoon/tseggai", "Mikal Tseggai", ITEM + "tseggai", None),
    (ID + "persoon/van-nispen", "Michiel Van Nispen", ITEM + "van-nispen", ITEM + "party-sp"),
]

# Our parties' skos:altLabel: CU, GL/PvdA, NSC, SP, VVD. In the stand-in: CU (website), SP (no website) and VVD
# (website) match; "GL-PvdA" is not "GL/PvdA"; the NSC there is not Dutch; the second "VVD" is no party; PvdA is
# not ours. ORDER BY ?abbreviation.
PARTIJEN = [
    (ID + "partij/cu", "CU", ITEM + "party-cu", "https://cu.example.org/"),
    (ID + "partij/sp", "SP", ITEM + "party-sp", None),
    (ID + "partij/vvd", "VVD", ITEM + "party-vvd", "https://vvd.example.org/"),
]

# Our directives' dcterms:identifier: 32011L0036, 32024L1712 (and the ELI IRI of 2024/1712, not a CELEX number).
# In the stand-in: both directives (2024/1712 without a date); the corrigendum, the regulation and the directive
# 2011/93 are not ours. The query has no ORDER BY: compared as sorted lists.
RICHTLIJNEN = [
    (ID + "regelgeving/richtlijn-2011-36", "32011L0036", WORK + "directive-2011-36", "2011-04-05"),
    (ID + "regelgeving/richtlijn-2024-1712", "32024L1712", WORK + "directive-2024-1712", None),
]

#: name -> (real endpoint, parameters, expected rows, the column that follows the query's ORDER BY or None)
CASES = {
    "wikidata-kamerleden": (WIKIDATA, {}, KAMERLEDEN, 0),  # ORDER BY ?name: our persons in that order
    "wikidata-partijen": (WIKIDATA, {}, PARTIJEN, 1),  # ORDER BY ?abbreviation
    "cellar-richtlijnen": (CELLAR, {}, RICHTLIJNEN, None),
}
WITH_PARAMETERS = [
    ("wikidata-partijen", {"party": "id:partij/vvd"}, PARTIJEN[2:]),
    ("wikidata-partijen", {"party": "id:partij/nsc"}, []),
    ("cellar-richtlijnen", {"celex": "32024L1712"}, RICHTLIJNEN[1:]),
    ("cellar-richtlijnen", {"celex": "32016R0679"}, []),
]


# -- servers ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)


@pytest.fixture(scope="module")
def standins(oxigraph_factory) -> dict[str, object]:
    """One Oxigraph server per remote endpoint, each holding its stand-in data in the default graph."""
    wikidata = oxigraph_factory()
    wikidata.load(WIKIDATA_STANDIN)
    cellar = oxigraph_factory()
    cellar.load(CELLAR_STANDIN)
    return {"wikidata": wikidata, "cellar": cellar}


@pytest.fixture(scope="module")
def standin_server(stm_factory, compiled_trig, standins):
    """stm-kg on the compiled knowledge graph, allowed to call the stand-ins and nothing else."""
    return stm_factory("--no-bundled", "--data", str(compiled_trig), "--workers", "2",
                       "--service-allow", standins["wikidata"].query, "--service-allow", standins["cellar"].query,
                       "--service-timeout", "5", "--timeout", "10")


def standin_text(text: str, real: str, standin: str) -> str:
    """``text`` with ``SERVICE <real>`` pointed at the local stand-in.

    The real endpoint is replaced by a local stand-in because the tests may not leave 127.0.0.1.
    """
    assert text.count(f"SERVICE <{real}>") == 1, "each federated example calls its endpoint once"
    rewritten = text.replace(f"SERVICE <{real}>", f"SERVICE <{standin}>")
    assert f"<{real}>" not in rewritten  # (the header comment "#+ endpoint:" still names it)
    return rewritten


def ask(server, query: str):
    return requests.post(server.sparql, data={"query": query}, headers=JSON, timeout=30)


def rows(response) -> list[tuple]:
    data = response.json()
    names = data["head"]["vars"]
    return [tuple(b[n]["value"] if n in b else None for n in names) for b in data["results"]["bindings"]]


def run_against_standin(catalogue, server, standins, name: str, params: dict) -> list[tuple]:
    real = CASES[name][0]
    bound = catalogue[name].bind(params).text
    response = ask(server, standin_text(bound, real, standins[STANDIN_OF[real]].query))
    assert response.status_code == 200, response.text
    assert response.json()["head"]["vars"] == catalogue[name].variables()
    return rows(response)


# -- tests ------------------------------------------------------------------------------------------------


def test_every_federated_query_has_a_standin_case(catalogue):
    federated = {q.name for q in catalogue.queries.values() if q.federated}
    assert federated == set(CASES)
    for name, (real, *_rest) in CASES.items():
        assert catalogue[name].endpoints == (real,)


@pytest.mark.parametrize("name", sorted(CASES))
def test_federated_query_against_its_standin_gives_exactly_the_expected_rows(name, catalogue, standin_server, standins):
    _real, params, expected, ordered = CASES[name]
    found = run_against_standin(catalogue, standin_server, standins, name, params)
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    if ordered is not None:  # the ORDER BY column; rows that tie on it (Mutluer's two parties) may come in either order
        assert [row[ordered] for row in found] == [row[ordered] for row in expected]


@pytest.mark.parametrize(("name", "params", "expected"), WITH_PARAMETERS,
                         ids=[f"{n}-{'-'.join(p.values())}" for n, p, _ in WITH_PARAMETERS])
def test_federated_query_with_a_parameter(name, params, expected, catalogue, standin_server, standins):
    found = run_against_standin(catalogue, standin_server, standins, name, params)
    assert sorted(found, key=repr) == sorted(expected, key=repr)


def test_answers_keep_the_remote_terms(catalogue, standin_server, standins):
    """The short name comes back as our literal ("CU"@nl), the CELLAR date as an xsd:date, the items as IRIs."""
    bound = catalogue["wikidata-partijen"].bind({"party": "id:partij/cu"}).text
    data = ask(standin_server, standin_text(bound, WIKIDATA, standins["wikidata"].query)).json()
    (row,) = data["results"]["bindings"]
    assert row["abbreviation"] == {"type": "literal", "value": "CU", "xml:lang": "nl"}
    assert row["item"] == {"type": "uri", "value": ITEM + "party-cu"}
    assert row["website"] == {"type": "uri", "value": "https://cu.example.org/"}
    bound = catalogue["cellar-richtlijnen"].bind({"celex": "32011L0036"}).text
    data = ask(standin_server, standin_text(bound, CELLAR, standins["cellar"].query)).json()
    (row,) = data["results"]["bindings"]
    assert row["workDate"] == {"type": "literal", "value": "2011-04-05",
                               "datatype": "http://www.w3.org/2001/XMLSchema#date"}


def test_cellar_is_asked_for_directives_only(catalogue, standins):
    """The SERVICE pattern goes to the remote without our bindings (decision 0008), so it must be bounded
    there: the stand-in answers it with its three directives, not the corrigendum or the regulation."""
    text = catalogue["cellar-richtlijnen"].text
    reading = read_services(text)
    (clause,) = reading.clauses
    assert clause.endpoint == CELLAR
    response = requests.post(standins["cellar"].query, data={"query": f"{reading.prologue}SELECT * WHERE {clause.pattern}"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert response.status_code == 200, response.text
    celex = sorted(b["typedCelex"]["value"] for b in response.json()["results"]["bindings"])
    assert celex == ["32011L0036", "32011L0093", "32024L1712"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_endpoint_not_on_the_allowlist_is_refused(name, catalogue, standin_server):
    """The query as it stands (the real endpoint) is refused before any connection: 403 at once. (A connection
    attempt could not succeed here, the tests stay on 127.0.0.1: it would be a 502 or a 504, not a 403.)"""
    real = CASES[name][0]
    text = catalogue[name].bind(CASES[name][1]).text
    assert f"SERVICE <{real}>" in text
    response = ask(standin_server, text)
    assert response.status_code == 403, response.text
    problem = response.json()
    assert problem["keyword"] == "SERVICE"
    assert problem["type"].endswith("/remote-access-refused")
    assert f"SERVICE <{real}> is refused: not on this server's allowlist" in problem["detail"]
