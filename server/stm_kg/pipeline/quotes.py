"""Matching quotes against the source texts they are taken from.

A quote counts as verbatim when it occurs in the source text once whitespace runs (including line breaks)
are collapsed to one space and the Markdown markers of the PDF-to-text conversion (``**``, ``#``) are
removed. OCR slips are kept as they are: the quote is evidence of what the source says, not a correction.
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"\*\*|#+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse whitespace and drop Markdown emphasis and heading markers."""
    return _SPACE.sub(" ", _MARKDOWN.sub("", text)).strip()


def occurs_in(quote: str, normalised_text: str) -> bool:
    """Whether ``quote`` occurs in a text already passed through :func:`normalise`."""
    return normalise(quote) in normalised_text
