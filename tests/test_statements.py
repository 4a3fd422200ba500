"""What the sources state about things (decision 0012), checked against the source texts.

- Every status report means what its status concept's definition says, with the quote that justifies it.
- Spot checks per source: each statement the sources make about a thing (a mandate, a condition, an
  assessment or caveat, a count, an aim, a fact about a document) is in the graph with its verbatim quote; a
  test fails when the statement or its quote is removed.
- What the modellers inferred is marked, and only that.

The expected values were read from the sources by hand (the seed file is named in each case), not copied
from the data.
"""

from __future__ import annotations

import re

import pytest

from sparql_helpers import ID, ask, no_counter_examples, rows
from stm_kg.pipeline.quotes import normalise

SEED = {
    "000": "000_05a414d4f7b380c2.txt",
    "001": "001_1f29293a121c6fe7.txt",
    "002": "002_3a1e3072e3463d74.txt",
    "003": "003_6c0f779152fc1c48.txt",
    "004": "004_f047187b9f2011a7.txt",
    "note": "public-identifiers.md",
}


def _quotes(dataset, resource: str) -> list[tuple[str, str]]:
    """(source text file, quote) of every qualified derivation of ``resource``."""
    found = rows(
        dataset,
        f"""SELECT ?file ?quote WHERE {{ <{resource}> prov:qualifiedDerivation ?d .
               ?d prov:entity/stm:sourceTextFile ?file ; stm:quote ?quote }}""",
    )
    return [(str(f), str(q)) for f, q in found]


def _has_quote(dataset, resource: str, seed: str, fragment: str) -> bool:
    wanted = normalise(fragment)
    return any(f == SEED[seed] and wanted in normalise(q) for f, q in _quotes(dataset, resource))


# -- Status reports mean what their status concept says ---------------------------------------------------------

#: What a report's quote must say for each status to mean what its definition in
#: ontology/schemes/actiestatussen.ttl says, and a word the definition itself must hold (so that a changed
#: definition is noticed here). Read from the definitions, not from the data.
STATUS_EVIDENCE = {
    "lopend": (r"\b(loopt|lopen|wordt (momenteel )?(gekeken|verkend))\b", "uitvoering"),  # "De actie is in uitvoering."
    "afgerond": (r"\bafgerond\b", "afgerond"),  # "De actie is afgerond."
    "opgeleverd": (r"\b(opgeleverd|gelanceerd)\b", "opgeleverd"),  # "Het product van de actie ... is opgeleverd."
    "vertraagd": (r"\bvertraging\b", "vertraging"),  # "... heeft vertraging opgelopen ..."
    "in-voorbereiding": (r"\bvoorbereidingen\b.*\bgestart\b", "voorbereidingen"),  # "De voorbereidingen ... zijn gestart"
}
#: Words that say an action has not started yet: no status that says it runs, ran or is being prepared fits.
NOT_STARTED = re.compile(r"kunnen we een start maken|kan .{0,40}starten")


def _reports(dataset):
    return rows(
        dataset,
        """SELECT ?report ?status ?definition WHERE { ?report a stm:StatusReport ; stm:status ?s .
               BIND(STRAFTER(STR(?s), "/id/status/") AS ?status)
               ?s skos:definition ?definition FILTER(lang(?definition) = "nl") }""",
    )


def test_every_status_report_means_what_its_status_definition_says(dataset):
    reports = _reports(dataset)
    assert len(reports) >= 10
    problems = []
    for report, status, definition in reports:
        quotes = [normalise(q) for _, q in _quotes(dataset, str(report))]
        status = str(status)
        if status == "niet-vermeld":
            continue  # the source states no status of the list; nothing to justify
        evidence, defining_word = STATUS_EVIDENCE[status]
        if defining_word not in str(definition):
            problems.append(f"the definition of {status} no longer says {defining_word!r}: {definition}")
        if not any(re.search(evidence, q) for q in quotes):
            problems.append(f"{report}: status {status}, but no quote says so ({evidence}): {quotes}")
        if any(NOT_STARTED.search(q) for q in quotes):
            problems.append(f"{report}: status {status}, but a quote says the action has not started yet")
    assert not problems, "\n".join(problems)


#: Per action of seed 004, the status its report must have and the sentence that justifies it (read by hand).
STATUS_PER_REPORT = [
    ("onderzoek-opvangcapaciteit", "lopend", "Zo loopt een onderzoek naar de huidige opvangcapaciteit"),
    ("ontwikkeltraject-opvanglandschap", "lopend", "en een ontwikkeltraject voor een verbeterd opvanglandschap"),
    ("informatiedeling-en-gegevensverwerking", "lopend", "Verder wordt momenteel gekeken hoe de informatiedeling"),
    ("bouwstenen-regionale-aanpak", "lopend", "Verder wordt verkend welke bouwstenen"),
    ("campagne-geenbuit", "opgeleverd", "Sommige producten zijn al opgeleverd, zoals de campagne"),
    ("inventarisatie-bewustwordingscampagnes-meldpunten-kenniscentra", "afgerond", "meldpunten en kenniscentra afgerond."),
    # "A start can now be made": not started, so not "in voorbereiding" (preparations started); no status fits.
    ("centraal-informatiepunt-mensenhandel", "niet-vermeld", "kunnen we een start maken met het opzetten van een centraal informatiepunt"),
    ("fieldlab-klantenproblematiek", "vertraagd", "Dit geldt bijvoorbeeld voor het fieldlab mensenhandel klantenproblematiek."),
    ("ckm-proeftuin-aangiftebereidheid", "niet-vermeld", "4. Rapport CKM Proeftuin Aangiftebereidheid"),
    ("metastory-raam-midden-nederland", "niet-vermeld", "6. Rapport MetaStory Instituut RAAM Midden-Nederland"),
]


@pytest.mark.parametrize(("action", "status", "quote"), STATUS_PER_REPORT, ids=[a for a, _, _ in STATUS_PER_REPORT])
def test_status_report_has_the_status_its_quote_justifies(dataset, source_texts, action, status, quote):
    report = f"{ID}statusrapportage/{action}-2025-06-18"
    found = rows(dataset, f"SELECT ?s WHERE {{ <{report}> stm:status ?s }}")
    assert [str(s) for (s,) in found] == [f"{ID}status/{status}"]
    assert _has_quote(dataset, report, "004", quote), f"{report} lacks the quote {quote!r}"
    assert normalise(quote) in source_texts[SEED["004"]]


# -- Spot checks per source: each statement with its quote --------------------------------------------------------

#: (seed, how the statement is held, the thing it is about, a phrase of what it says, a fragment of its quote).
#: "how": an own class of claim (decision 0012), "description" (a dcterms:description of the thing itself: aims,
#: purposes, facts about a document) or "accessRights" (what a document says about its own disclosure).
STATEMENTS = [
    # 000: nota of 17 June 2024
    ("000", "Mandate", "programma/samen-tegen-mensenhandel", "vanaf 2023 wordt voortgezet", "vanaf 2023 wordt voortgezet"),
    ("000", "StatedCount", "gebeurtenis/tweeminutendebat-2023-12-21", "drie moties", "waarin drie moties inzake aanpassing van het Actieplan zijn aangenomen"),
    ("000", "accessRights", "document/nota-2024-06-17-versterkt-actieplan", "niet van toepassing", "5.1. Toelichting N.v.t."),
    ("000", "description", "document/kst-28638-249", "wensen van de kamer", "op basis van de wensen van de Kamer en afstemming met het brede werkveld"),
    # 001: beslisnota of 29 January 2024
    ("001", "Mandate", "programma/samen-tegen-mensenhandel", "gedragen en uitvoerbaar actieplan", "De opdracht was het programma gezamenlijk met de vele partners in het veld te herijken"),
    ("001", "Condition", "actieplan/2023", "pas na accordering van de tweede kamer", "Bikker c.s. is dat pas na accordering van de Tweede Kamer uitvoering kan worden"),
    ("001", "Condition", "actieplan/2023", "via de ministerraad", "Actieplan via de ministerraad afstemming moeten vinden."),
    ("001", "Assessment", "actieplan/2023", "overgrote meerderheid", "nog steeds steunt en aan de slag wilt met de uitvoering ervan"),
    ("001", "Assessment", "actieplan/2023", "meer ambitie", "nooit genoeg kan worden gedaan"),
    ("001", "Assessment", "financiering/structureel-2023", "geen dekking", "er geen dekking is voor extra maatregelen; u heeft totaal 2 miljoen beschikbaar"),
    ("001", "Caveat", "document/kst-28638-247", "beperkte groep", "met een beperkte groep van samenwerkingspartners (te weten de Regiegroep)"),
    ("001", "Caveat", "document/kst-28638-247", "uitvoeringstoets", "nog geen uitgebreide uitvoeringstoets gemaakt"),
    ("001", "Caveat", "document/kst-28638-247-financiele-bijlage", "eerste ruwe inschatting", "Deze bedragen betreffen een eerste ruwe inschatting"),
    ("001", "Caveat", "document/kst-28638-247", "duidelijk voorbehoud", "maar met een duidelijk voorbehoud"),
    ("001", "StatedCount", "gebeurtenis/consultatie-samenwerkingspartners-2024-01", "vijftigtal", "een vijftigtal voorstellen door ketenpartners aangeleverd"),
    ("001", "StatedCount", "actieplan/2023", "meer dan zeventig", "meer dan zeventig organisaties betrokken geweest"),
    ("001", "accessRights", "document/beslisnota-2024-01-29-kosten-extra-acties", "niet van toepassing", "5. Informatie die niet openbaar gemaakt kan worden N.v.t."),
    ("001", "description", "actieplan/2023", "afspraak uit het coalitieakkoord", "is uitvoering gegeven aan de afspraak uit het coalitieakkoord"),
    ("001", "description", "document/kst-28638-247", "regiegroep afgestemd", "met de samenwerkingspartners uit de Regiegroep afgestemd"),
    ("001", "description", "gebeurtenis/commissiedebat-2023-12-21", "niet of onvoldoende in het actieplan", "niet of onvoldoende in het Actieplan terug te zien"),
    ("001", "description", "gebeurtenis/consultatie-samenwerkingspartners-2024-01", "bij benadering", "hoeveel die bij benadering gaan kosten"),
    # 002: beslisnota bloemlezing
    ("002", "Mandate", "programma/samen-tegen-mensenhandel", "prioriteit houdt", "de aanpak van mensenhandel prioriteit houdt"),
    ("002", "description", "financiering/besteding-2023", "zicht op slachtoffers", "hebben als doel om bij te dragen aan de preventie"),
    ("002", "description", "financiering/besteding-2023", "traject opgezet", "samen met betrokken organisaties een traject opgezet"),
    ("002", "accessRights", "document/beslisnota-bloemlezing", "persoonsgegevens van de ambtenaren", "De persoonsgegevens van de ambtenaren zijn niet openbaar"),
    ("002", "StatedCount", "gebeurtenis/herijking-programma-samen-tegen-mensenhandel", "vier rondetafelbijeenkomsten", "zijn vier rondetafelbijeenkomsten gepland"),
    ("002", "description", "gebeurtenis/herijking-programma-samen-tegen-mensenhandel", "krachtenveld", "is het brede krachtenveld betrokken"),
    ("002", "description", "document/kst-28638-217", "tijdsplanning", "In deze brief wordt ingegaan op het proces en tijdsplanning"),
    # 003: Kamerbrief of 17 June 2024
    ("003", "description", "actieplan/2024-versterkt", "integrale aanpak", "wordt gestreefd naar een integrale aanpak van de problemen"),
    ("003", "description", "actieplan/2024-versterkt", "aanvulling op het bestaande beleid", "Ze vormen nadrukkelijk een aanvulling op het bestaande beleid"),
    ("003", "description", "programma/samen-tegen-mensenhandel", "halt toebrengen", "Alleen samen kunnen we mensenhandel een halt toebrengen."),
    ("003", "StatedCount", "gebeurtenis/tweeminutendebat-2023-12-21", "drie moties", "zijn ingediend en aangenomen"),
    ("003", "description", "toezegging/voortgang-twee-keer-per-jaar-2024-06-17", "behaalde resultaten", "de behaalde resultaten gerapporteerd"),
    # 004: nota of 18 June 2025
    ("004", "Assessment", "functie/minister-van-justitie-en-veiligheid", "nergens vastgelegd", "de facto reeds de coördinerende rol in de aanpak van mensenhandel, deze rol is tot dusver nergens vastgelegd"),
    ("004", "Assessment", "actieplan/2024-versterkt", "enkele maanden", "dat dit slechts met enkele maanden is"),
    ("004", "Assessment", "actieplan/2024-versterkt", "onderzoeken en verkenningen", "Er lopen momenteel veel onderzoeken en verkenningen"),
    ("004", "Assessment", "document/kst-28638-257", "niet inhoudelijk", "niet inhoudelijk in te gaan op de uitvoering van de moties en toezeggingen"),
    ("004", "Assessment", "document/kst-28638-257", "vóór de zomer", "is belangrijk deze brief echt voor de zomer te verzenden"),
    ("004", "Assessment", "document/van-kwaad-tot-erger", "bewustwording, minderjarigen en klantenaanpak", "onder acties in het Actieplan scharen"),
    ("004", "Assessment", "document/van-kwaad-tot-erger", "multidisciplinair fieldlab", "wordt niet passend geacht, namelijk de oprichting van een multidisciplinair fieldlab"),
    ("004", "accessRights", "document/nota-2025-06-18-voortgang", "persoonsgegevens van de ambtenaren", "De persoonsgegevens van de ambtenaren zijn niet openbaar"),
    ("004", "description", "document/kst-28638-257", "betrokkenheid bij de uitvoering", "vanwege de betrokkenheid bij de uitvoering van het Actieplan"),
    ("004", "description", "document/kst-28638-254", "nationale en internationale inzet", "hoe de nationale en internationale inzet"),
    ("004", "description", "gebeurtenis/plenair-debat-wet-modernisering-2025-06-05", "aanpak van klanten", "is ook aandacht gevraagd voor de aanpak van klanten"),
    # research note: things named but not modelled as resources of their own
    ("note", "Claim", "gebeurtenis/tweeminutendebat-2023-12-21", "motie veltman", "Named alongside Bikker c.s. in the 23 Apr 2024 letter."),
    ("note", "Claim", "persoon/bikker", "amendement bikker", "amendement Bikker (JenV budget, Feb 2024; rejected)"),
]


def _holders(dataset, how: str, about: str, phrase: str) -> list[str]:
    """The resources that hold the statement: the claim, the thing itself, or its rights statement."""
    thing = f"<{ID}{about}>"
    match = f'FILTER(CONTAINS(LCASE(STR(?text)), "{phrase.lower()}"))'
    if how == "description":
        query = f"SELECT ({thing} AS ?r) WHERE {{ {thing} dcterms:description ?text {match} }}"
    elif how == "accessRights":
        query = f"SELECT ?r WHERE {{ {thing} dcterms:accessRights ?r . ?r dcterms:description ?text {match} }}"
    else:
        query = f"SELECT ?r WHERE {{ ?r a stm:{how} ; dcterms:subject {thing} ; dcterms:description ?text {match} }}"
    return sorted({str(r) for (r,) in rows(dataset, query)})


@pytest.mark.parametrize(
    ("seed", "how", "about", "phrase", "quote"), STATEMENTS, ids=[f"{s[0]}-{s[1]}-{s[3][:30]}" for s in STATEMENTS]
)
def test_each_statement_of_the_sources_is_in_the_graph_with_its_quote(dataset, source_texts, seed, how, about, phrase, quote):
    assert normalise(quote) in source_texts[SEED[seed]], "the expected quote is not in the source text"
    holders = _holders(dataset, how, about, phrase)
    assert holders, f"no {how} about {about} says {phrase!r}"
    assert any(_has_quote(dataset, r, seed, quote) for r in holders), f"{holders}: no quote {quote!r} from seed {seed}"


def test_a_statement_repeated_by_two_sources_is_one_resource_with_both_quotes(dataset):
    """Seeds 002 and 004 withhold the personal data of civil servants: one rights statement, both documents."""
    found = rows(
        dataset,
        """SELECT ?r (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc dcterms:accessRights ?r .
               ?r dcterms:description ?t FILTER(CONTAINS(STR(?t), "persoonsgegevens van de ambtenaren")) } GROUP BY ?r""",
    )
    assert [int(n) for _, n in found] == [2]
    resource = str(found[0][0])
    assert {f for f, _ in _quotes(dataset, resource)} == {SEED["002"], SEED["004"]}


def test_the_three_motions_of_21_december_2023_are_not_confirmed_by_the_data(dataset):
    """Seed 000 says three motions were adopted; the sources name two, one of them only as submitted."""
    found = rows(
        dataset,
        f"""SELECT ?n (COUNT(DISTINCT ?item) AS ?shown) WHERE {{
               ?c a stm:StatedCount ; dcterms:subject <{ID}gebeurtenis/tweeminutendebat-2023-12-21> ; rdf:value ?n .
               OPTIONAL {{ ?c stm:countedItem ?item }} }} GROUP BY ?n""",
    )
    assert [(int(n), int(s)) for n, s in found] == [(3, 2)]


# -- What the modellers inferred is marked, and only that ------------------------------------------------------


def test_every_action_line_is_marked_as_the_makers_inference(dataset):
    """Fact inventory §7: the sources name the action line of no action."""
    no_counter_examples(
        dataset,
        """SELECT ?a ?line WHERE { ?a a stm:Action ; stm:actionLine ?line
              FILTER NOT EXISTS { ?i rdf:subject ?a ; rdf:predicate stm:actionLine ; rdf:object ?line } }""",
        "action lines that are not marked as the makers' inference",
    )


def test_titles_in_square_brackets_are_marked_as_the_makers_inference(dataset):
    assert ask(dataset, 'ASK { ?d dcterms:title ?t FILTER(STRSTARTS(STR(?t), "[")) }')
    no_counter_examples(
        dataset,
        """SELECT ?d ?t WHERE { ?d dcterms:title ?t FILTER(STRSTARTS(STR(?t), "["))
              FILTER NOT EXISTS { ?i rdf:subject ?d ; rdf:predicate dcterms:title ; rdf:object ?t } }""",
        "titles the makers wrote (in square brackets) without an inference",
    )


def test_outcomes_read_from_a_group_statement_are_marked_and_stated_ones_are_not(dataset):
    def inferred(motion: str) -> bool:
        return ask(dataset, f"ASK {{ ?i rdf:subject <{ID}motie/{motion}> ; rdf:predicate stm:outcome }}")

    assert inferred("boomsma-van-nispen-2025-06-05") and inferred("tseggai-2025-06-05")  # §10.3, Q8
    assert inferred("mutluer-cs-2023-12-21")  # §10.1 M2: adoption implied, not stated
    assert not inferred("bikker-cs-2023-12-21")  # §10.1 M1: adopted per seeds 000/003 and the research note


# -- The profile lines for statements, in standard terms only (docs/PROFILE.md, "Statements") ------------------------


def test_profile_statements_carry_subject_text_source_and_a_labelled_kind(dataset):
    found = rows(
        dataset,
        """SELECT DISTINCT ?s WHERE { ?s a ?kind . ?kind rdfs:subClassOf* ?claim . ?claim rdfs:label "bewering"@nl }""",
    )
    assert len(found) >= 20
    no_counter_examples(
        dataset,
        """SELECT ?s WHERE { ?s a ?kind . ?kind rdfs:subClassOf* ?claim . ?claim rdfs:label "bewering"@nl
              FILTER NOT EXISTS { ?s a prov:Entity ; dcterms:subject ?x ; dcterms:description ?d ; prov:wasDerivedFrom ?src ;
                                    prov:qualifiedDerivation/prov:entity ?src FILTER(lang(?d) = "nl") }
              FILTER NOT EXISTS { ?s a ?kind2 . ?kind2 rdfs:label ?nl , ?en FILTER(lang(?nl) = "nl" && lang(?en) = "en") } }""",
        "statements without subject, Dutch text, source, or a kind labelled in Dutch and English",
    )


def test_profile_the_coalition_agreement_mandate_is_a_plan_that_shaped_the_programme(dataset):
    assert ask(
        dataset,
        """ASK { ?m a prov:Plan ; dcterms:isPartOf ?doc ; prov:wasAttributedTo ?cabinet ; dcterms:description ?what .
                 ?doc dcterms:title ?title FILTER(CONTAINS(STR(?title), "Coalitieakkoord"))
                 ?programme prov:wasInfluencedBy ?m ; skos:prefLabel "Samen tegen mensenhandel"@nl
                 FILTER(CONTAINS(STR(?what), "vanaf 2023")) }""",
    )


def test_profile_inferred_values_are_marked_with_rdf_subject_predicate_object(dataset):
    assert len(rows(dataset, "SELECT ?i WHERE { ?i rdf:subject ?s ; rdf:predicate ?p ; skos:editorialNote ?how }")) >= 60
    no_counter_examples(
        dataset,
        """SELECT ?i ?s ?p WHERE { ?i rdf:subject ?s ; rdf:predicate ?p . OPTIONAL { ?i rdf:object ?o }
              FILTER NOT EXISTS { ?s ?p ?v FILTER(!BOUND(?o) || sameTerm(?v, ?o)) } }""",
        "inference marks for triples that are not in the graph",
    )


def test_profile_a_documents_disclosure_is_a_rights_statement(dataset):
    assert len(rows(
        dataset,
        """SELECT ?d WHERE { ?d a foaf:Document ; dcterms:accessRights ?r .
               ?r a dcterms:RightsStatement ; dcterms:description ?t FILTER(lang(?t) = "nl") }""",
    )) == 4  # seeds 000 and 001 ("N.v.t."), 002 and 004 (personal data withheld)
