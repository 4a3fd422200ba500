"""How names are compared, on its own: normal forms, slips, word order, and abbreviations only exactly."""

from __future__ import annotations

import pytest

from stm_kg.web.reconcile.names import likeness, normal


@pytest.mark.parametrize(("text", "form"), [
    ("Coördinatiecentrum tegen  Mensenhandel", "coordinatiecentrum tegen mensenhandel"),
    ("Humanitas Expertisecentrum Seksualiteit, Sekswerk en Mensenhandel", "humanitas expertisecentrum seksualiteit sekswerk en mensenhandel"),
    ("RIEC's", "riec s"),
    ("GL/PvdA", "gl pvda"),
    ("Yesilgöz-Zegerius", "yesilgoz zegerius"),
    ("  ", ""),
])
def test_the_normal_form(text, form):
    assert normal(text) == form


def test_likeness_forgives_a_slip_and_word_order_but_not_everything():
    name = normal("Coördinatiecentrum tegen Mensenhandel")
    assert likeness(name, name) == 1.0
    assert likeness(normal("Codrdinatiecentrum tegen Mensenhandel"), name) > 0.95  # an OCR slip
    assert likeness(normal("Mensenhandel tegen Coördinatiecentrum"), name) > 0.95  # another order, the same words
    assert 0.6 < likeness(normal("Justitie en Veiligheid"), normal("Ministerie van Justitie en Veiligheid")) < 0.9
    assert likeness(normal("Rode Kruis"), name) < 0.5


def test_short_names_match_only_exactly():
    assert likeness("om", "om") == 1.0
    assert likeness("om", "ov") == 0.0 and likeness("vng", "vnq") == 0.0
    assert likeness("om", "openbaar ministerie") == 0.0
