"""Paging a bound named query: ``LIMIT``/``OFFSET`` added to its text, and a count of all its rows.

The query text is our own (a catalogue file with a VALUES block of checked terms); its tokens
(:mod:`stm_kg.syntax`) show its *tail* (what follows the outermost WHERE group: GROUP BY, HAVING, ORDER BY,
LIMIT, OFFSET, VALUES), so a value in a string, an IRI or a comment can never be mistaken for a keyword.

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

from ...syntax import clause, code, query_form, where_group

#: Rows per page when the client does not say, and the most it may ask for.
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
#: The query parameters of paging (lower camelCase, NL API Design Rules); ``per_page`` is still read, as
#: clients of the unversioned ``/api`` sent it.
PAGE, PER_PAGE, OLD_PER_PAGE = "page", "perPage", "per_page"

COUNT_VARIABLE = "stm_kg_api_total"


def split_prologue(text: str) -> tuple[str, str]:
    """(PREFIX/BASE declarations, the query from its form keyword on)."""
    tokens = code(text)
    form = query_form(tokens)
    if form is None:
        raise ValueError("no SELECT, ASK, CONSTRUCT or DESCRIBE in the query")
    at = tokens[form[0]].start
    return text[:at], text[at:]


def _own(tokens, start: int, keyword: str) -> tuple[int | None, tuple[int, int] | None]:
    """(the number after ``keyword`` in the tail, the text span of both), or (None, None)."""
    at = clause(tokens, start, keyword)
    if at is None or at + 1 >= len(tokens) or tokens[at + 1].kind != "INTEGER":
        return None, None
    return int(tokens[at + 1].text), (tokens[at].start, tokens[at + 1].end)


def page_text(text: str, variables: list[str] | None, offset: int, limit: int) -> str:
    """The SELECT query ``text`` restricted to rows ``offset`` .. ``offset + limit - 1`` of its answer, in a total order."""
    tokens = code(text)
    after = where_group(tokens)[1] + 1
    own_limit, limit_span = _own(tokens, after, "LIMIT")
    own_offset, offset_span = _own(tokens, after, "OFFSET")
    values = clause(tokens, after, "VALUES")
    at = tokens[values].start if values is not None else len(text)
    ordered = any(tokens[i].keyword == "ORDER" and tokens[i].depth == 0 and tokens[i].start < at
                  for i in range(after, len(tokens)))
    kept, position = [], 0
    for start, end in sorted(span for span in (limit_span, offset_span) if span):
        kept.append(text[position:start])
        position = end
    head = "".join(kept) + text[position:at]
    keys = " ".join(f"?{name}" for name in variables or ())
    order = ""
    if keys:
        order = f"\n  {keys}" if ordered else f"\nORDER BY {keys}"
    window_limit = limit if own_limit is None else max(0, min(limit, own_limit - offset))
    window = f"{order}\nLIMIT {window_limit} OFFSET {(own_offset or 0) + offset}\n"
    return head + window + text[at:]


def count_text(text: str) -> str:
    """A query counting the rows of the SELECT query ``text`` (one row, variable :data:`COUNT_VARIABLE`)."""
    prologue, query = split_prologue(text)
    return f"{prologue}SELECT (COUNT(*) AS ?{COUNT_VARIABLE}) WHERE {{\n{query}\n}}\n"


class PagingError(ValueError):
    """``page`` or ``perPage`` is not a whole number in range; ``parameter`` names which."""

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
    def read(cls, page: str | None, per_page: str | None, per_page_name: str = PER_PAGE) -> "Page":
        number = _whole(PAGE, page, 1, 1, 10**9)
        size = _whole(per_page_name, per_page, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
        return cls(number, size)

    def last(self, total: int) -> int:
        return max(1, math.ceil(total / self.size))

    def link_targets(self, url: str, args: list[tuple[str, str]], total: int | None) -> dict[str, str]:
        """rel -> URL for the first, previous, next and last page (next and last only when the total is known)."""

        def to(number: int) -> str:
            kept = [(k, v) for k, v in args if k not in (PAGE, PER_PAGE, OLD_PER_PAGE)]
            return f"{url}?{urlencode([*kept, (PAGE, str(number)), (PER_PAGE, str(self.size))])}"

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
