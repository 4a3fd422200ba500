"""What the sources state about things (decision 0012), checked against the source texts.

- Every status report means what its status concept's definition says, with the quote that justifies it.
- Spot checks per source: each statement the sources make about a thing (a mandate, a condition, an
  assessment or caveat, a count, an aim, a fact about a document) is in the graph with its verbatim quote; a
  test fails when the statement or its quote is removed.
- What the modellers inferred is marked, and only that.

The expected values were read from the sources by hand (the seed file is named in each case), not copied
from the data.
"""

from __future__ import annotations

import re

import pytest

from sparql_helpers import ID, ask, no_counter_examples, rows
from stm_kg.pipeline.quotes import normalise

SEED = {
    "000": "000_05a414d4f7b380c2.txt",
    "001": "001_1f29293a121c6fe7.txt",
    "002": "002_3a1e3072e3463d74.txt",
    "003": "003_6c0f779152fc1c48.txt",
    "004": "004_f047187b9f2011a7.txt",
    "note": "public-identifiers.md",
}


def _quotes(dataset, resource: str) -> list[tuple[str, str]]:
    """(source text file, quote) of every qualified derivation of ``resource``."""
    found = rows(
        dataset,
        f"""SELECT ?file ?quote WHERE {{ <{resource}> prov:qualifiedDerivation ?d .
               ?d prov:entity/stm:sourceTextFile ?file ; stm:quote ?quote }}""",
    )
    return [(str(f), str(q)) for f, q in found]


def _has_quote(dataset, resource: str, seed: str, fragment: str) -> bool:
    wanted = normalise(fragment)
    return any(f == SEED[seed] and wanted in normalise(q) for f, q in _quotes(dataset, resource))


# -- Status reports mean what their status concept says ---------------------------------------------------------

#: What a report's quote must say for each status to mean what its definition in
#: ontology/schemes/actiestatussen.ttl says, and a word the definition itself must hold (so that a changed
#: definition is noticed here). Read from the definitions, not from the data.
STATUS_EVIDENCE = {
    "lopend": (r"\b(loopt|lopen|wordt (momenteel )?(gekeken|verkend))\b", "uitvoering"),  # "De actie is in uitvoering."
    "afgerond": (r"\bafgerond\b", "afgerond"),  # "De actie is afgerond."
    "opgeleverd": (r"\b(opgeleverd|gelanceerd)\b", "opgeleverd"),  # "Het product van de actie ... is opgeleverd."
    "vertraagd": (r"\bvertraging\b", "vertraging"),  # "... heeft vertraging opgelopen ..."
    "in-voorbereiding": (r"\bvoorbereidingen\b.*\bgestart\b", "voorbereidingen"),  # "De voorbereidingen ... zijn gestart"
}
#: Words that say an action has not started yet: no status that says it runs, ran or is being prepared fits.
NOT_STARTED = re.compile(r"kunnen we een start maken|kan .{0,40}starten")


def _reports(dataset):
    return rows(
        dataset,
        """SELECT ?report ?status ?definition WHERE { ?report a stm:StatusReport ; stm:status ?s .
               BIND(STRAFTER(STR(?s), "/id/status/") AS ?status)
               ?s skos:definition ?definition FILTER(lang(?definition) = "nl") }""",
    )


def test_every_status_report_means_what_its_status_definition_says(dataset):
    reports = _reports(dataset)
    assert len(reports) >= 10
    problems = []
    for report, status, definition in reports:
        quotes = [normalise(q) for _, q in _quotes(dataset, str(report))]
        status = str(status)
        if status == "niet-vermeld":
            continue  # the source states no status of the list; nothing to justify
        evidence, defining_word = STATUS_EVIDENCE[status]
        if defining_word not in str(definition):
            problems.append(f"the definition of {status} no longer says {defining_word!r}: {definition}")
        if not any(re.search(evidence, q) for q in quotes):
            problems.append(f"{report}: status {status}, but no quote says so ({evidence}): {quotes}")
        if any(NOT_STARTED.search(q) for q in quotes):
            problems.append(f"{report}: status {status}, but a quote says the action has not started yet")
    assert not problems, "\n".join(problems)


#: Per action of seed 004, the status its report must have and the sentence that justifies it (read by hand).
STATUS_PER_REPORT = [
    ("onderzoek-opvangcapaciteit", "lopend", "Zo loopt een onderzoek naar de huidige opvangcapaciteit"),
    ("ontwikkeltraject-opvanglandschap", "lopend", "en een ontwikkeltraject voor een verbeterd opvanglandschap"),
    ("informatiedeling-en-gegevensverwerking", "lopend", "Verder wordt momenteel gekeken hoe de informatiedeling"),
    ("bouwstenen-regionale-aanpak", "lopend", "Verder wordt verkend welke bouwstenen"),
    ("campagne-geenbuit", "opgeleverd", "Sommige producten zijn al opgeleverd, zoals de campagne"),
    ("inventarisatie-bewustwordingscampagnes-meldpunten-kenniscentra", "afgerond", "meldpunten en kenniscentra afgerond."),
    # "A start can now be made": not started, so not "in voorbereiding" (preparations started); no status fits.
    ("centraal-informatiepunt-mensenhandel", "niet-vermeld", "kunnen we een start maken met het opzetten van een centraal informatiepunt"),
    ("fieldlab-klantenproblematiek", "vertraagd", "Dit geldt bijvoorbeeld voor het fieldlab mensenhandel klantenproblematiek."),
    ("ckm-proeftuin-aangiftebereidheid", "niet-vermeld", "4. Rapport CKM Proeftuin Aangiftebereidheid"),
    ("metastory-raam-midden-nederland", "niet-vermeld", "6. Rapport MetaStory Instituut RAAM Midden-Nederland"),
]


@pytest.mark.parametrize(("action", "status", "quote"), STATUS_PER_REPORT, ids=[a for a, _, _ in STATUS_PER_REPORT])
def test_status_report_has_the_status_its_quote_justifies(dataset, source_texts, action, status, quote):
    report = f"{ID}statusrapportage/{action}-2025-06-18"
    found = rows(dataset, f"SELECT ?s WHERE {{ <{report}> stm:status ?s }}")
    assert [str(s) for (s,) in found] == [f"{ID}status/{status}"]
    assert _has_quote(dataset, report, "004", quote), f"{report} lacks the quote {quote!r}"
    assert normalise(quote) in source_texts[SEED["004"]]
