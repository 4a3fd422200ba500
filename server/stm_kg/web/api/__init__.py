"""The web API of the named queries (``/api``): paging, result shapes and the OpenAPI document.

The routes are in :mod:`stm_kg.web.blueprints.api`; this package holds what they are made of, free of Flask
where it can be, so that it can be tested on its own.
"""
