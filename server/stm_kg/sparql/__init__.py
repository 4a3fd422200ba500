"""The SPARQL 1.1 Protocol: request parsing, content negotiation, safety checks, service description and
errors as problem details. Knows HTTP; evaluation is the store's job."""
