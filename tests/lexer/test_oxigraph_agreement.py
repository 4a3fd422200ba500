"""Where Oxigraph 0.5 reads SPARQL text otherwise than the grammar, the lexer reads it as Oxigraph does.

Each test runs the text with pyoxigraph in this process (``Store.query``), where a recording listener on
127.0.0.1 is the SERVICE endpoint, and asserts both what Oxigraph did (called the listener or not, refused the
text or not) and what the lexer reads: if a later pyoxigraph reads the text otherwise, the test says so.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from stm_kg.syntax import LexError, code, function_iris, read


def service_keywords(text: str) -> int:
    return sum(1 for t in code(text) if t.keyword == "SERVICE")


def test_pyoxigraph_is_the_version_these_tests_describe():
    assert ox.__version__ == "0.5.13"


def test_unicode_escapes_outside_iris_and_strings_are_no_keyword(oxigraph):
    text = f"SELECT * {{ SERV\\u0049CE <{oxigraph.base}/a> {{ }} }}"
    assert oxigraph.run(text) == ([], "syntax error")
    with pytest.raises(LexError, match="IRIs and strings only"):
        code(text)


def test_an_escaped_angle_bracket_does_not_close_an_iri(oxigraph):
    text = f"SELECT * {{ SERVICE <{oxigraph.base}/a\\u003E {{ }} }}"
    assert oxigraph.run(text) == ([], "syntax error")
    with pytest.raises(LexError, match="IRI"):
        code(text)


def test_an_escaped_quote_does_not_close_a_string(oxigraph):
    hidden = f"SELECT * {{ BIND('a\\u0027 SERVICE <{oxigraph.base}/hidden> {{ }} ' AS ?x) }}"
    assert oxigraph.run(hidden) == ([], "ok")
    assert service_keywords(hidden) == 0
    seen = f"SELECT * {{ BIND('a\\u0027' AS ?x) SERVICE <{oxigraph.base}/seen> {{ }} }}"
    assert oxigraph.run(seen) == (["/seen"], "ok")
    assert service_keywords(seen) == 1


def test_a_comment_ends_at_a_carriage_return(oxigraph):
    text = f"SELECT * {{ ?s ?p ?o # a comment\rSERVICE <{oxigraph.base}/after-cr> {{ }} }}"
    assert oxigraph.run(text) == (["/after-cr"], "ok")
    assert service_keywords(text) == 1


def test_an_escaped_hash_in_a_local_name_starts_no_comment(oxigraph):
    """Finding 1 of issue 12: ``ex:a\\#`` is the local name ``a#``, not a comment hiding the rest of the line."""
    text = f"PREFIX ex: <http://127.0.0.1/ex/> SELECT * {{ ?s ?p ex:a\\# SERVICE <{oxigraph.base}/escaped> {{ }} }}"
    assert oxigraph.run(text)[0] == ["/escaped"]
    assert service_keywords(text) == 1


def test_a_local_name_holds_one_run_of_dots(oxigraph):
    """The grammar reads ``ex:o.x.SERVICE`` as one name; Oxigraph reads ``ex:o.x`` ``.`` ``SERVICE``."""
    text = f"PREFIX ex: <http://127.0.0.1/ex/> SELECT * {{ ?s ?p ex:o.x.SERVICE <{oxigraph.base}/dots> {{ }} }}"
    assert oxigraph.run(text)[0] == ["/dots"]
    assert [t.text for t in code(text)][8:11] == ["ex:o.x", ".", "SERVICE"]
    assert oxigraph.run("PREFIX ex: <http://127.0.0.1/ex/> SELECT * { ?s ?p ex:a.b.c }")[1] == "syntax error"


def test_names_stop_at_the_basic_multilingual_plane(oxigraph):
    text = "PREFIX ex: <http://127.0.0.1/ex/> SELECT * { ?s ex:a\U0001D538 ?o }"
    assert oxigraph.run(text)[1] == "syntax error"
    with pytest.raises(LexError, match="U\\+1D538"):
        code(text)
    assert oxigraph.run("PREFIX ex: <http://127.0.0.1/ex/> SELECT * { ?s ex:a\u00e9 ?o }")[1] == "ok"
    assert code("ex:a\u00e9")[0].kind == "PNAME_LN"


@pytest.mark.parametrize("glued", ["SERVICESILENT<{base}/glued>", "SERVICEex:glued", "SERVICE:glued",
                                   "servicesilent:glued"])
def test_oxigraph_reads_a_keyword_glued_to_a_name_and_the_reading_sees_it(oxigraph, glued):
    text = (f"PREFIX ex: <{oxigraph.base}/> PREFIX : <{oxigraph.base}/> "
            f"SELECT * {{ {glued.format(base=oxigraph.base)} {{ }} }}")
    assert oxigraph.run(text)[0] == ["/glued"]
    assert service_keywords(text) == 0  # the grammar has no SERVICE here
    assert read(text).glued("SERVICE") and read(text).may_say("SERVICE")


def test_less_than_after_an_operand_is_an_operator_for_oxigraph(oxigraph):
    """The grammar's longest match makes ``<ex:f(1)&&?b>`` an IRI; Oxigraph calls ``ex:f``: so the reading counts
    what may be a call or a made-up value inside such an IRI."""
    text = "PREFIX ex: <http://x/> SELECT * { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<ex:f(1)&&?b>?a) }"
    assert oxigraph.run(text)[1] == "RuntimeError: The custom function <http://x/f> is not supported"
    assert ("IRIREF", "<ex:f(1)&&?b>") in [(t.kind, t.text) for t in code(text)]
    assert function_iris(text) == ("http://x/f",)
    assert read("SELECT * { FILTER(?a<RAND()&&?b>?a) }").makes_up_values
    assert not read("INSERT DATA { <http://a> <http://b> <urn:uuid(1)> }").makes_up_values


def test_sparql_1_2_syntax_is_read(oxigraph):
    text = ("PREFIX : <http://127.0.0.1/ex/> VERSION '1.2' SELECT * { <<( :s :p :o )>> :q ?v . "
            ":s :p :o ~ :r {| :q 'x'@en--ltr |} }")
    assert oxigraph.run(text)[1] == "ok"
    assert {"<<", ">>", "~", "LANGTAG"} <= {t.kind for t in code(text)}


@pytest.mark.parametrize("place", [
    '"SERVICE <{base}/string> {{ }}"',
    "'''x' SERVICE <{base}/long-string> {{ }} ''x'''",
    '"""x"" SERVICE <{base}/long-string> {{ }} ""x"""',
    "<{base}/iri#SERVICE>",
])
def test_what_stands_in_a_string_or_an_iri_is_not_called(oxigraph, place):
    text = f"SELECT * {{ ?s ?p {place.format(base=oxigraph.base)} }}"
    assert oxigraph.run(text) == ([], "ok")
    assert service_keywords(text) == 0 and not read(text).may_say("SERVICE")
