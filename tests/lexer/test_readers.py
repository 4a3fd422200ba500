"""The readers built on the lexer's tokens: scope and IRIs, the one-pass reading, the shape of queries and updates."""

from __future__ import annotations

import pytest

from stm_kg.syntax import (IriError, Scope, StructureError, clause, code, function_iris, iri_value, keywords,
                           leading_comments, matching, operations, prologue, query_form, read, scopes, where_group)

# -- scope and IRIs ------------------------------------------------------------------------------------------


def test_prologue_resolves_prefixes_against_the_base_declared_before_them():
    tokens = code("BASE <http://a.example/b/> PREFIX x: <c/> BASE <../d/> PREFIX y: <e#> SELECT * {}")
    at, scope = prologue(tokens)
    assert tokens[at].keyword == "SELECT"
    assert scope == Scope({"x": "http://a.example/b/c/", "y": "http://a.example/d/e#"}, "http://a.example/d/")


@pytest.mark.parametrize("text, iri", [
    ("<http://a/\\u00E9\\U0001F600>", "http://a/\u00e9\U0001F600"),
    ("ex:a\\#b\\.c", "http://e/a#b.c"),  # PN_LOCAL_ESC: the backslash goes
    ("ex:a%23b", "http://e/a%23b"),  # PERCENT stays
    ("ex:", "http://e/"),
    ("<rel/../../x?q#f>", "http://base/x?q#f"),  # resolved as Oxigraph (RFC 3986) resolves it
])
def test_iri_values(text, iri):
    assert iri_value(code(text)[0], Scope({"ex": "http://e/"}, "http://base/dir/")) == iri


@pytest.mark.parametrize("text, scope, words", [
    ("nope:a", Scope(), "not declared"),
    ("<relative>", Scope(), "No scheme"),
    ("<http://a/\\u0020>", Scope(), "not a valid IRI"),
])
def test_tokens_that_name_no_iri(text, scope, words):
    with pytest.raises(IriError, match=words):
        iri_value(code(text)[0], scope)


def test_scopes_follow_the_declarations_of_an_update_operation_by_operation():
    tokens = code("PREFIX a: <http://one/> INSERT DATA { a:x a:y 1 } ; PREFIX a: <http://two/> INSERT DATA { a:x a:y 2 }")
    seen = [iri_value(token, scope) for token, scope in scopes(tokens) if token.text == "a:x"]
    assert seen == ["http://one/x", "http://two/x"]


# -- the one-pass reading ------------------------------------------------------------------------------------


def test_keywords_in_order_of_first_appearance_outside_strings_iris_and_comments():
    text = 'SELECT * FROM <http://a/#LOAD> { ?load ?p "SERVICE" # LOAD\n } LIMIT 1'
    assert keywords(text, ("LOAD", "SERVICE", "FROM", "LIMIT", "SELECT")) == ("SELECT", "FROM", "LIMIT")


@pytest.mark.parametrize("text, glued", [
    ("SELECT * { SERVICE <x> { } }", False),
    ("SELECT * { SERVICESILENT <x> { } }", True),
    ("SELECT * { SERVICEex:a { } }", True),
    ("SELECT * { SERVICE:a { } }", True),
    ("SELECT * { ?s service:a ?o }", True),  # cannot be told from SERVICE :a lexically
    ("PREFIX service: <http://s/> SELECT * { ?s ?p ?o }", False),  # declared, not used
    ("SELECT * { ?service ?p _:service }", False),
])
def test_names_oxigraph_may_read_as_a_glued_keyword(text, glued):
    assert read(text).glued("SERVICE") is glued


@pytest.mark.parametrize("call", ["RAND()", "rand ()", "NOW( )", "UUID()", "StrUuid()", "BNODE('x')", "BNODE #c\n()",
                                  "BYRAND()"])
def test_calls_that_make_up_values(call):
    assert read(f"INSERT {{ <http://a> <http://b> ?x }} WHERE {{ BIND({call} AS ?x) }}").makes_up_values


@pytest.mark.parametrize("text", [
    'INSERT DATA { <http://a> <http://example.org/now> "RAND()", <urn:uuid()> }',
    "INSERT { ?s <http://b> ?rand } WHERE { ?s <http://c> ?now } # RAND()",
    "PREFIX ex: <http://e/> INSERT DATA { ex:RAND ex:NOW ex:p }",
])
def test_names_in_data_make_up_nothing(text):
    assert not read(text).makes_up_values


def test_depth_counts_the_brackets_oxigraph_may_read_inside_an_iri():
    assert read("SELECT * { { { } } }").depth == 3
    assert read("SELECT * { FILTER(?a<((((1))))>?b) }").depth == 2 + 4  # 2 outside, 4 in what looks like an IRI


def test_function_iris_resolve_as_the_query_does():
    text = ("BASE <http://b/> PREFIX f: <http://f/> SELECT (f:one(1) AS ?x) (<two>() AS ?y) "
            "{ ?s f:p (1 2) FILTER(f:three(?s)) } ORDER BY f:four(?x)")
    assert function_iris(text) == ("http://f/one", "http://b/two", "http://f/p", "http://f/three", "http://f/four")
    assert function_iris("SELECT * { BIND(<two>() AS ?y) }", "http://given/") == ("http://given/two",)
    assert function_iris("SELECT * { BIND(nope:f() AS ?y) }") == ()  # Oxigraph refuses the text itself


def test_the_reading_is_remembered_per_text():
    text = "SELECT * { ?s ?p ?o } # remembered"
    first = read(text)
    assert read(text) is first
    long = "INSERT DATA { " + "<http://e/s> <http://e/p> 1 . " * 300 + "}"
    assert read(long) is read(long)  # the last long text too


# -- the shape of queries and updates ------------------------------------------------------------------------


@pytest.mark.parametrize("text, form, group", [
    ("PREFIX ex: <http://e/> SELECT ?x WHERE { ?x ex:p ?y { SELECT * { ?a ?b ?c } } } LIMIT 1", "SELECT", "{ ?x"),
    ("SELECT * { ?s ?p ?o }", "SELECT", "{ ?s"),
    ("ASK { ?s ?p ?o }", "ASK", "{ ?s"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?o ?p ?s }", "CONSTRUCT", "{ ?o"),
    ("CONSTRUCT WHERE { ?o ?p ?s }", "CONSTRUCT", "{ ?o"),
    ("DESCRIBE ?s FROM <http://g> { ?s ?p ?o }", "DESCRIBE", "{ ?s"),
])
def test_form_and_where_group(text, form, group):
    tokens = code(text)
    assert query_form(tokens)[1] == form
    opening, closing = where_group(tokens)
    assert text[tokens[opening].start:].startswith(group)
    assert matching(tokens, opening) == closing and tokens[closing].kind == "}" and tokens[closing].depth == 0


def test_no_where_group():
    with pytest.raises(StructureError):
        where_group(code("CONSTRUCT { ?s ?p ?o }"))
    with pytest.raises(StructureError):
        where_group(code("INSERT DATA { }"))


def test_clauses_outside_brackets_only():
    tokens = code("SELECT * { { SELECT * { } LIMIT 5 } } LIMIT 10")
    assert tokens[clause(tokens, 0, "LIMIT") + 1].text == "10"


def test_operations_of_an_update():
    text = ("PREFIX ex: <x:> INSERT DATA { ex:a ex:b ';' } ; WITH <g> DELETE { ?s ?p ?o } USING <u> WHERE { ?s ?p ?o } ;"
            " LOAD <x> ; ")
    tokens = code(text)
    found = operations(tokens)
    assert [(op.verb, tokens[op.first].text) for op in found] == [("INSERT", "PREFIX"), ("WITH", "WITH"), ("LOAD", "LOAD")]
    assert found[1].where is not None and tokens[found[1].where - 2].text == "USING"
    assert found[0].where is None


def test_leading_comments_stop_at_the_first_code_and_never_read_past_it():
    comments = leading_comments("#+ title: x\n\n  # two\nSELECT 'broken")
    assert [(c.text, c.line) for c in comments] == [("#+ title: x", 1), ("# two", 3)]
