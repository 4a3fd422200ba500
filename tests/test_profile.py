"""Every statement of the interoperability profile (../shared/PROFILE.md) holds on the built graph.

Each test asks the default graph of the compiled dataset (the union of data, ontology and the OWL RL
inferences, as at the endpoint) with SPARQL that uses standard terms only, the way a client would.
The queries look for counter-examples: a test fails by listing them.
"""

from __future__ import annotations

import pytest

from sparql_helpers import ID, ask, no_counter_examples, rows


# -- Names ----------------------------------------------------------------------------------------------------


def test_every_resource_has_a_dutch_preflabel_and_the_same_rdfs_label(dataset):
    no_counter_examples(
        dataset,
        f"""SELECT DISTINCT ?s WHERE {{
              ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))
              FILTER NOT EXISTS {{ ?s skos:prefLabel ?nl . FILTER(lang(?nl) = "nl")
                                   ?s rdfs:label ?label . FILTER(STR(?label) = STR(?nl)) }}
            }}""",
        "resources without skos:prefLabel @nl and an rdfs:label with the same text",
    )


@pytest.mark.parametrize(("predicate", "language"), [("rdfs:label", "en"), ("skos:definition", "nl"), ("skos:definition", "en")])
def test_ontology_terms_and_schemes_have_english_labels_and_definitions_in_both_languages(dataset, predicate, language):
    no_counter_examples(
        dataset,
        f"""SELECT DISTINCT ?term WHERE {{
              VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty skos:ConceptScheme }}
              ?term a ?kind FILTER(STRSTARTS(STR(?term), "https://w3id.org/stm-kg/def/"))
              FILTER NOT EXISTS {{ ?term {predicate} ?v FILTER(lang(?v) = "{language}") }}
            }}""",
        f"ontology terms or schemes without {predicate} @{language}",
    )


@pytest.mark.parametrize("abbreviation", ["VNG", "OM", "NLA", "CoMensha", "SOM", "CKM", "WODC", "JenV", "LIEC"])
def test_abbreviations_are_altlabels(dataset, abbreviation):
    assert ask(dataset, f'ASK {{ ?s skos:altLabel ?a FILTER(STR(?a) = "{abbreviation}") }}')


@pytest.mark.parametrize("misspelling", ["Codrdinatie", "codrdinatoren", "financiéle", "Volkshuisvesting, Welzijn"])
def test_ocr_misspellings_are_never_names(dataset, misspelling):
    no_counter_examples(
        dataset,
        f"""SELECT ?s ?name WHERE {{
              VALUES ?p {{ skos:prefLabel skos:altLabel rdfs:label foaf:name dcterms:title }}
              ?s ?p ?name FILTER(CONTAINS(STR(?name), "{misspelling}"))
            }}""",
        f"names containing the OCR slip {misspelling!r}",
    )


# -- Organisations and bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Ministerie van Justitie en Veiligheid", "Vereniging Nederlandse Gemeenten", "Openbaar Ministerie",
        "Nederlandse Arbeidsinspectie", "Coördinatiecentrum tegen Mensenhandel", "Fier", "Leger des Heils",
    ],
)
def test_organisations_are_org_organizations(dataset, name):
    assert ask(dataset, f'ASK {{ ?o a org:Organization ; skos:prefLabel ?n FILTER(STR(?n) = "{name}") }}')


def test_units_are_organizational_units_of_their_parent(dataset):
    no_counter_examples(
        dataset,
        """SELECT ?unit WHERE { ?unit a org:OrganizationalUnit
              FILTER NOT EXISTS { ?unit org:unitOf ?parent ; org:subOrganizationOf ?parent } }""",
        "units without org:unitOf and org:subOrganizationOf",
    )
    assert ask(
        dataset,
        """ASK { ?unit a org:OrganizationalUnit ; skos:prefLabel ?n ;
                   org:subOrganizationOf+ ?jenv . ?jenv skos:altLabel ?abbr FILTER(STR(?abbr) = "JenV")
                 FILTER(CONTAINS(STR(?n), "Cybercrime en zeden")) }""",
    ), "Cybercrime en zeden is not (transitively) part of JenV"


@pytest.mark.parametrize("body", ["Regiegroep", "Strategisch Overleg Mensenhandel"])
def test_collaboration_bodies_are_organizations_too(dataset, body):
    assert ask(
        dataset,
        f"""ASK {{ ?b a org:Organization, org:OrganizationalCollaboration ; skos:prefLabel ?n
                  FILTER(CONTAINS(STR(?n), "{body}")) }}""",
    )


def test_memberships_have_both_ends_and_provenance_and_serve_the_shortcuts(dataset):
    assert ask(dataset, "ASK { ?m a org:Membership }")
    no_counter_examples(
        dataset,
        """SELECT ?m WHERE { ?m a org:Membership
              FILTER NOT EXISTS { ?m org:member ?who ; org:organization ?body ; prov:wasDerivedFrom ?source
                                  . ?who org:memberOf ?body . ?body org:hasMember ?who } }""",
        "memberships without member, organization, provenance, or without the org:memberOf/hasMember shortcut",
    )


def test_membership_periods_are_time_intervals(dataset):
    no_counter_examples(
        dataset,
        "SELECT ?m ?period WHERE { ?m org:memberDuring ?period FILTER NOT EXISTS { ?period a time:Interval } }",
        "org:memberDuring values that are not time:Interval",
    )


# -- People ------------------------------------------------------------------------------------------------------


def test_people_have_names(dataset):
    assert len(rows(dataset, "SELECT ?p WHERE { ?p a foaf:Person }")) >= 8
    no_counter_examples(
        dataset, "SELECT ?p WHERE { ?p a foaf:Person FILTER NOT EXISTS { ?p foaf:name ?n } }", "persons without foaf:name"
    )


@pytest.mark.parametrize(
    ("person", "party"), [("Bikker", "CU"), ("Mutluer", "GL/PvdA"), ("Tseggai", "GL/PvdA"), ("Van Nispen", "SP")]
)
def test_party_membership_as_written_in_the_sources(dataset, person, party):
    assert ask(
        dataset,
        f"""ASK {{ ?p a foaf:Person ; foaf:name "{person}" ; org:memberOf ?party .
                  ?party a org:Organization ; skos:altLabel ?abbr FILTER(STR(?abbr) = "{party}") }}""",
    )


# -- Documents, motions and events --------------------------------------------------------------------------------


def test_documents_have_title_kind_and_dated_or_explained_dates(dataset):
    no_counter_examples(
        dataset,
        """SELECT ?d WHERE { ?d a foaf:Document
              FILTER NOT EXISTS { ?d dcterms:title ?t ; dcterms:type ?kind . ?kind a skos:Concept } }""",
        "documents without dcterms:title or a dcterms:type that is a skos:Concept",
    )
    no_counter_examples(
        dataset,
        """SELECT ?d ?date WHERE { ?d a foaf:Document ; dcterms:date ?date
              FILTER(datatype(?date) != xsd:date) }""",
        "document dates that are not xsd:date",
    )
    # The sources leave some documents undated; those say so instead of carrying an invented date.
    no_counter_examples(
        dataset,
        """SELECT ?d WHERE { ?d a foaf:Document
              FILTER NOT EXISTS { ?d dcterms:date ?date }
              FILTER NOT EXISTS { ?d skos:editorialNote ?why } }""",
        "documents without dcterms:date and without an editorial note saying why",
    )


def test_attachments_link_both_ways(dataset):
    assert ask(dataset, "ASK { ?whole dcterms:hasPart ?part }")
    no_counter_examples(
        dataset,
        "SELECT ?whole ?part WHERE { ?whole dcterms:hasPart ?part FILTER NOT EXISTS { ?part dcterms:isPartOf ?whole } }",
        "hasPart without isPartOf",
    )


@pytest.mark.parametrize("number", ["217", "244", "247", "249", "251"])
def test_kamerstukken_carry_the_officielebekendmakingen_identifier_and_page(dataset, number):
    assert ask(
        dataset,
        f"""ASK {{ ?d a foaf:Document ; dcterms:identifier "kst-28638-{number}" ;
                   foaf:page <https://zoek.officielebekendmakingen.nl/kst-28638-{number}.html> }}""",
    )


def test_motions_have_person_creators_date_request_and_stated_outcomes(dataset):
    motions = rows(dataset, "SELECT ?m WHERE { ?m a stm:Motion }")
    assert len(motions) >= 9
    no_counter_examples(
        dataset,
        """SELECT ?m WHERE { ?m a stm:Motion
              FILTER NOT EXISTS { ?m a foaf:Document ; dcterms:creator ?p ; dcterms:date ?d ; dcterms:description ?q .
                                  ?p a foaf:Person FILTER(lang(?q) = "nl") } }""",
        "motions without a person as dcterms:creator, a dcterms:date or a Dutch dcterms:description",
    )
    no_counter_examples(
        dataset,
        """SELECT ?m ?creator WHERE { ?m a stm:Motion ; dcterms:creator ?creator
              FILTER NOT EXISTS { ?creator a foaf:Person } }""",
        "motion creators that are not persons",
    )
    assert ask(
        dataset,
        """ASK { ?m a stm:Motion ; dcterms:creator/foaf:name "Bikker" ; stm:outcome ?o .
                 ?o a skos:Concept ; skos:prefLabel "aangenomen"@nl }""",
    ), "motie Bikker c.s. is not recorded as aangenomen"


def test_meetings_are_dated_activities(dataset):
    assert len(rows(dataset, "SELECT ?a WHERE { ?a a prov:Activity ; dcterms:date ?d }")) >= 6
    no_counter_examples(
        dataset,
        """SELECT ?a WHERE { ?a a prov:Activity FILTER NOT EXISTS { ?a dcterms:date ?d }
              FILTER NOT EXISTS { ?a skos:editorialNote ?why } }""",
        "activities without a date or a note saying why",
    )


# -- The programme -------------------------------------------------------------------------------------------------


def test_action_lines_are_six_notated_concepts_in_a_scheme(dataset):
    found = rows(
        dataset,
        """SELECT DISTINCT ?notation WHERE { ?line a skos:Concept ; skos:inScheme ?scheme ; skos:notation ?notation ;
                   skos:prefLabel ?label . ?scheme a skos:ConceptScheme
                 FILTER(lang(?label) = "nl" && CONTAINS(STR(?scheme), "actielijnen")) }""",
    )
    assert sorted(str(row[0]) for row in found) == ["1", "2", "3", "4", "5", "6"]


def test_fixed_lists_are_concept_schemes(dataset):
    for scheme in ["strategische-doelen", "themas", "uitbuitingsvormen", "actiestatussen", "documentsoorten", "uitkomsten"]:
        assert ask(
            dataset,
            f"""ASK {{ ?scheme a skos:ConceptScheme FILTER(STRENDS(STR(?scheme), "/{scheme}"))
                      ?c skos:inScheme ?scheme ; skos:prefLabel ?l }}""",
        ), scheme


def test_actions_link_to_line_and_status_as_resources(dataset):
    assert len(rows(dataset, "SELECT ?a WHERE { ?a a stm:Action }")) >= 8
    no_counter_examples(
        dataset,
        """SELECT ?a WHERE { ?a a stm:Action
              FILTER NOT EXISTS { ?a stm:statusReport ?r . ?r stm:status ?s ; dcterms:date ?d . ?s a skos:Concept } }""",
        "actions without a dated status report whose status is a concept",
    )


def test_the_delayed_fieldlab_keeps_the_date_of_the_progress_report(dataset):
    assert ask(
        dataset,
        """ASK { ?a a stm:Action ; skos:prefLabel ?l ; stm:statusReport ?r .
                 ?r stm:status/skos:prefLabel "vertraagd"@nl ; dcterms:date "2025-06-18"^^xsd:date
                 FILTER(CONTAINS(LCASE(STR(?l)), "fieldlab")) }""",
    )


def test_money_is_a_decimal_in_euros_with_what_it_funds_and_its_period(dataset):
    no_counter_examples(
        dataset,
        """SELECT ?f WHERE { ?f stm:amount ?a
              FILTER NOT EXISTS { ?f stm:funds ?what ; stm:currency "EUR" } }""",
        "amounts without what they fund or without the currency",
    )
    no_counter_examples(
        dataset,
        "SELECT ?f ?a WHERE { ?f stm:amount ?a FILTER(datatype(?a) != xsd:decimal) }",
        "amounts that are not xsd:decimal",
    )
    assert ask(
        dataset,
        """ASK { ?f stm:amount ?a ; stm:fundingPeriod/time:hasBeginning/time:inXSDDate "2023-01-01"^^xsd:date
                 FILTER(?a = 2000000) }""",
    ), "the structural 2 million from 1 January 2023 is missing"
