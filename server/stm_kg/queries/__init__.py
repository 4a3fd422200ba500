"""Named queries: the documented questions of ``queries/*.rq``, with typed parameters bound safely.

The interface the command line and the web API use::

    from stm_kg.queries import Catalogue, ParameterError, run

    catalogue = Catalogue.load()                       # queries/*.rq, checked
    query = catalogue["leden-overleg"]                 # KeyError (UnknownQuery) when absent
    bound = query.bind({"body": "id:overleg/strategisch-overleg-mensenhandel"})   # ParameterError (400)
    bound.text                                         # SPARQL 1.1 with a VALUES block: run it anywhere
    result = run(bound, store_or_trig_path)            # .variables, .rows, .records(), .serialize("csv")
    query.openapi_operation(), query.openapi_parameters(), query.response_schema()
"""

from .binding import BindingError, bind_values, values_block
from .catalogue import BoundQuery, Catalogue, NamedQuery, QueryFileError, UnknownQuery, read_query
from .parameters import TYPES, Parameter, ParameterError, ParamType
from .runner import QueryResult, load_store, plain_value, run

__all__ = [
    "BindingError",
    "BoundQuery",
    "Catalogue",
    "NamedQuery",
    "ParamType",
    "Parameter",
    "ParameterError",
    "QueryFileError",
    "QueryResult",
    "TYPES",
    "UnknownQuery",
    "bind_values",
    "load_store",
    "plain_value",
    "read_query",
    "run",
    "values_block",
]
