"""One blueprint per area of the service: SPARQL protocol, Graph Store protocol, pages, health."""
