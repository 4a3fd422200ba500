"""The stores behind the endpoint: one interface (:mod:`.interface`), the embedded Oxigraph store
(:mod:`.embedded`), the changes it takes (:mod:`.changes`) and the SHACL gate for writes (:mod:`.gate`)."""
