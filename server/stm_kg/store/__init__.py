"""The stores behind the endpoint: one interface (:mod:`.interface`), the embedded Oxigraph store
(:mod:`.embedded`) and a remote SPARQL server (:mod:`.remote`), the changes they take (:mod:`.changes`), the
SHACL gate for writes (:mod:`.gate`). Query text is read by :mod:`stm_kg.syntax`, the layer below.
Knows nothing of HTTP serving: the protocol (:mod:`stm_kg.sparql`) and the web app build on it."""
