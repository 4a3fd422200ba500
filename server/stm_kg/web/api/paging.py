"""Paging a bound named query: ``LIMIT``/``OFFSET`` added to its text, and a count of all its rows.

The query text is our own (a catalogue file with a VALUES block of checked terms), so a small lexical look at
its *tail* (what follows the outermost WHERE group: GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET, VALUES) is
enough; comments, strings and IRIs are blanked out first, so a value can never be mistaken for a keyword.

So that walking the pages gives every row exactly once, the order must be total and the same on every run
(the store answers from several worker processes): the query's own ``ORDER BY`` is kept and the projected
variables are added after it as tie-breakers. A ``LIMIT``/``OFFSET`` the query has itself is folded into the
window of the page (page 2 of ``LIMIT 200`` with 100 a page is ``LIMIT 100 OFFSET 100``), so the query keeps
its meaning.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from ...queries.binding import _code_positions, where_brace

#: Rows per page when the client does not say, and the most it may ask for.
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000

_LIMIT = re.compile(r"(?<![\w?$:])LIMIT\s+([0-9]+)", re.IGNORECASE)
_OFFSET = re.compile(r"(?<![\w?$:])OFFSET\s+([0-9]+)", re.IGNORECASE)
_VALUES = re.compile(r"(?<![\w?$:])VALUES(?![\w:])", re.IGNORECASE)
_ORDER_BY = re.compile(r"(?<![\w?$:])ORDER\s+BY(?![\w:])", re.IGNORECASE)
_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
COUNT_VARIABLE = "stm_kg_api_total"


def blank(text: str) -> str:
    """``text`` with comments, strings and IRIs replaced by spaces (same length, same positions)."""
    chars = [" "] * len(text)
    for i, c in _code_positions(text):
        chars[i] = c
    return "".join(chars)


def _closing_brace(code: str, opening: int) -> int:
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("the WHERE group of the query is not closed")


def split_prologue(text: str) -> tuple[str, str]:
    """(PREFIX/BASE declarations, the query from its form keyword on)."""
    found = _FORM.search(blank(text))
    if not found:
        raise ValueError("no SELECT, ASK, CONSTRUCT or DESCRIBE in the query")
    return text[: found.start()], text[found.start():]


def page_text(text: str, variables: list[str] | None, offset: int, limit: int) -> str:
    """The SELECT query ``text`` restricted to rows ``offset`` .. ``offset + limit - 1`` of its answer, in a total order."""
    code = blank(text)
    close = _closing_brace(code, where_brace(text)) + 1
    head, tail, tail_code = text[:close], text[close:], code[close:]
    own_limit, own_offset = None, 0
    cuts = []
    for pattern in (_LIMIT, _OFFSET):
        found = pattern.search(tail_code)
        if found:
            cuts.append((found.start(), found.end()))
            if pattern is _LIMIT:
                own_limit = int(found.group(1))
            else:
                own_offset = int(found.group(1))
    for start, end in sorted(cuts, reverse=True):
        tail, tail_code = tail[:start] + " " * (end - start) + tail[end:], tail_code[:start] + " " * (end - start) + tail_code[end:]
    values = _VALUES.search(tail_code)
    at = values.start() if values else len(tail)
    keys = " ".join(f"?{name}" for name in variables or ())
    order = ""
    if keys:
        order = f"\n  {keys}" if _ORDER_BY.search(tail_code[:at]) else f"\nORDER BY {keys}"
    window_limit = limit if own_limit is None else max(0, min(limit, own_limit - offset))
    window = f"{order}\nLIMIT {window_limit} OFFSET {own_offset + offset}\n"
    return head + tail[:at] + window + tail[at:]


def count_text(text: str) -> str:
    """A query counting the rows of the SELECT query ``text`` (one row, variable :data:`COUNT_VARIABLE`)."""
    prologue, query = split_prologue(text)
    return f"{prologue}SELECT (COUNT(*) AS ?{COUNT_VARIABLE}) WHERE {{\n{query}\n}}\n"


class PagingError(ValueError):
    """``page`` or ``per_page`` is not a whole number in range; ``parameter`` names which."""

    def __init__(self, message: str, parameter: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Page:
    """Which page the client asked for."""

    number: int = 1
    size: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @classmethod
    def read(cls, page: str | None, per_page: str | None) -> "Page":
        number = _whole("page", page, 1, 1, 10**9)
        size = _whole("per_page", per_page, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
        return cls(number, size)

    def last(self, total: int) -> int:
        return max(1, math.ceil(total / self.size))

    def link_targets(self, url: str, args: list[tuple[str, str]], total: int | None) -> dict[str, str]:
        """rel -> URL for the first, previous, next and last page (next and last only when the total is known)."""

        def to(number: int) -> str:
            kept = [(k, v) for k, v in args if k not in ("page", "per_page")]
            return f"{url}?{urlencode([*kept, ('page', str(number)), ('per_page', str(self.size))])}"

        targets = {"first": to(1)}
        if self.number > 1:
            targets["prev"] = to(min(self.number - 1, self.last(total)) if total is not None else self.number - 1)
        if total is not None:
            if self.number < self.last(total):
                targets["next"] = to(self.number + 1)
            targets["last"] = to(self.last(total))
        return targets

    def links(self, url: str, args: list[tuple[str, str]], total: int | None) -> str:
        """The RFC 8288 ``Link`` header of :meth:`link_targets`."""
        return ", ".join(f'<{target}>; rel="{rel}"' for rel, target in self.link_targets(url, args, total).items())


def _whole(name: str, text: str | None, default: int, low: int, high: int) -> int:
    if text is None or text == "":
        return default
    if not re.fullmatch(r"[0-9]{1,10}", text.strip()):
        raise PagingError(f"parameter '{name}' must be a whole number from {low} to {high}; got {text!r}", name)
    number = int(text)
    if not low <= number <= high:
        raise PagingError(f"parameter '{name}' must be a whole number from {low} to {high}; got {text!r}", name)
    return number
