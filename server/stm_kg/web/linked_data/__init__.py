"""The logic of the linked-data publication (issue 5), apart from HTTP: which URI a request names
(:mod:`.uris`), what the store says about it (:mod:`.describe`, through the store interface only), how it is
labelled (:mod:`.labels`), the ontology documentation and its diagram (:mod:`.ontology`, :mod:`.diagram`),
and the descriptions and downloads of the dataset (:mod:`.dataset`, :mod:`.dumps`).

The blueprints in :mod:`stm_kg.web.blueprints` (``linked_data``, ``definitions``, ``dataset``) only turn
requests into calls of these modules and their results into responses.
"""
