"""A lexical look at SPARQL text: which keywords it uses, outside comments, strings and IRIs.

Enough to tell whether a request says ``SERVICE``, ``LOAD`` or ``FROM`` without parsing it; names such as
``?service``, ``ex:load`` or ``_:from`` do not count.
"""

from __future__ import annotations

import functools
import re

#: Longest query text remembered anywhere per text (these answers here, quick queries in
#: :class:`~.snapshot.KnownQuick`): lookups are far shorter, and a cache of 1,024 update bodies of up to 10 MB
#: each would hold gigabytes.
REMEMBERED_LENGTH = 4000

#: Strings, IRIs and comments of SPARQL text (what a lexical look must skip).
QUOTED_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


def _code(sparql: str) -> str:
    """``sparql`` with strings, IRIs and comments blanked out."""
    return QUOTED_OR_COMMENT.sub(lambda found: " " * len(found.group()), sparql)


@functools.lru_cache(maxsize=64)
def _keyword_pattern(wanted: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w:?$@-])(" + "|".join(wanted) + r")(?![\w:-])", re.IGNORECASE)


def keywords(sparql: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The keywords of ``wanted`` (upper-case) that ``sparql`` uses, in order of appearance.

    Remembered for the last 1,024 questions about texts up to :data:`REMEMBERED_LENGTH`: a request asks 3-4 of
    its query, and clients repeat queries (the look-up was 15 % of a lookup's Python time at four connections).
    """
    if len(sparql) > REMEMBERED_LENGTH:
        return _keywords(sparql, wanted)
    return _remembered_keywords(sparql, wanted)


def _keywords(sparql: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(found.group(1).upper() for found in _keyword_pattern(wanted).finditer(_code(sparql)))


_remembered_keywords = functools.lru_cache(maxsize=1024)(_keywords)
