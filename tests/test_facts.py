"""Spot checks of facts from each source against the text, chosen so that a missing or wrong fact fails.

The expected values were read from the sources by hand (the seed file is named in each test), not copied
from the data.
"""

from __future__ import annotations

import pytest

from sparql_helpers import ask, rows


def _count(dataset, query: str) -> int:
    return int(rows(dataset, query)[0][0])


# -- 000: nota of 17 June 2024 (kenmerk 5552554) -----------------------------------------------------------------


def test_000_nota_kenmerk_date_and_two_attachments(dataset):
    assert ask(dataset, 'ASK { ?d dcterms:identifier "5552554" ; dcterms:date "2024-06-17"^^xsd:date }')
    assert _count(dataset, 'SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?d dcterms:identifier "5552554" ; dcterms:hasPart ?p }') == 2


def test_000_ministerraad_approved_on_14_june_2024(dataset):
    assert ask(dataset, 'ASK { ?a a prov:Activity ; dcterms:date "2024-06-14"^^xsd:date ; skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "ministerraad")) }')


def test_000_extra_500000_per_year_for_four_years_from_2024(dataset):
    assert ask(
        dataset,
        """ASK { ?f stm:amount ?a ; stm:fundingPeriod ?p .
                 ?p time:hasBeginning/time:inXSDDate "2024-01-01"^^xsd:date ; time:hasEnd/time:inXSDDate ?end
                 FILTER(?a = 500000 && ?end >= "2027-01-01"^^xsd:date && ?end <= "2027-12-31"^^xsd:date) }""",
    )


# -- 001: beslisnota of 29 January 2024 ----------------------------------------------------------------------------


def _members(dataset, body: str) -> set[str]:
    found = rows(
        dataset,
        f"""SELECT DISTINCT ?member WHERE {{ ?m a org:Membership ; org:organization ?b ; org:member ?member .
               ?b skos:prefLabel ?l FILTER(CONTAINS(STR(?l), "{body}")) }}""",
    )
    return {str(row[0]).rsplit("/", 1)[-1] for row in found}


def test_001_regiegroep_has_13_seats_with_som_and_the_zorgcoordinatoren(dataset):
    members = _members(dataset, "Regiegroep")
    assert len(members) == 13, sorted(members)
    assert {"strategisch-overleg-mensenhandel", "comensha", "riecs", "liec", "zorgcoordinatoren-mensenhandel"} <= members


def test_001_som_has_12_members_humanitas_essm_being_one(dataset):
    members = _members(dataset, "Strategisch Overleg Mensenhandel")
    assert len(members) == 12, sorted(members)
    assert {"humanitas-essm", "ckm", "comensha", "rode-kruis", "shop-den-haag"} <= members
    assert ask(dataset, 'ASK { ?o skos:prefLabel "Humanitas Expertisecentrum Seksualiteit, Sekswerk en Mensenhandel"@nl }')


def test_001_ckm_is_in_the_werkgroep_but_not_directly_in_the_regiegroep(dataset):
    assert "ckm" in _members(dataset, "erkgroep")
    assert "ckm" not in _members(dataset, "Regiegroep")


def test_001_amendment_grinwis_of_19_december_2023_was_not_adopted(dataset):
    assert ask(
        dataset,
        """ASK { ?a a stm:Amendment ; dcterms:date "2023-12-19"^^xsd:date ; dcterms:creator/foaf:name "Grinwis" ;
                 stm:outcome/skos:prefLabel ?o FILTER(STR(?o) IN ("verworpen", "niet aangenomen")) }""",
    )


def test_001_cites_kamerstuk_217_of_22_march_2023(dataset):
    assert ask(
        dataset,
        """ASK { ?nota stm:sourceTextFile "001_1f29293a121c6fe7.txt" ; dcterms:references ?k .
                 ?k dcterms:identifier "kst-28638-217" ; dcterms:date "2023-03-22"^^xsd:date }""",
    )
    # Seed 001 writes "22 maart jl."; the research note writes "22 Mar 2023" in full, so the date is stated by a
    # source, not inferred by the makers, while the bloemlezing's date (read from a URL path) is inferred.
    assert not ask(dataset, """ASK { ?k dcterms:identifier "kst-28638-217" .
                                     ?i a stm:Inference ; rdf:subject ?k ; rdf:predicate dcterms:date }""")
    assert ask(dataset, """ASK { ?b dcterms:isPartOf ?k . ?k dcterms:identifier "kst-28638-217" .
                                 ?b dcterms:date "2023-03-22"^^xsd:date .
                                 ?i a stm:Inference ; rdf:subject ?b ; rdf:predicate dcterms:date ; skos:editorialNote ?how
                                 FILTER(CONTAINS(STR(?how), "URL")) }""")


# -- 002: beslisnota bloemlezing ----------------------------------------------------------------------------------


def test_002_first_round_table_on_5_october_2022(dataset):
    assert ask(dataset, 'ASK { ?r a prov:Activity ; dcterms:date "2022-10-05"^^xsd:date }')


def test_002_is_addressed_to_the_staatssecretaris_of_justice(dataset):
    assert ask(
        dataset,
        """ASK { ?nota stm:sourceTextFile "002_3a1e3072e3463d74.txt" ; stm:addressee ?post .
                 ?post a org:Post ; skos:prefLabel "Staatssecretaris van Justitie en Veiligheid"@nl }""",
    )


# -- 003: Kamerbrief of 17 June 2024 (kst-28638-251) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("notation", "title"),
    [("1", "Creëren van brede bewustwording"), ("2", "Vergroten van de meldingsbereidheid"),
     ("4", "Verbeteren van de (bovenregionale en regionale) samenwerking"),
     ("6", "Versterken van de positie van minderjarige slachtoffers")],
)
def test_003_action_line_titles(dataset, notation, title):
    assert ask(dataset, f'ASK {{ ?l skos:notation "{notation}" ; skos:prefLabel "{title}"@nl }}')


def test_003_cites_the_23_april_letter_as_nr_248_while_it_is_nr_249(dataset):
    assert ask(
        dataset,
        """ASK { ?c a stm:Citation ; stm:citingDocument ?brief ; stm:citedDocument ?letter ; stm:citedAs ?as .
                 ?brief stm:sourceTextFile "003_6c0f779152fc1c48.txt" .
                 ?letter dcterms:identifier "kst-28638-249" ; dcterms:date "2024-04-23"^^xsd:date
                 FILTER(CONTAINS(STR(?as), "248")) }""",
    )


# -- 004: nota "Brief voortgang" of 18 June 2025 -------------------------------------------------------------------


def test_004_motie_mutluer_has_four_submitters_with_their_parties(dataset):
    found = rows(
        dataset,
        """SELECT ?name ?party WHERE { ?m a stm:Motion ; dcterms:identifier "kst-28638-244" ; dcterms:creator ?p .
               ?p foaf:name ?name ; org:memberOf ?org . ?org a stm:PoliticalParty ; skos:altLabel ?party }""",
    )
    assert sorted((str(n), str(p)) for n, p in found) == [
        ("Bikker", "CU"), ("Mutluer", "GL/PvdA"), ("Tseggai", "GL/PvdA"), ("Van Nispen", "SP")
    ]


def test_004_seven_motions_from_the_plenary_debate_of_5_june_2025(dataset):
    assert _count(
        dataset,
        """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a stm:Motion ; stm:debatedAt ?debate .
               ?debate dcterms:date "2025-06-05"^^xsd:date }""",
    ) == 7


def test_004_ceder_submitted_four_motions_and_boomsma_three(dataset):
    def count(name):
        return _count(dataset, f'SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a stm:Motion ; dcterms:creator/foaf:name "{name}" }}')

    assert (count("Ceder"), count("Boomsma"), count("Tseggai"), count("Van Nispen")) == (4, 3, 3, 2)


def test_004_directive_published_24_june_2024_to_implement_by_15_july_2026(dataset):
    assert ask(
        dataset,
        """ASK { ?d stm:implementationDeadline "2026-07-15"^^xsd:date ;
                 dcterms:identifier ?celex FILTER(CONTAINS(STR(?celex), "32024L1712")) }""",
    )


def test_004_ckm_published_van_kwaad_tot_erger_on_17_april_2025(dataset):
    assert ask(
        dataset,
        """ASK { ?r dcterms:title ?t ; dcterms:date "2025-04-17"^^xsd:date ; dcterms:creator ?ckm .
                 ?ckm skos:altLabel ?abbr FILTER(STR(?abbr) = "CKM") FILTER(CONTAINS(STR(?t), "Van kwaad tot erger")) }""",
    )


def test_004_nationaal_rapporteur_advice_with_its_web_page(dataset):
    assert ask(
        dataset,
        """ASK { ?a dcterms:date "2024-10-07"^^xsd:date ;
                 foaf:page <https://www.nationaalrapporteur.nl/publicaties/brieven/2024/10/07/advies-over-versterking-governance-mensenhandel> }""",
    )


def test_004_reference_number_and_co_signers(dataset):
    assert ask(dataset, 'ASK { ?d dcterms:identifier "6445182" ; dcterms:date "2025-06-18"^^xsd:date }')


# -- research note: public identifiers ----------------------------------------------------------------------------


def test_note_jenv_carries_its_tooi_code(dataset):
    assert ask(dataset, 'ASK { ?o skos:altLabel ?a ; dcterms:identifier "mnre1058" FILTER(STR(?a) = "JenV") }')
