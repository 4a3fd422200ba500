"""Comparing names: what a person types against what the graph calls a thing.

A name is compared in its *normal form*: diacritics dropped, case folded, every run of punctuation and space
one space ("Coördinatiecentrum tegen  Mensenhandel" and "coordinatiecentrum tegen mensenhandel" are one
name). Two normal forms are scored from 0 to 1 by the better of two measures: the likeness of the whole
strings (RapidFuzz's normalised Indel similarity, which forgives the one-letter slips OCR makes,
"Codrdinatiecentrum") and the overlap of their words, each word allowed a slip (word order and extra words
such as "Ministerie van" then cost little, and cost something). Short names (abbreviations such as "OM",
"VNG") match only exactly: a slip in two letters is another abbreviation.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

#: Names of at most this many characters (normal form) match only exactly.
SHORT = 4
#: Two words count as the same word from this likeness on (one slip in a word of about eight letters).
WORD_LIKENESS = 80.0

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normal(text: str) -> str:
    """``text`` without diacritics, case folded, punctuation and spacing reduced to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def _word_overlap(words: list[str], other: list[str]) -> float:
    """Dice overlap of two word lists (0..1), a word counting as present when a word of the other is like it."""
    matched = 0.0
    for word in words:
        best = max(fuzz.ratio(word, candidate) for candidate in other)
        if best >= WORD_LIKENESS:
            matched += best / 100
    return 2 * matched / (len(words) + len(other))


def likeness(query: str, name: str) -> float:
    """How alike two normal forms are, from 0 (nothing alike) to 1 (the same name)."""
    if query == name:
        return 1.0
    if not query or not name or len(query) <= SHORT or len(name) <= SHORT:
        return 0.0
    return max(fuzz.ratio(query, name) / 100, _word_overlap(query.split(), name.split()))


def near_enough(query: str, name: str, **_) -> float:
    """A generous first look (0..100) that keeps every name :func:`likeness` could score well: shared words in any
    order, or the whole strings alike."""
    return max(fuzz.token_set_ratio(query, name), fuzz.ratio(query, name))
