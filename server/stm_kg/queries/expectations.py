"""The ``#+ expect:`` lines of a query file: what the query must answer, checked by the tests.

One line is one check, run with the parameters it names (else the defaults)::

    #+ expect: rows=13                                   -- number of rows
    #+ expect: rows>=5                                   -- at least (also rows<=N)
    #+ expect: given:body=id:overleg/werkgroep rows=14  -- with this parameter value
    #+ expect: has:member=id:organisatie/comensha&role=id:rol/vertegenwoordiger   -- a row with these values
    #+ expect: has:label~=regiegroep                     -- ~= : the value contains the text (any case)
    #+ expect: lacks:member=id:organisatie/ckm            -- no row with these values
    #+ expect: first:date=2022-10-05                     -- the first row has these values
    #+ expect: distinct:motion=7                         -- number of distinct values of a variable
    #+ expect: ask=true                                  -- the answer of an ASK query

Values are compared with the term's lexical value (the IRI, or the literal's text); ``id:`` and the other
prefixes of :func:`stm_kg.queries.parameters.short_prefixes` are expanded, and numbers compare as numbers.
Text after `` -- `` is a comment (say where the number comes from).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from .catalogue import NamedQuery
from .parameters import short_prefixes
from .runner import QueryResult

_CONDITION = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(~=|=)(.*)$")
_ROWS = re.compile(r"^rows(>=|<=|=)(\d+)$")


@dataclass
class Expectation:
    line: int
    source: str
    given: dict[str, str] = field(default_factory=dict)
    checks: list[tuple[str, str]] = field(default_factory=list)  # (kind, argument)

    def __str__(self) -> str:
        return f"line {self.line}: {self.source}"


def parse(query: NamedQuery) -> list[Expectation]:
    found = []
    for line, source in query.expectations:
        spec = source.split(" -- ")[0]
        expectation = Expectation(line, source.strip())
        for token in shlex.split(spec):
            kind, _, argument = token.partition(":")
            if token.startswith("rows") or token.startswith("ask="):
                expectation.checks.append((token.split("=")[0].rstrip("<>"), token))
            elif kind == "given":
                name, _, value = argument.partition("=")
                expectation.given[name] = value
            elif kind in ("has", "lacks", "first", "distinct") and argument:
                expectation.checks.append((kind, argument))
            else:
                raise ValueError(f"{query.path.name}:{line}: cannot read expectation token {token!r}")
        found.append(expectation)
    return found


def _expand(value: str, base: str) -> str:
    head, sep, rest = value.partition(":")
    prefixes = short_prefixes(base)
    if sep and head in prefixes and not value.startswith(("http:", "https:")):
        return prefixes[head] + rest
    return value


def _same(actual: str, expected: str) -> bool:
    if actual == expected:
        return True
    try:
        return float(actual) == float(expected)
    except ValueError:
        return False


def _row_matches(row: dict, conditions: str, base: str) -> bool:
    for condition in conditions.split("&"):
        found = _CONDITION.match(condition)
        if not found:
            raise ValueError(f"cannot read condition {condition!r} (VAR=VALUE or VAR~=TEXT)")
        name, op, expected = found.groups()
        term = row.get(name)
        if term is None:
            return False
        if op == "~=":
            if expected.lower() not in term.value.lower():
                return False
        elif not _same(term.value, _expand(expected, base)):
            return False
    return True


def check(expectation: Expectation, result: QueryResult, base: str) -> list[str]:
    """The problems found (empty when the result meets the expectation)."""
    problems = []
    rows = result.rows
    for kind, argument in expectation.checks:
        if kind == "rows":
            op, number = _ROWS.match(argument).groups()
            n = int(number)
            ok = {"=": len(rows) == n, ">=": len(rows) >= n, "<=": len(rows) <= n}[op]
            if not ok:
                problems.append(f"expected {argument}, got {len(rows)} rows")
        elif kind == "ask":
            wanted = argument.split("=")[1].lower() == "true"
            if result.boolean is not wanted:
                problems.append(f"expected {argument}, got {result.boolean}")
        elif kind == "has":
            if not any(_row_matches(row, argument, base) for row in rows):
                problems.append(f"no row has {argument}")
        elif kind == "lacks":
            if any(_row_matches(row, argument, base) for row in rows):
                problems.append(f"a row has {argument}, which it should not")
        elif kind == "first":
            if not rows or not _row_matches(rows[0], argument, base):
                problems.append(f"the first row does not have {argument}: {rows[0] if rows else 'no rows'}")
        elif kind == "distinct":
            name, _, number = argument.partition("=")
            distinct = {row[name].value for row in rows if name in row}
            if len(distinct) != int(number):
                problems.append(f"expected {number} distinct ?{name}, got {len(distinct)}")
    return problems
