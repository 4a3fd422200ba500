"""Markdown of the OpenAPI descriptions as HTML for ``/api/docs``, safely: CommonMark by markdown-it-py.

Raw HTML in a description is never passed through (``html: False``: it shows as text), and links keep only
the schemes markdown-it allows (no ``javascript:``, ``vbscript:``, ``file:``, ``data:``), so a description
cannot put markup or script into the page. Registered as the template filter ``markdown``.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str | None) -> Markup:
    """``text`` (CommonMark) as HTML that is safe to insert into a page."""
    return Markup(_parser().render(text or ""))
