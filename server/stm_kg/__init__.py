"""stm-kg: the linked-data knowledge graph of the Dutch programme *Samen tegen mensenhandel*.

Data flows one way through the subpackages:

    pipeline (sources -> graph -> reasoning / validation -> compiled dataset)
        -> store (embedded pyoxigraph, or a remote SPARQL server)
            -> sparql (protocol: negotiation, safety, limits)
                -> web (Flask app and its blueprints)

``cli`` is a thin command line over all of it. No module imports from a stage further down the flow.
"""

__version__ = "0.1.0"
