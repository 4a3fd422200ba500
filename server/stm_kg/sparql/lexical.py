"""A lexical look at SPARQL text: which keywords it uses, outside comments, strings and IRIs.

Enough to tell whether a request says ``SERVICE``, ``LOAD`` or ``FROM`` without parsing it; names such as
``?service``, ``ex:load`` or ``_:from`` do not count.
"""

from __future__ import annotations

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


def keywords(sparql: str, wanted: tuple[str, ...]) -> list[str]:
    """The keywords of ``wanted`` (upper-case) that ``sparql`` uses, in order of appearance."""
    code = _QUOTED_OR_COMMENT.sub(lambda found: " " * len(found.group()), sparql)
    pattern = re.compile(r"(?<![\w:?$@-])(" + "|".join(wanted) + r")(?![\w:-])", re.IGNORECASE)
    return [found.group(1).upper() for found in pattern.finditer(code)]
