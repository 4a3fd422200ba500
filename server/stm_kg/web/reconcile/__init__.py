"""Entity reconciliation: matching names (and identifiers) people have to the things of the knowledge graph, as
the W3C Entity Reconciliation API 0.2 (OpenRefine) and its 1.0 draft ask (``/reconcile``; the routes are in
:mod:`stm_kg.web.blueprints.reconcile`).

- :mod:`.names`: how two names are compared (case, diacritics and punctuation ignored; OCR-like slips allowed;
  RapidFuzz's string similarity).
- :mod:`.index`: what can be matched, read from the store through the store interface (one SPARQL query per
  kind of fact), kept per published generation so that it sees writes.
- :mod:`.matching`: candidates, scores and when a match is certain.
- :mod:`.schema`: the types and properties on offer (suggest, property proposals, data extension).
- :mod:`.protocol`: the JSON of both versions of the API.
"""
