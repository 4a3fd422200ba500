"""The example queries of ``queries/*.rq`` for the query page: one tab per named query of the catalogue.

A file of the catalogue (``#+ title:`` ... headers, see ``queries/README.md``) gives its title, description
(Dutch, with the English ones alongside) and the query with its default parameter values bound
(:meth:`~stm_kg.queries.NamedQuery.example_text`), so every tab runs as it stands. The tab shows the header
lines a reader needs (title, description, parameters, the endpoints a federated query calls) and not those
that are for the tests and the API (``#+ expect:``, ``#+ tags:``; :func:`shown_text`). A file the catalogue does
not accept (no headers, or a plain ``# title:`` comment) is still offered: its title and description are taken
from its leading ``# title:``/``# description:`` comment lines, or the title is made from the file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context

from ..config import base_uri
from ..queries import read_query
from ..syntax import leading_comments

#: A header comment (what follows ``#`` in a leading comment, :func:`stm_kg.syntax.leading_comments`).
_HEADER = re.compile(r"^#\+?\s*(title|description)\s*:\s*(.*?)\s*$", re.IGNORECASE)

#: Header keys whose lines the query page shows; the others (expect, tags, federated) are left out.
SHOWN_HEADER_KEYS = {"title", "title@en", "description", "description@en", "param", "endpoint"}
_HEADER_KEY = re.compile(r"^#\+\s*([A-Za-z][A-Za-z0-9_-]*(?:@[a-z]{2})?)\s*:")


@dataclass(frozen=True)
class ExampleQuery:
    """One example: a name (the file stem), a title, a description and the query text (and English texts)."""

    name: str
    title: str
    description: str
    query: str
    title_en: str = ""
    description_en: str = ""
    federated: bool = False


def read_example(path: Path) -> ExampleQuery:
    """Read one ``.rq`` file, taking its title and description from its leading comment lines."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for comment in leading_comments(text):
        found = _HEADER.match(comment.text)
        if found:
            header.setdefault(found.group(1).lower(), found.group(2))
    title = header.get("title") or path.stem.replace("-", " ").replace("_", " ").capitalize()
    return ExampleQuery(path.stem, title, header.get("description", ""), text)


def shown_text(text: str) -> str:
    """``text`` without the header lines (``#+ key:`` in the leading comments) that are not for readers."""
    kept, at = [], 0
    for comment in leading_comments(text):
        key = _HEADER_KEY.match(comment.text)
        if key is None or key.group(1) in SHOWN_HEADER_KEYS:
            continue
        start = max(text.rfind("\n", 0, comment.start), text.rfind("\r", 0, comment.start)) + 1
        end = comment.end + (2 if text.startswith("\r\n", comment.end) else text[comment.end:comment.end + 1] in ("\r", "\n"))
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return "".join(kept)


def _base() -> str:
    if has_app_context() and "stm_kg" in current_app.extensions:
        return current_app.extensions["stm_kg"].config.base
    return base_uri()


def load_example(path: Path, base: str | None = None) -> ExampleQuery:
    """The example of one file: from the catalogue when the file is a named query, else from its comments."""
    try:
        query = read_query(path, base or _base())
    except ValueError:  # QueryFileError, BindingError, UnicodeDecodeError: not a catalogue file
        return read_example(path)
    return ExampleQuery(
        name=query.name,
        title=query.title,
        description=query.description,
        query=shown_text(query.example_text()),
        title_en=query.title_en,
        description_en=query.description_en,
        federated=query.federated,
    )


def load_examples(folder: Path, base: str | None = None) -> list[ExampleQuery]:
    """All examples of ``folder``, sorted by file name (none when the folder does not exist)."""
    if not folder.is_dir():
        return []
    return [load_example(path, base) for path in sorted(folder.glob("*.rq"))]
