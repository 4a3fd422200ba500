"""A text read once: what the checks on every request ask of it, kept small and remembered per text.

:func:`read` walks the tokens of a query or update once and keeps only what the readers of a request ask:
the keywords it uses, the names Oxigraph's parser could take for a keyword, how deep its brackets nest, whether
it makes up values (``RAND()`` ...), which IRIs it calls as functions. The answer is remembered per text
(:func:`~.lexer.remembered`), so the policy, the federation step, the store and the settling of updates share
one reading; an update of megabytes is read once, not once per check.

Where Oxigraph 0.5 may read more than the grammar (see :mod:`.lexer`), this reading counts what Oxigraph may
read, erring on the side of seeing too much:

- Oxigraph's parser takes a keyword as the start of a longer word: ``SERVICESILENT<…>`` is ``SERVICE SILENT``,
  ``SERVICEex:a {…}`` is ``SERVICE ex:a {…}``, ``ORDER BYRAND()`` orders by ``RAND()``. :attr:`Reading.heads`
  has the upper-case start of every keyword and prefixed name, for :meth:`Reading.may_say`.
- Inside an expression Oxigraph reads ``<`` after an operand as "less than", where the grammar's longest-match
  rule reads an ``IRIREF`` (``FILTER(?a<RAND()&&?b>?c)``): what could be a call inside such an IRI counts as
  one, and its brackets count for the nesting depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexer import LexError, Token, code, remembered, scan
from .scope import IriError, Scope, iri_value, scopes

#: Functions whose value differs between two evaluations of the same text (NOW() is one value within one).
MAKE_UP_VALUES = ("RAND", "NOW", "UUID", "STRUUID", "BNODE")
_CALLED_WITH = ("(", "NIL")


@dataclass(frozen=True)
class Reading:
    """What :func:`read` found in a text."""

    words: tuple[str, ...]  # the keywords (upper case), each once, in order of first appearance
    heads: frozenset[str]  # upper case: each keyword, and each prefix of a prefixed name in use (not declared)
    depth: int  # deepest nesting of {}, (), [] and << >>
    makes_up_values: bool  # calls RAND(), NOW(), UUID(), STRUUID() or BNODE()
    calls: tuple[tuple[int, Token], ...]  # IRI tokens called as functions (with where they stand in the text)
    _answers: dict = field(default_factory=dict, compare=False, repr=False)  # of may_say and glued, per keyword

    def says(self, keyword: str) -> bool:
        """True when the text has ``keyword`` (upper case) as a keyword."""
        return keyword in self.words

    def may_say(self, keyword: str) -> bool:
        """True when Oxigraph's parser may read ``keyword`` somewhere: as the keyword, or glued to the front of a
        longer word or of a prefixed name (``SERVICESILENT``, ``SERVICEex:a``, ``SERVICE:a``)."""
        key = ("may", keyword)
        if key not in self._answers:  # asked on every request: answered once per text
            self._answers[key] = any(head.startswith(keyword) for head in self.heads)
        return self._answers[key]

    def glued(self, keyword: str) -> bool:
        """True when ``keyword`` (upper case) may be read at the front of a longer word or of a prefixed name."""
        key = ("glued", keyword)
        if key not in self._answers:
            self._answers[key] = any(head.startswith(keyword) and head != keyword for head in self.heads)
        return self._answers[key]


@remembered
def read(text: str) -> Reading:
    """The :class:`Reading` of ``text``; :class:`~.lexer.LexError` when it is not SPARQL."""
    words: dict[str, None] = {}
    heads: set[str] = set()
    depth = 0
    makes_up = False
    calls: list[tuple[int, Token]] = []
    previous_kind, previous_text, previous = "", "", None
    for token in scan(text):
        kind, value, start, _, _, _, at = token
        if kind == "COMMENT":
            continue
        if kind == "KEYWORD":
            word = value.upper()
            if word not in words:
                words[word] = None
                heads.add(word)
        elif kind == "PNAME_LN" or kind == "PNAME_NS":
            if not (kind == "PNAME_NS" and previous_kind == "KEYWORD" and previous_text.upper() == "PREFIX"):
                heads.add(value[:value.index(":") + 1].upper())  # a name in use, not one being declared
        elif kind in _OPENING:
            depth = max(depth, at + 1)
        elif kind == "IRIREF" and "(" in value:
            depth = max(depth, at + _bracket_depth(value))
            inner = _inner(token)
            makes_up = makes_up or inner is None or _makes_up(inner)
            calls += ((start, call) for call in _called(inner or ()))
        if kind in _CALLED_WITH and previous is not None:
            if previous_kind == "KEYWORD":
                makes_up = makes_up or previous_text.upper().endswith(MAKE_UP_VALUES)
            elif previous_kind in _IRIS:
                calls.append((previous.start, previous))
        previous_kind, previous_text, previous = kind, value, token
    return Reading(tuple(words), frozenset(heads), depth, makes_up, tuple(calls))


def function_iris(text: str, base: str | None = None) -> tuple[str, ...]:
    """The IRIs ``text`` calls as functions (``<iri>(…)``, ``ex:f(…)``), each once; ``base``: the base IRI
    given with the text. Includes what could be calls inside IRIs that Oxigraph may read as code (see the
    module docstring); an IRI that cannot be resolved is left out (Oxigraph will not parse the text)."""
    calls = read(text).calls
    if not calls:
        return ()
    where = {start for start, _ in calls}
    scope_at = {token.start: scope for token, scope in _lenient_scopes(text, Scope(base=base)) if token.start in where}
    found: dict[str, None] = {}
    for start, token in calls:
        try:
            found.setdefault(iri_value(token, scope_at[start]), None)
        except (IriError, KeyError):
            continue
    return tuple(found)


def _lenient_scopes(text: str, scope: Scope):
    """:func:`~.scope.scopes` of ``text``, going on after a declaration that names no IRI (Oxigraph refuses such a
    text; what holds after it does not matter)."""
    tokens = code(text)
    i = 0
    while i < len(tokens):
        try:
            for token, held in scopes(tokens[i:], scope):
                yield token, held
            return
        except IriError as error:
            i = tokens.index(error.token) + 1


_IRIS = ("IRIREF", "PNAME_LN", "PNAME_NS")
_OPENING = ("{", "(", "[", "<<")


def _inner(token: Token) -> tuple[Token, ...] | None:
    """The content of an ``IRIREF`` read as code (what Oxigraph reads when it takes the ``<`` for "less than"),
    or None when that content is no SPARQL."""
    try:
        return tuple(t for t in scan("(" + token.text[1:-1] + ")") if t.kind != "COMMENT")[1:-1]
    except LexError:
        return None


def _makes_up(tokens: tuple[Token, ...]) -> bool:
    return any(a.kind == "KEYWORD" and a.text.upper().endswith(MAKE_UP_VALUES) and b.kind in _CALLED_WITH
               for a, b in zip(tokens, tokens[1:]))


def _called(tokens: tuple[Token, ...]) -> list[Token]:
    return [a for a, b in zip(tokens, tokens[1:]) if a.kind in _IRIS and b.kind in _CALLED_WITH]


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth = max(0, depth - 1)
    return deepest


def keywords(text: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The keywords of ``wanted`` (upper case) that ``text`` uses, each once, in order of first appearance."""
    return tuple(word for word in read(text).words if word in wanted)
