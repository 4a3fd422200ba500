"""The lexer against the SPARQL 1.1 grammar's terminals (section 19.8): one test per terminal or rule, with the
examples the grammar's own text gives where it gives one."""

from __future__ import annotations

import pytest

from stm_kg.syntax import LexError, code, scan, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


@pytest.mark.parametrize("text, kind", [
    ("<http://example.org/a#b>", "IRIREF"),
    ("<>", "IRIREF"),
    ("<a\\u0020b>", "IRIREF"),  # UCHAR
    ("<http://a/\\U0001F600>", "IRIREF"),
    ("ex:", "PNAME_NS"),
    (":", "PNAME_NS"),
    ("ex.a-b_c:", "PNAME_NS"),
    ("ex:local", "PNAME_LN"),
    (":local", "PNAME_LN"),
    ("ex:0a", "PNAME_LN"),  # PN_LOCAL may start with a digit
    ("ex::a", "PNAME_LN"),  # and with ':'
    ("ex:a%2Fb", "PNAME_LN"),  # PERCENT
    ("ex:a\\#b", "PNAME_LN"),  # PN_LOCAL_ESC
    ("ex:a\\.b\\~c\\&d\\'e", "PNAME_LN"),
    ("ex:a.b", "PNAME_LN"),
    ("ex:é", "PNAME_LN"),
    ("_:b0", "BLANK_NODE_LABEL"),
    ("_:a.b", "BLANK_NODE_LABEL"),
    ("?x", "VAR1"),
    ("?0", "VAR1"),
    ("$x_1", "VAR2"),
    ("@en", "LANGTAG"),
    ("@en-GB-oed", "LANGTAG"),
    ("@ar--rtl", "LANGTAG"),  # SPARQL 1.2 base direction (Oxigraph reads it)
    ("12", "INTEGER"),
    ("1.5", "DECIMAL"),
    (".5", "DECIMAL"),
    ("1.5e3", "DOUBLE"),
    ("1.E3", "DOUBLE"),
    (".5e-3", "DOUBLE"),
    ("1e3", "DOUBLE"),
    ("+12", "INTEGER_POSITIVE"),
    ("+1.5", "DECIMAL_POSITIVE"),
    ("+1e3", "DOUBLE_POSITIVE"),
    ("-12", "INTEGER_NEGATIVE"),
    ("-.5", "DECIMAL_NEGATIVE"),
    ("-1E3", "DOUBLE_NEGATIVE"),
    ("'a\"b'", "STRING_LITERAL1"),
    ("'a\\'b\\n'", "STRING_LITERAL1"),  # ECHAR
    ('"a\'b"', "STRING_LITERAL2"),
    ('"a\\u0022b"', "STRING_LITERAL2"),  # UCHAR: the escaped quote does not end the string
    ("'''a\n'b''c'''", "STRING_LITERAL_LONG1"),
    ('"""a\n"b""c"""', "STRING_LITERAL_LONG2"),
    ("( )", "NIL"),
    ("(\n)", "NIL"),
    ("[\t]", "ANON"),
    ("SELECT", "KEYWORD"),
    ("select", "KEYWORD"),
    ("a", "KEYWORD"),
    ("GROUP_CONCAT", "KEYWORD"),
    ("SHA256", "KEYWORD"),
    ("# a comment", "COMMENT"),
])
def test_each_terminal(text, kind):
    assert kinds(text) == [(kind, text)]


@pytest.mark.parametrize("text", ["^^", "||", "&&", "!=", "<=", ">=", "{", "}", "(", ")", "[", "]", ",", ";", ".",
                                  "*", "/", "|", "^", "?", "!", "=", "~", "<<", ">>"])
def test_punctuation_is_its_own_kind(text):
    inside = f"({text})" if text in ("<=", ">=") else text  # an operator stands inside an expression
    assert (text, text) in kinds(inside)


@pytest.mark.parametrize("text, expected", [
    # the longest match wins
    ('"a"^^<http://t>', [("STRING_LITERAL2", '"a"'), ("^^", "^^"), ("IRIREF", "<http://t>")]),
    ("?x+1", [("VAR1", "?x"), ("INTEGER_POSITIVE", "+1")]),
    ("?x + 1", [("VAR1", "?x"), ("+", "+"), ("INTEGER", "1")]),
    ("ex:a-1", [("PNAME_LN", "ex:a-1")]),
    ("1.", [("INTEGER", "1"), (".", ".")]),  # DECIMAL needs a digit after the dot
    ("ex:a.", [("PNAME_LN", "ex:a"), (".", ".")]),  # a local name does not end with a dot
    ("_:b.", [("BLANK_NODE_LABEL", "_:b"), (".", ".")]),
    ("false.SERVICE", [("KEYWORD", "false"), (".", "."), ("KEYWORD", "SERVICE")]),  # no PN_PREFIX without ':'
    ("1AS", [("INTEGER", "1"), ("KEYWORD", "AS")]),
    ("'''a''''''b'''", [("STRING_LITERAL_LONG1", "'''a'''"), ("STRING_LITERAL_LONG1", "'''b'''")]),
    ('""""""', [("STRING_LITERAL_LONG2", '""""""')]),
    ('""', [("STRING_LITERAL2", '""')]),
    ("( # not NIL\n)", [("(", "("), ("COMMENT", "# not NIL"), (")", ")")]),
    ("<<( <a> <b> <c> )>>", [("<<", "<<"), ("(", "("), ("IRIREF", "<a>"), ("IRIREF", "<b>"), ("IRIREF", "<c>"),
                             (")", ")"), (">>", ">>")]),
    ("{| ?p ?o |}", [("{", "{"), ("|", "|"), ("VAR1", "?p"), ("VAR1", "?o"), ("|", "|"), ("}", "}")]),
])
def test_longest_match(text, expected):
    assert kinds(text) == expected


def test_comments_end_at_either_line_end_and_are_not_inside_strings_or_iris():
    assert kinds("# a\rSERVICE") == [("COMMENT", "# a"), ("KEYWORD", "SERVICE")]
    assert kinds("# a\nSERVICE") == [("COMMENT", "# a"), ("KEYWORD", "SERVICE")]
    assert kinds('"# no" <http://a/#no> ex:a\\#no') == [
        ("STRING_LITERAL2", '"# no"'), ("IRIREF", "<http://a/#no>"), ("PNAME_LN", "ex:a\\#no")]
    assert kinds("ex:a#comment") == [("PNAME_LN", "ex:a"), ("COMMENT", "#comment")]


def test_keywords_are_case_insensitive_and_prefixed_names_are_not_keywords():
    tokens = code("SeLeCt ?service service: service:x SERVICE _:service 'SERVICE' <SERVICE>")
    assert [t.keyword for t in tokens] == ["SELECT", None, None, None, "SERVICE", None, None, None]


def test_positions_lines_and_columns():
    text = 'PREFIX ex: <http://e/>\n# two\nSELECT """a\nb""" ?x\r\n  { }'
    tokens = tokenize(text)
    assert [(t.text, t.line, t.column) for t in tokens] == [
        ("PREFIX", 1, 1), ("ex:", 1, 8), ("<http://e/>", 1, 12), ("# two", 2, 1), ("SELECT", 3, 1),
        ('"""a\nb"""', 3, 8), ("?x", 4, 6), ("{", 5, 3), ("}", 5, 5)]
    assert all(text[t.start:t.end] == t.text for t in tokens)


def test_depth_counts_the_brackets_around_a_token():
    tokens = code("{ ( [ << ?x >> ] ) } ?y")
    assert [(t.text, t.depth) for t in tokens] == [
        ("{", 0), ("(", 1), ("[", 2), ("<<", 3), ("?x", 4), (">>", 3), ("]", 2), (")", 1), ("}", 0), ("?y", 0)]


def test_less_than_inside_an_expression_and_an_iri_elsewhere():
    assert kinds("(?a < ?b)") == [("(", "("), ("VAR1", "?a"), ("<", "<"), ("VAR1", "?b"), (")", ")")]
    assert kinds("(?a<?b)") == [("(", "("), ("VAR1", "?a"), ("<", "<"), ("VAR1", "?b"), (")", ")")]
    # the grammar's longest-match rule: this is an IRI (W3C syntax test syn-bad-26)
    assert ("IRIREF", "<?a&&?b>") in kinds("(?x<?a&&?b>?y)")


@pytest.mark.parametrize("text, line, column, words", [
    ('SELECT * { ?s ?p "open', 1, 18, "string"),
    ("SELECT * {\n  ?s ?p 'a\nb' }", 2, 9, "string"),
    ("SELECT * { ?s ?p '''never closed }", 1, 18, "string"),
    ('SELECT * { ?s ?p "bad \\q escape" }', 1, 18, "string"),
    ("PREFIX ex: <http://e/", 1, 12, "not closed"),
    ("SELECT * { ?s <http://a b> ?o }", 1, 15, "U+0020"),
    ("SELECT * { ?s <http://a{b}> ?o }", 1, 15, "'{'"),
    ("SELECT * { ?s <http://a\\n> ?o }", 1, 15, "escapes"),
    ("SELECT * { SERV\\u0049CE <http://a> {} }", 1, 16, "IRIs and strings only"),
    ("SELECT * { ?s ex:a\\u0041 ?o }", 1, 19, "IRIs and strings only"),
    ("SELECT * { ?s ?p ex:a\\q }", 1, 22, "backslash"),
    ("SELECT * { ?s ?p _x }", 1, 18, "blank node"),
    ("SELECT * { ?s ?p $ }", 1, 18, "variable name"),
    ('SELECT * { ?s ?p "a"@ }', 1, 21, "language tag"),
    ("SELECT * { ?s ?p é }", 1, 18, "'é'"),
    ("SELECT * { ?s ?p ?o }\x0c", 1, 22, "U+000C"),
    ("SELECT * { ?s ?p ex:a\U0001D538 }", 1, 22, "U+1D538"),
])
def test_errors_say_where(text, line, column, words):
    with pytest.raises(LexError) as raised:
        tokenize(text)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert words in str(raised.value) and str(raised.value).startswith(f"line {line}, column {column}: ")


def test_scanning_is_lazy():
    """A reader that needs only the first tokens (a file's header comments) never meets a later error."""
    tokens = scan("# title\nSELECT * { ?s ?p 'never closed }")
    assert next(tokens).kind == "COMMENT" and next(tokens).keyword == "SELECT"


def test_long_texts_lex_in_linear_time():
    """A 2 MB string literal and 100,000 tokens: possessive patterns, no backtracking (a hang would time out)."""
    big = '"' + "x" * 2_000_000 + '"'
    assert [t.kind for t in tokenize(big)] == ["STRING_LITERAL2"]
    with pytest.raises(LexError):
        tokenize(big[:-1])
    many = "INSERT DATA { " + "<http://e/s> <http://e/p> 'o' . " * 25_000 + "}"
    assert len(code(many)) == 4 + 4 * 25_000
