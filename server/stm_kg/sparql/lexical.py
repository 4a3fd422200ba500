"""A lexical look at SPARQL text: which keywords it uses, outside comments, strings and IRIs.

Enough to tell whether a request says ``SERVICE``, ``LOAD`` or ``FROM`` without parsing it; names such as
``?service``, ``ex:load`` or ``_:from`` do not count.
"""

from __future__ import annotations

import functools
import re

_QUOTED_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


@functools.lru_cache(maxsize=256)
def _code(sparql: str) -> str:
    """``sparql`` with strings, IRIs and comments blanked out (a request asks this 3-4 times of its query)."""
    return _QUOTED_OR_COMMENT.sub(lambda found: " " * len(found.group()), sparql)


@functools.lru_cache(maxsize=64)
def _keyword_pattern(wanted: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w:?$@-])(" + "|".join(wanted) + r")(?![\w:-])", re.IGNORECASE)


def keywords(sparql: str, wanted: tuple[str, ...]) -> list[str]:
    """The keywords of ``wanted`` (upper-case) that ``sparql`` uses, in order of appearance."""
    return [found.group(1).upper() for found in _keyword_pattern(wanted).finditer(_code(sparql))]
