"""The stores behind the endpoint: one interface (:mod:`.interface`), the embedded Oxigraph store
(:mod:`.embedded`) and a remote SPARQL server (:mod:`.remote`), the changes they take (:mod:`.changes`), the
SHACL gate for writes (:mod:`.gate`) and the lexical look at query text they need (:mod:`.query_text`).
Knows nothing of HTTP serving: the protocol (:mod:`stm_kg.sparql`) and the web app build on it."""
