"""The SPARQL lexer: query and update text as the tokens of the SPARQL 1.1 grammar's terminals (section 19.8).

https://www.w3.org/TR/sparql11-query/#grammar: ``IRIREF``, ``PNAME_NS``, ``PNAME_LN`` (``PN_LOCAL`` with
``PLX``: ``PERCENT`` and ``PN_LOCAL_ESC``), ``BLANK_NODE_LABEL``, ``VAR1``/``VAR2``, ``LANGTAG``, the numbers
(``INTEGER``, ``DECIMAL``, ``DOUBLE`` and their ``_POSITIVE``/``_NEGATIVE`` forms), the four strings with
``ECHAR``, ``NIL``, ``ANON``, comments, keywords and punctuation. Where two terminals match, the longer wins,
as the grammar says. White space is skipped; comments are tokens of kind ``COMMENT``.

The engine behind the endpoint is Oxigraph 0.5 (pyoxigraph 0.5.13), and what a reader of our own must find
(a ``SERVICE``, a call to ``RAND()``) is what *Oxigraph* will read. Where Oxigraph reads the text differently
from the grammar, the lexer reads it as Oxigraph does; each difference was checked against pyoxigraph 0.5.13
and has a test in ``tests/lexer/test_oxigraph_agreement.py``:

- ``\\uXXXX``/``\\UXXXXXXXX`` escapes count inside IRIs and strings only (as in SPARQL 1.2), not anywhere in
  the text as SPARQL 1.1 says: ``SERV\\u0049CE`` is no keyword, ``<http://a\\u003E`` does not end the IRI,
  ``'a\\u0027`` does not end the string.
- ``PN_LOCAL`` has at most one run of dots inside: ``ex:a.b.c`` is ``ex:a.b``, ``.`` and ``c`` (the grammar
  reads one name). Otherwise ``?s ?p ex:o.x.SERVICE <…> {}`` would hide a ``SERVICE`` that Oxigraph calls.
- Names (``PN_CHARS_BASE``) stop at U+FFFD: Oxigraph does not take characters beyond the Basic Multilingual
  Plane in names, so neither does the lexer (an error rather than a name Oxigraph would not read).
- Oxigraph reads SPARQL 1.2 (RDF 1.2 is on in pyoxigraph): ``<<``, ``>>``, ``~`` and a base direction after a
  language tag (``"a"@en--ltr``) are tokens too; ``{|`` and ``|}`` are ``{``/``|`` and ``|``/``}``.

Two things Oxigraph does are not lexical and are left to the readers that care (:mod:`.reading`): its parser
matches a keyword as the start of a longer word (``SERVICESILENT<…>`` is ``SERVICE SILENT <…>``), and it reads
``<`` after an operand inside an expression as "less than" even where a longer ``IRIREF`` would match
(``FILTER(?a<RAND()&&?b>?c)`` calls ``RAND()``; the grammar's longest-token rule makes ``<RAND()&&?b>`` one
IRI).

``<`` that starts no IRI where only an IRI can stand (outside parentheses) is an error: an IRI that is not
closed. Any other character no terminal allows, a string that is not closed, a bad escape: :class:`LexError`
with the line and column (1-based; lines end at ``\\n``).
"""

from __future__ import annotations

import functools
import re
from typing import Iterator, NamedTuple

#: Longest text whose answers are remembered per text, here and by every reader built on the lexer (and by
#: the quick-query memory of :class:`~stm_kg.store.snapshot.KnownQuick`): lookups are far shorter, and a cache
#: of 1,024 update bodies of up to 10 MB each would hold gigabytes.
REMEMBERED_LENGTH = 4000

# -- the terminals (SPARQL 1.1, section 19.8; the differences with Oxigraph 0.5 in the module docstring) -------

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")  # PN_CHARS_BASE, BMP only
_U = _BASE + "_"  # PN_CHARS_U
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"  # PN_CHARS
_VARCHARS = _U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"
_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_PLX = rf"%{_HEX}{_HEX}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\.+(?:[{_CHARS}:]|{_PLX})+)?"  # Oxigraph's dots
_EXPONENT = "[eE][+-]?[0-9]+"
_DOUBLE = rf"(?:[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT})"
_DECIMAL = r"(?:[0-9]*\.[0-9]+)"
_INTEGER = r"(?:[0-9]+)"
_WS = "[ \t\r\n]"

#: Punctuation, longest first; each is its own kind (the token's kind is its text).
PUNCTUATION = ("<<", ">>", "<=", ">=", "!=", "&&", "||", "^^",
               "{", "}", "(", ")", "[", "]", ",", ";", ".", "*", "/", "+", "-", "=", "!", "<", ">", "|", "^", "?", "~")

_TERMINALS = [
    ("WS", f"{_WS}++"),
    ("COMMENT", r"#[^\r\n]*+"),
    ("IRIREF", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]++|{_UCHAR})*+>"),
    ("STRING_LITERAL_LONG1", rf"'''(?:[^'\\]++|'(?!'')|{_ECHAR}|{_UCHAR})*+'''"),
    ("STRING_LITERAL_LONG2", rf'"""(?:[^"\\]++|"(?!"")|{_ECHAR}|{_UCHAR})*+"""'),
    ("STRING_LITERAL1", rf"'(?:[^'\\\n\r]++|{_ECHAR}|{_UCHAR})*+'"),
    ("STRING_LITERAL2", rf'"(?:[^"\\\n\r]++|{_ECHAR}|{_UCHAR})*+"'),
    ("PNAME_LN", rf"(?:{_PN_PREFIX})?:{_PN_LOCAL}"),
    ("PNAME_NS", rf"(?:{_PN_PREFIX})?:"),
    ("BLANK_NODE_LABEL", rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("VAR1", rf"\?[{_U}0-9][{_VARCHARS}]*+"),
    ("VAR2", rf"\$[{_U}0-9][{_VARCHARS}]*+"),
    ("LANGTAG", r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?"),
    ("DOUBLE_POSITIVE", rf"\+{_DOUBLE}"),
    ("DECIMAL_POSITIVE", rf"\+{_DECIMAL}"),
    ("INTEGER_POSITIVE", rf"\+{_INTEGER}"),
    ("DOUBLE_NEGATIVE", rf"-{_DOUBLE}"),
    ("DECIMAL_NEGATIVE", rf"-{_DECIMAL}"),
    ("INTEGER_NEGATIVE", rf"-{_INTEGER}"),
    ("DOUBLE", _DOUBLE),
    ("DECIMAL", _DECIMAL),
    ("INTEGER", _INTEGER),
    ("KEYWORD", r"[A-Za-z][A-Za-z0-9_]*+"),
    ("NIL", rf"\({_WS}*+\)"),
    ("ANON", rf"\[{_WS}*+\]"),
    ("PUNCT", "|".join(re.escape(p) for p in PUNCTUATION)),
    ("ERROR", r"[\s\S]"),
]
_SCANNER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _TERMINALS))

#: Kinds of token that stand for one RDF term or variable.
IRIS = frozenset({"IRIREF", "PNAME_LN", "PNAME_NS"})
STRINGS = frozenset({"STRING_LITERAL1", "STRING_LITERAL2", "STRING_LITERAL_LONG1", "STRING_LITERAL_LONG2"})
VARIABLES = frozenset({"VAR1", "VAR2"})
NUMBERS = frozenset({f"{kind}{sign}" for kind in ("INTEGER", "DECIMAL", "DOUBLE")
                     for sign in ("", "_POSITIVE", "_NEGATIVE")})
OPENING = {"{": "}", "(": ")", "[": "]", "<<": ">>"}
CLOSING = {closing: opening for opening, closing in OPENING.items()}
_CHECKED = frozenset({"ERROR", *STRINGS})  # kinds the scan looks at twice


class Token(NamedTuple):
    """One token: its kind (a terminal's name, ``KEYWORD``, ``COMMENT``, or the punctuation itself), its text,
    where it is (``start``/``end`` offsets into the text; ``line`` and ``column``, 1-based) and how deep in
    brackets it stands (``depth``: the number of ``{``, ``(``, ``[`` and ``<<`` open around it)."""

    kind: str
    text: str
    start: int
    end: int
    line: int
    column: int
    depth: int

    @property
    def keyword(self) -> str | None:
        """The keyword in upper case (SPARQL keywords are case-insensitive), or None for other tokens."""
        return self.text.upper() if self.kind == "KEYWORD" else None


class LexError(ValueError):
    """Text that no terminal of the grammar reads; ``line``, ``column`` (1-based) and ``offset`` say where."""

    def __init__(self, reason: str, offset: int, line: int, column: int):
        super().__init__(f"line {line}, column {column}: {reason}")
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column

    def __reduce__(self):
        return (type(self), (self.reason, self.offset, self.line, self.column))


def scan(text: str) -> Iterator[Token]:
    """The tokens of ``text`` one by one, comments included; :class:`LexError` where the text stops being SPARQL.

    Lazy: a reader that needs only the first tokens (the leading comments of a file) stops early, and the
    error in a later line does not concern it.
    """
    line, line_start = 1, 0
    stack: list[str] = []
    make = Token._make
    for found in _SCANNER.finditer(text):
        kind = found.lastgroup
        value = found.group()
        if kind == "WS":
            if "\n" in value:
                line += value.count("\n")
                line_start = found.end() - len(value) + value.rindex("\n") + 1
            continue
        start = found.start()
        depth = len(stack)
        if kind == "PUNCT":
            kind = value
            if kind in OPENING:
                stack.append(kind)
            elif kind in CLOSING:
                if stack and stack[-1] == CLOSING[kind]:
                    stack.pop()
                depth = len(stack)
            elif kind == "<" and (not stack or stack[-1] != "("):
                raise _error(_iri_not_closed(text, start), text, start, line, line_start)
        elif kind in _CHECKED:
            if kind == "ERROR" or (len(value) == 2 and kind in ("STRING_LITERAL1", "STRING_LITERAL2")
                                   and text.startswith(value[0], start + 2)):  # a long string not closed
                raise _error(_what_is_wrong(text, start), text, start, line, line_start)
            if "\n" in value:  # a long string
                yield make((kind, value, start, start + len(value), line, start - line_start + 1, depth))
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
                continue
        yield make((kind, value, start, start + len(value), line, start - line_start + 1, depth))


def tokenize(text: str) -> tuple[Token, ...]:
    """All tokens of ``text``, comments included (:func:`scan` to the end)."""
    return tuple(scan(text))


def remembered(function=None, *, size: int = 1024, long: bool = True):
    """``function(text, ...)`` remembered for the last ``size`` calls on texts up to :data:`REMEMBERED_LENGTH`
    (a request asks several readers about its text, and clients repeat their queries). With ``long``, a
    longer text is remembered too, alone: the last one (an update of megabytes is read by several readers in
    turn; the text is what its request holds anyway, and the answer must be small)."""
    if function is None:
        return lambda function: remembered(function, size=size, long=long)
    cached = functools.lru_cache(maxsize=size)(function)
    last: list = [None]  # (text, arguments, answer), replaced whole so that threads never see half of one

    @functools.wraps(function)
    def call(text: str, *args):
        if len(text) <= REMEMBERED_LENGTH:
            return cached(text, *args)
        if not long:
            return function(text, *args)
        entry = last[0]
        if entry is not None and entry[1] == args and (entry[0] is text or entry[0] == text):
            return entry[2]
        answer = function(text, *args)
        last[0] = (text, args, answer)
        return answer

    call.cache_info = cached.cache_info
    call.cache_clear = cached.cache_clear
    return call


@remembered(size=64, long=False)
def code(text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` without comments: what the grammar reads (remembered for the last 64 short
    texts: the readers of one request share one reading)."""
    return tuple(token for token in scan(text) if token.kind != "COMMENT")


# -- errors -----------------------------------------------------------------------------------------------


def _error(reason: str, text: str, offset: int, line: int, line_start: int) -> LexError:
    return LexError(reason, offset, line, offset - line_start + 1)


def _iri_not_closed(text: str, at: int) -> str:
    found = re.match(r"<[^<>\"{}|^`\\\x00-\x20]*", text[at:at + 4096])
    after = at + found.end()
    if after >= len(text):
        return "an IRI that is not closed with '>'"
    char = text[after]
    if char == "\\":
        return "an IRI may hold only the escapes \\uXXXX and \\UXXXXXXXX"
    return f"an IRI may not hold {_name(char)}: write it %-encoded, or close the IRI with '>'"


def _what_is_wrong(text: str, at: int) -> str:
    char = text[at]
    rest = text[at:at + 4]
    if char in "\"'":
        quote = char * 3 if rest.startswith(char * 3) else char
        return (f"a string ({quote}…{quote}) that is not closed, or holds an escape a string may not hold "
                "(only \\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX \\UXXXXXXXX)")
    if char == "\\":
        if rest[:2] in ("\\u", "\\U"):
            return "\\u and \\U escapes are allowed in IRIs and strings only"
        return "a backslash outside a string or IRI (in a prefixed name only before one of _~.-!$&'()*+,;=/?#@%)"
    if char == "_":
        return "a blank node label is _: followed by a name"
    if char in "?$":
        return f"{char} must be followed by a variable name"
    if char == "@":
        return "@ must be followed by a language tag"
    return f"{_name(char)} is not allowed here"


def _name(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"'{char}' (U+{ord(char):04X})"
    return f"the character U+{ord(char):04X}"
