"""The SPARQL 1.1 Protocol: request parsing, content negotiation, safety checks (``LOAD``, the ``SERVICE``
allowlist), the federation step in front of the store (:mod:`.federating_store`), service description and
errors as problem details. Knows HTTP; evaluation is the store's job, and nothing in :mod:`stm_kg.store`
imports from here."""
