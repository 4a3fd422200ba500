"""``stm-kg publish --to URL``: load the compiled knowledge graph into another SPARQL 1.1 server.

Each named graph of the compiled dataset (data, ontology, inferred, shapes, one per linkset) and each
``--data`` file is replaced as a whole on the server: with the Graph Store Protocol (``PUT ?graph=IRI``)
when the address names a Graph Store endpoint, else with SPARQL Update (``DROP SILENT GRAPH``, then
``INSERT DATA`` in chunks). Graphs that share blank nodes (the data and the inferred graph do: the closure
types some blank nodes of the data) are put without the triples of those blank nodes, which then go in ONE
``INSERT { } WHERE { }`` request, because blank nodes of separate requests are always distinct; this needs
the update endpoint (a ``sparql+http`` address, or ``--update``). Graphs of the server that are not published are left alone.

``URL`` is either the Graph Store endpoint itself (``http://127.0.0.1:7878/store``) or a store address as
``stm-kg serve --store`` takes it (``sparql+http://HOST:PORT/query?gsp=/store``). Exit codes: 0 done,
1 the server refused a graph, 2 bad input.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyoxigraph as ox

#: Triples per INSERT DATA request when there is no Graph Store endpoint.
CHUNK = 5000


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="load the compiled knowledge graph into a SPARQL 1.1 server (Graph Store PUT per named graph)",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--to", required=True, metavar="URL",
                        help="Graph Store endpoint (http://HOST:PORT/store) or store address (sparql+http://...)")
    parser.add_argument("--update", metavar="URL",
                        help="the server's SPARQL Update endpoint, when --to is a plain Graph Store address")
    parser.add_argument("--base", help="URI base of the bundled data (default: STM_KG_BASE or the canonical base)")
    parser.add_argument("--data", type=Path, nargs="+", default=[], metavar="FILE",
                        help="more RDF files to publish, each in a named graph of its own (as stm-kg serve --data)")
    parser.add_argument("--no-bundled", dest="bundled", action="store_false", help="do not publish the bundled knowledge graph")
    parser.add_argument("--timeout", type=float, default=120.0, help="time limit per request in seconds (default: %(default)s)")
    parser.set_defaults(func=run)


def graphs_to_publish(args, base: str) -> dict[str, list[ox.Triple]]:
    """Named graph IRI -> its triples, from the compiled dataset and the ``--data`` files."""
    from ..pipeline.sources import SourceError, rdf_format
    from .serve import data_graph_name

    graphs: dict[str, list[ox.Triple]] = {}
    if args.bundled:
        from ..pipeline.compile import ensure_built

        for quad in ox.parse(path=str(ensure_built(base)), format=ox.RdfFormat.TRIG):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    for path in args.data:  # as stm-kg serve --data: quad formats keep their graphs, the rest go to the file's graph
        fmt, _, _ = rdf_format(path)
        own = data_graph_name(base, path)
        try:
            for quad in ox.parse(path=str(path), format=fmt):
                name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else own
                graphs.setdefault(name, []).append(quad.triple)
        except (SyntaxError, OSError, ValueError) as error:
            raise SourceError(path, f"cannot load: {error}") from None
    return graphs


class Publisher:
    """Replaces named graphs on a server, by Graph Store PUT or by SPARQL Update."""

    def __init__(self, to: str, timeout: float, update: str | None = None):
        import requests

        from ..store.remote import Endpoints, is_remote

        self.session = requests.Session()
        self.session.trust_env = False
        self.timeout = timeout
        if is_remote(to):
            endpoints = Endpoints.parse(to)
            self.gsp, self.update = endpoints.gsp, endpoints.update
            if endpoints.auth:
                from requests.auth import HTTPDigestAuth

                self.session.auth = HTTPDigestAuth(*endpoints.auth) if endpoints.digest else endpoints.auth
        elif to.startswith(("http://", "https://")):
            self.gsp, self.update = to, update
        else:
            raise ValueError(f"--to must be an http(s) Graph Store address or a sparql+http(s) store address, not {to!r}")

    def put(self, graph: str, triples: list[ox.Triple]) -> str | None:
        """Replace ``graph`` by ``triples``; None when done, else the server's refusal."""
        if self.gsp:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            # N-Triples is Turtle: every Graph Store implementation reads text/turtle
            response = self.session.put(self.gsp, params={"graph": graph}, data=body, timeout=self.timeout,
                                        headers={"Content-Type": "text/turtle; charset=utf-8"})
            return None if response.status_code in (200, 201, 204) else f"HTTP {response.status_code}: {response.text[:300]}"
        plain = [t for t in triples if not _has_blank(t)]
        updates = [f"CLEAR SILENT GRAPH <{graph}> ; DROP SILENT GRAPH <{graph}>"]  # CLEAR: Virtuoso's DROP SILENT may keep triples
        for at in range(0, len(plain), CHUNK):
            chunk = (ox.serialize(plain[at:at + CHUNK], format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            updates.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {chunk} }} }}")
        for update in updates:
            refusal = self._update(update)
            if refusal:
                return refusal
        return self.insert_template({graph: [t for t in triples if _has_blank(t)]})

    def insert_template(self, graphs: dict[str, list[ox.Triple]]) -> str | None:
        """Add triples with blank nodes in ONE ``INSERT { } WHERE { }``, so that a blank node is one node in
        every graph (blank nodes of separate requests are always distinct; Virtuoso 7 also refuses blank
        nodes in INSERT DATA)."""
        parts = [f"GRAPH <{graph}> {{ {(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b'').decode()} }}"
                 for graph, triples in graphs.items() if triples]
        return self._update(f"INSERT {{ {' '.join(parts)} }} WHERE {{ BIND(1 AS ?one) }}") if parts else None

    def _update(self, update: str) -> str | None:
        response = self.session.post(self.update, data={"update": update}, timeout=self.timeout)
        return None if response.status_code in (200, 204) else f"HTTP {response.status_code}: {response.text[:300]}"


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def tied_triples(graphs: dict[str, list[ox.Triple]]) -> set[tuple[str, int]]:
    """(graph, index) of the triples that mention a blank node connected (through blank-node-to-blank-node
    triples) to a blank node used in more than one graph: those must be written in one request."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    used_in: dict[str, set[str]] = {}
    for graph, triples in graphs.items():
        for triple in triples:
            blanks = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
            for blank in blanks:
                used_in.setdefault(blank, set()).add(graph)
                find(blank)
            if len(blanks) == 2:
                parent[find(blanks[0])] = find(blanks[1])
    shared_roots = {find(b) for b, where in used_in.items() if len(where) > 1}
    return {(graph, i) for graph, triples in graphs.items() for i, t in enumerate(triples)
            if any(isinstance(x, ox.BlankNode) and find(x.value) in shared_roots for x in (t.subject, t.object))}


def sharing_groups(graphs: dict[str, list[ox.Triple]]) -> list[list[str]]:
    """The graphs, grouped so that graphs sharing a blank node are in one group (sorted)."""
    parent = {graph: graph for graph in graphs}

    def find(graph: str) -> str:
        while parent[graph] != graph:
            graph = parent[graph]
        return graph

    seen: dict[str, str] = {}
    for graph, triples in graphs.items():
        for triple in triples:
            for term in (triple.subject, triple.object):
                if isinstance(term, ox.BlankNode):
                    other = seen.setdefault(term.value, graph)
                    if find(other) != find(graph):
                        parent[find(other)] = find(graph)
    groups: dict[str, list[str]] = {}
    for graph in sorted(graphs):
        groups.setdefault(find(graph), []).append(graph)
    return sorted(groups.values())


def run(args) -> int:
    import requests

    from ..config import base_uri
    from ..pipeline.sources import SourceError

    base = args.base or base_uri()
    base = base if base.endswith("/") else base + "/"
    try:
        publisher = Publisher(args.to, args.timeout, args.update)
        graphs = graphs_to_publish(args, base)
    except (ValueError, SourceError) as error:
        print(f"stm-kg publish: {error}", file=sys.stderr)
        return 2
    failed = 0
    started = time.perf_counter()
    for group in sharing_groups(graphs):
        together = len(group) > 1
        if together and not publisher.update:
            print(f"stm-kg publish: graphs {', '.join(group)} share blank nodes, which must be written in one update "
                  "request; give the update endpoint (--update URL, or a sparql+http:// address)", file=sys.stderr)
            return 2
        members = {graph: graphs[graph] for graph in group}
        tied = tied_triples(members) if together else set()
        try:
            refusal = None
            for graph in group:
                refusal = refusal or publisher.put(graph, [t for i, t in enumerate(graphs[graph]) if (graph, i) not in tied])
            if tied and not refusal:
                refusal = publisher.insert_template({g: [t for i, t in enumerate(graphs[g]) if (g, i) in tied] for g in group})
        except requests.RequestException as error:
            refusal = f"{type(error).__name__}: {error}"
        for graph in group:
            how = f"({sum(1 for g, _ in tied if g == graph)} with blank nodes shared with " + \
                ", ".join(f"<{g}>" for g in group if g != graph) + " in one update)" if together else ""
            if refusal:
                failed += 1
                print(f"FAILED  <{graph}> ({len(graphs[graph])} triples): {refusal}", file=sys.stderr)
            else:
                print(f"ok      <{graph}> {len(graphs[graph])} triples {how}".rstrip())
    total = sum(len(t) for t in graphs.values())
    print(f"published {len(graphs) - failed} of {len(graphs)} graphs ({total:,} triples) to {args.to} "
          f"in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0
