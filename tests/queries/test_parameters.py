"""Parameters: mistakes get clear errors, and no value can become query code."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from stm_kg.config import CANONICAL_BASE
from stm_kg.queries import Catalogue, ParameterError, QueryFileError, run
from stm_kg.queries.binding import bind_values, where_brace

INJECTIONS = [
    '") } UNION { ?s ?p ?o } #',
    "' } ; DROP ALL ; #",
    '"""} INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "x\\\" FILTER(true) \\",
    "line\nbreak } { ?s ?p ?o",
    "} VALUES ?text { \"a\" } SELECT * WHERE {",
    "'; CLEAR DEFAULT; SELECT * WHERE { ?s ?p ?o } LIMIT 1 #",
    "\\u0022 \\x22 %22 &quot;",
]


def _echo(tmp_path, type_name: str) -> Catalogue:
    (tmp_path / "echo.rq").write_text(
        "#+ title: Echo\n#+ title@en: Echo\n#+ description: Geeft de waarde terug.\n"
        "#+ description@en: Gives the value back.\n"
        f"#+ param: value {type_name} required -- De waarde | The value\n"
        "SELECT ?echo WHERE { BIND($value AS ?echo) }\n",
        encoding="utf-8",
    )
    return Catalogue.load(tmp_path, base=CANONICAL_BASE)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_a_string_value_stays_one_value(tmp_path, payload):
    catalogue = _echo(tmp_path, "string")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    result = run(catalogue["echo"], store, {"value": payload})
    assert result.column("echo") == [payload]  # comes back unchanged, as one literal
    assert len(store) == 1  # nothing was written


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_into_the_label_search_finds_nothing_and_changes_nothing(catalogue, store, payload):
    before = len(store)
    result = run(catalogue["zoek-labels"], store, {"text": payload})
    assert len(result) == 0
    assert len(store) == before


def test_a_string_with_quotes_still_matches_as_text(catalogue, store):
    # "Zo'n" with an apostrophe, and a double quote, are fine values
    result = run(catalogue["feiten-uit-bron"], store, {"text": "'Van kwaad tot erger'",
                                                       "source": "id:document/nota-2025-06-18-voortgang"})
    assert len(result) >= 1


@pytest.mark.parametrize("value", [
    "https://w3id.org/stm-kg/id/overleg/regiegroep> } UNION { ?s ?p ?o",
    "<https://w3id.org/stm-kg/id/overleg/regiegroep>",
    "https://example.org/a b",
    'https://example.org/"quote"',
    "https://example.org/{brace}",
    "regiegroep",
    "",
])
def test_a_bad_iri_is_refused(catalogue, value):
    query = catalogue["leden-recursief"]
    if value == "":  # empty means "not given": the default is used
        assert "overleg/regiegroep" in query.bind({"body": value}).text
        return
    with pytest.raises(ParameterError, match="body"):
        query.bind({"body": value})


@pytest.mark.parametrize("name, params, message", [
    ("moties-op-datum", {"date": "2025-02-30"}, "date"),
    ("moties-op-datum", {"date": "5 juni 2025"}, "YYYY-MM-DD"),
    ("moties-op-datum", {"date": '"2025-06-05"^^xsd:date'}, "date"),
    ("geld-per-jaar", {"from": "2024; DROP ALL"}, "whole number"),
    ("geld-per-jaar", {"to": "2.5"}, "whole number"),
    ("zoek-labels", {"text": "x", "lang": 'nl") || true || ("'}, "language tag"),
    ("toezeggingen", {"open": "maybe"}, "true or false"),
    ("kamer-vragen", {"kind": "motie } UNION {"}, "one of"),
    ("zoek-labels", {}, "needs parameter 'text'"),
    ("leden-overleg", {"bdy": "id:overleg/regiegroep"}, "no parameter 'bdy'"),
])
def test_a_missing_unknown_or_mistyped_parameter_gets_a_clear_error(catalogue, name, params, message):
    with pytest.raises(ParameterError, match=message):
        catalogue[name].bind(params)


def test_iri_values_accept_the_id_shorthand_and_prefixes(catalogue):
    bound = catalogue["leden-overleg"].bind({"body": "id:overleg/werkgroep"})
    assert f"<{CANONICAL_BASE}id/overleg/werkgroep>" in bound.text
    assert bound.values["body"] == ox.NamedNode(f"{CANONICAL_BASE}id/overleg/werkgroep")
    assert "<http://www.w3.org/2004/02/skos/core#Concept>" in catalogue["afgeleid-of-vastgelegd"].bind(
        {"resource": "skos:Concept"}).text


def test_values_are_bound_in_a_values_block_with_undef_for_absent_optionals(catalogue):
    text = catalogue["documenten"].bind({"from": "2024-06-01"}).text
    assert 'VALUES ($from $to $kind) { ("2024-06-01"^^<http://www.w3.org/2001/XMLSchema#date> UNDEF UNDEF) }' in text


def test_the_values_block_goes_into_the_outer_where_group_only():
    text = (
        'PREFIX ex: <http://example.org/a#WHERE%7B>\n'  # an IRI cannot hold a brace itself
        "PREFIX w: <http://example.org/WHERE/SELECT(x)>  # WHERE and a bracket in an IRI\n"
        '# a comment with WHERE { in it\n'
        'CONSTRUCT { ?s ex:p "WHERE {" } WHERE { ?s ?p ?o { SELECT ?x WHERE { ?x ?y ?z } } }'
    )
    at = where_brace(text)
    assert text[at - 6: at + 1] == "WHERE {" and text[at + 2: at + 4] == "?s"
    bound = bind_values(text, {"s": ox.NamedNode("http://example.org/x")})
    assert bound.count("VALUES") == 1
    assert "WHERE {\n  VALUES ($s) { (<http://example.org/x>) }\n ?s ?p ?o" in bound
    assert where_brace("SELECT * { ?s ?p ?o }") == 9


@pytest.mark.parametrize("header, message", [
    ("#+ param: x string -- X | X\n", r"never uses \$x"),
    ("#+ param: value strng -- X | X\n", "unknown parameter type"),
    ("#+ param: value date default=yesterday -- X | X\n", "default of 'value'"),
    ("#+ param: value string\n#+ colour: blue\n", "unknown header line"),
])
def test_a_broken_query_file_is_refused_when_loading(tmp_path, header, message):
    (tmp_path / "broken.rq").write_text(
        "#+ title: T\n#+ title@en: T\n#+ description: D\n#+ description@en: D\n" + header
        + "SELECT ?v WHERE { BIND($value AS ?v) }\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryFileError, match=message):
        Catalogue.load(tmp_path)


def test_an_undeclared_dollar_variable_is_refused(tmp_path):
    (tmp_path / "undeclared.rq").write_text(
        "#+ title: T\n#+ title@en: T\n#+ description: D\n#+ description@en: D\nSELECT * WHERE { ?s ?p $o }\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryFileError, match=r"\$o"):
        Catalogue.load(tmp_path)


def test_openapi_helpers_describe_parameters_and_answers(catalogue):
    query = catalogue["leden-overleg"]
    [body] = query.openapi_parameters()
    assert body["name"] == "body" and body["in"] == "query" and body["required"] is False
    assert body["schema"]["default"] == f"{CANONICAL_BASE}id/overleg/regiegroep"
    schema = query.response_schema()
    assert schema["type"] == "array"
    assert list(schema["items"]["properties"]) == ["member", "memberLabel", "role", "roleLabel", "attested", "membership"]
    assert catalogue["geld-per-jaar"].openapi_parameters()[0]["schema"] == {"type": "integer", "default": 2023}
    assert catalogue["kamer-vragen"].openapi_parameters()[0]["schema"]["enum"] == ["motie", "amendement", "toezegging", "verzoek"]
    json.dumps(catalogue.openapi_paths())  # plain JSON
    for q in catalogue.values():
        names = q.variables()
        assert names, f"{q.name}: the projected variables are read from the text"


def test_response_schema_matches_what_the_query_answers(catalogue, store):
    for query in catalogue.local():
        if query.form != "SELECT" or any(p.required for p in query.parameters):
            continue
        result = run(query, store)
        assert result.variables == query.variables(), query.name


def test_records_are_plain_json_values(catalogue, store):
    rows = run(catalogue["financiering"], store).records()
    amounts = {r["funding"].rsplit("/", 1)[-1]: r.get("amount") for r in rows}
    assert amounts["structureel-2023"] == 2000000 and isinstance(amounts["structureel-2023"], int)
    assert json.loads(run(catalogue["leden-overleg"], store).serialize("json"))["results"]["bindings"]


def test_the_catalogue_moves_iris_to_another_base(tmp_path):
    from stm_kg.config import QUERIES_DIR

    moved = Catalogue.load(QUERIES_DIR, base="http://example.org/kg/")
    query = moved["leden-overleg"]
    assert query.parameter("body").default == "http://example.org/kg/id/overleg/regiegroep"
    assert "https://w3id.org/stm-kg/" not in query.text
    assert "<http://example.org/kg/id/overleg/werkgroep>" in query.bind({"body": "id:overleg/werkgroep"}).text


def test_every_bound_query_is_plain_sparql_another_engine_parses(catalogue):
    """The bound text (VALUES block included) parses in rdflib too: it can go to a remote store or federation server."""
    from rdflib.plugins.sparql import prepareQuery

    for query in catalogue.values():
        params = {p.name: "x" for p in query.parameters if p.required}
        prepareQuery(query.bind(params).text)  # raises on a syntax error
