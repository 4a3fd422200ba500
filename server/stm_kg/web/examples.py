"""The example queries of ``queries/*.rq`` for the query page.

Each file may start with ``# title: ...`` and ``# description: ...`` comment lines (also in the grlc form
``#+ title: ...``; language variants such as ``#+ title@en:`` are skipped); without them the title is made
from the file name and the description is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"^#\+?\s*(title|description)\s*:\s*(.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ExampleQuery:
    """One example: a name (the file stem), a title, a description and the query text."""

    name: str
    title: str
    description: str
    query: str


def read_example(path: Path) -> ExampleQuery:
    """Read one ``.rq`` file, taking its title and description from its leading comment lines."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        found = _HEADER.match(line)
        if found:
            header.setdefault(found.group(1).lower(), found.group(2))
    title = header.get("title") or path.stem.replace("-", " ").replace("_", " ").capitalize()
    return ExampleQuery(path.stem, title, header.get("description", ""), text)


def load_examples(folder: Path) -> list[ExampleQuery]:
    """All examples of ``folder``, sorted by file name (none when the folder does not exist)."""
    if not folder.is_dir():
        return []
    return [read_example(path) for path in sorted(folder.glob("*.rq"))]
