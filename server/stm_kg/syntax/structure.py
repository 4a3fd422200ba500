"""The shape of a query or update as its tokens show it: the form, the groups, the clauses after the WHERE
group, the operations of an update, the comments that head a file.

Readers of short texts (queries and our own named queries), on the comment-free tokens of
:func:`~.lexer.code`; each token knows its bracket depth, so a group is the tokens from a ``{`` to the first
``}`` at the same depth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lexer import OPENING, LexError, Token, scan

#: The four query forms.
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
#: Keywords that start an update operation (SPARQL 1.1 Update, ``Update1``).
UPDATE_VERBS = ("LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH")


class StructureError(ValueError):
    """The tokens do not have the shape asked for (no WHERE group, a bracket that is not closed)."""


def matching(code: Sequence[Token], at: int) -> int:
    """Index of the bracket that closes the one at ``code[at]`` (``{``, ``(``, ``[`` or ``<<``)."""
    opening = code[at]
    closing = OPENING[opening.kind]
    for i in range(at + 1, len(code)):
        token = code[i]
        if token.kind == closing and token.depth == opening.depth:
            return i
    raise StructureError(f"line {opening.line}, column {opening.column}: {opening.kind} is not closed")


def query_form(code: Sequence[Token]) -> tuple[int, str] | None:
    """(index, keyword) of the query form: the first of SELECT, CONSTRUCT, ASK, DESCRIBE outside brackets."""
    for i, token in enumerate(code):
        if token.depth == 0 and token.keyword in FORMS:
            return i, token.keyword
    return None


def where_group(code: Sequence[Token]) -> tuple[int, int]:
    """(index of the ``{``, index of its ``}``) of the outermost WHERE group of a query.

    That is the first ``{`` outside brackets after the keyword WHERE, or, for ``SELECT * { … }``,
    ``ASK { … }`` and ``DESCRIBE … { … }`` without WHERE, the first after the form keyword (a CONSTRUCT needs
    the keyword WHERE, ``CONSTRUCT WHERE { … }`` too, since its first group is otherwise the template).
    """
    form = query_form(code)
    if form is None:
        raise StructureError("no SELECT, CONSTRUCT, ASK or DESCRIBE in the query")
    start, keyword = form
    where_seen = False
    for i in range(start + 1, len(code)):
        token = code[i]
        if token.depth != 0:
            continue
        if token.keyword == "WHERE":
            where_seen = True
        elif token.kind == "{":
            if where_seen or keyword != "CONSTRUCT":
                return i, matching(code, i)
    raise StructureError("the query has no WHERE group")


def clause(code: Sequence[Token], start: int, keyword: str) -> int | None:
    """Index of ``keyword`` (upper case) outside brackets at or after ``start``, or None."""
    for i in range(start, len(code)):
        if code[i].depth == 0 and code[i].keyword == keyword:
            return i
    return None


@dataclass(frozen=True)
class Operation:
    """One operation of an update: its tokens are ``code[first:end]``; ``verb`` is its first keyword after the
    declarations (INSERT, DELETE, WITH, LOAD, ...); ``where`` the index of its ``WHERE`` keyword, if any."""

    first: int
    end: int
    verb: str | None
    where: int | None


def operations(code: Sequence[Token]) -> list[Operation]:
    """The operations of an update, split at the ``;`` outside brackets (declarations belong to the operation
    they precede)."""
    found, first = [], 0
    for i, token in enumerate([*code, None]):
        if token is not None and not (token.kind == ";" and token.depth == 0):
            continue
        if i > first:
            verb_at = next((j for j in range(first, i) if code[j].keyword in UPDATE_VERBS), None)
            where = clause(code[:i], first, "WHERE")
            found.append(Operation(first, i, code[verb_at].keyword if verb_at is not None else None, where))
        first = i + 1
    return found


def leading_comments(text: str) -> list[Token]:
    """The comments that come before the first token of code (a file's header); lexing stops there, so what
    follows need not be SPARQL."""
    comments = []
    try:
        for token in scan(text):
            if token.kind != "COMMENT":
                break
            comments.append(token)
    except LexError:
        pass  # the code after the comments is not SPARQL: not this reader's business
    return comments
