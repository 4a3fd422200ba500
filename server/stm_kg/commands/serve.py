"""``stm-kg serve``: the SPARQL endpoint, the Graph Store and the query page.

Loads the compiled knowledge graph (building it first when the sources changed) into the embedded store,
plus any ``--data`` files, each in a named graph of its own, and serves it from a serving process forked
from this one, on granian's HTTP engine (see :mod:`stm_kg.serving`). With
``--store sparql+http://HOST:PORT/PATH`` the store is another SPARQL 1.1 server (loaded with ``stm-kg
publish``); ``--service-allow PREFIX`` (or ``[federation]`` in ``--config FILE``) lets SERVICE call endpoints.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger("stm_kg.serve")

def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the knowledge graph over SPARQL 1.1 (query page at /)",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    parser.add_argument("--base", help="URI base of the bundled data (default: STM_KG_BASE or the canonical base)")
    parser.add_argument("--store", metavar="DIR|URL",
                        help="keep the store on disk in DIR (writes survive restarts), or use the SPARQL 1.1 server at "
                             "sparql+http://HOST:PORT/PATH[?update=PATH&gsp=PATH] (see stm-kg publish); default: in memory")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="a TOML file; its [federation] table may set service_allow (a list of prefixes), "
                             "service_timeout, service_max_rows and service_max_bytes")
    parser.add_argument("--service-allow", action="append", default=[], metavar="PREFIX",
                        help="let SERVICE call SPARQL endpoints whose address starts with PREFIX (repeatable); "
                             "every other SERVICE is refused before any connection")
    parser.add_argument("--service-timeout", type=float, default=None,
                        help="time limit of one SERVICE call in seconds (default: 10; never more than --timeout)")
    parser.add_argument("--service-max-rows", type=int, default=None,
                        help="most rows one SERVICE call may return (default: 10000; more is an error)")
    parser.add_argument("--service-max-bytes", type=int, default=None,
                        help="largest response of one SERVICE call in bytes (default: 16 MiB; more is an error)")
    parser.add_argument("--data", type=Path, nargs="+", default=[], metavar="FILE",
                        help="more RDF files to serve, each in a named graph of its own")
    parser.add_argument("--no-bundled", dest="bundled", action="store_false",
                        help="do not load the bundled knowledge graph")
    parser.add_argument("--no-union-default-graph", dest="union_default_graph", action="store_false",
                        help="the default graph is the store's own default graph, not the union of all graphs")
    parser.add_argument("--no-validate-writes", dest="validate_writes", action="store_false",
                        help="do not check writes against the SHACL shapes")
    parser.add_argument("--write-token", default=os.environ.get("STM_KG_WRITE_TOKEN"),
                        help="bearer token that enables writes (default: STM_KG_WRITE_TOKEN; none: read-only)")
    parser.add_argument("--timeout", type=float, default=30.0, help="time limit per query in seconds (default: %(default)s)")
    parser.add_argument("--max-request-bytes", type=int, default=10 * 1024 * 1024,
                        help="largest request body accepted (default: %(default)s)")
    parser.add_argument("--max-result-bytes", type=int, default=256 * 1024 * 1024,
                        help="largest serialised result returned (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=1,
                        help="serving processes (default: %(default)s; one uses every CPU, since queries run on "
                             "threads; each process ends up with a private copy of the in-memory store's pages)")
    parser.set_defaults(func=run)


def data_graph_name(base: str, path: Path) -> str:
    """The named graph of a ``--data`` file: ``{base}graph/file/{file name}``."""
    from urllib.parse import quote

    return f"{base}graph/file/{quote(path.name)}"


def _load_sources(store, args, base: str) -> None:
    from ..pipeline.sources import SourceError, rdf_format

    if args.bundled:
        from ..pipeline.compile import ensure_built

        compiled = ensure_built(base)
        log.info("loading %s", compiled)
        store.load_file(compiled, ox.RdfFormat.TRIG, None)
    for path in args.data:
        graph = data_graph_name(base, path)
        if store.has_graph(graph) and args.store:
            log.info("keeping %s from the store (already loaded as <%s>)", path, graph)
            continue
        fmt, _, _ = rdf_format(path)
        try:
            store.load_file(path, fmt, graph)
        except (SyntaxError, OSError, ValueError) as error:
            raise SourceError(path, f"cannot load: {error}") from None
        log.info("loaded %s into <%s>", path, graph)


def federation_policy(args):
    """The SERVICE allowlist and limits from ``--config`` and the ``--service-*`` options (options win)."""
    import tomllib

    from ..sparql.federation import ServiceLimits
    from ..sparql.safety import RemoteAccessPolicy

    settings: dict = {}
    if args.config:
        try:
            settings = tomllib.loads(args.config.read_text(encoding="utf-8")).get("federation", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ValueError(f"{args.config}: {error}") from None
    allow = tuple(dict.fromkeys([*settings.get("service_allow", []), *args.service_allow]))
    defaults = ServiceLimits()
    limits = ServiceLimits(
        timeout=min(float(args.service_timeout or settings.get("service_timeout", defaults.timeout)), args.timeout),
        max_rows=int(args.service_max_rows or settings.get("service_max_rows", defaults.max_rows)),
        max_bytes=int(args.service_max_bytes or settings.get("service_max_bytes", defaults.max_bytes)),
    )
    return RemoteAccessPolicy(service_allow=allow, service_limits=limits)


def _validator(args):
    from ..store.shacl import project_validator

    return project_validator if (args.write_token and args.validate_writes) else None


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket every serving process accepts from (one accept queue: no connection is lost)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit this (Linux): a response written in pieces (headers, then body) is not held
    # back by Nagle's algorithm until the client's delayed ACK, 40 ms later
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind((host, port))
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener


def _open_store(args):
    """The store's owner's store: remote, or embedded (in memory or on disk); raises ValueError or StoreError."""
    from ..store.embedded import EmbeddedStore
    from ..store.remote import RemoteStore, is_remote

    if is_remote(args.store):
        if args.data:
            raise ValueError("--data cannot be used with a remote store; load files with stm-kg publish")
        return RemoteStore(args.store, union_default_graph=args.union_default_graph, max_result_bytes=args.max_result_bytes)
    return EmbeddedStore(Path(args.store) if args.store else None, union_default_graph=args.union_default_graph,
                         max_result_bytes=args.max_result_bytes)


def run(args: argparse.Namespace) -> int:
    from ..config import base_uri
    from ..pipeline.sources import SourceError
    from ..serving import process
    from ..serving.supervisor import Supervisor
    from ..store.embedded import EmbeddedStore
    from ..store.gate import GatedWriter
    from ..store.interface import StoreError
    from ..store.snapshot import SnapshotStore
    from ..web import Limits, ServerConfig

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    base = args.base or base_uri()
    base = base if base.endswith("/") else base + "/"
    try:
        policy = federation_policy(args)
        store = _open_store(args)
    except (ValueError, StoreError) as error:
        print(f"stm-kg serve: {error}", file=sys.stderr)
        return 2
    embedded = isinstance(store, EmbeddedStore)
    try:
        if not embedded:
            log.info("serving the SPARQL server at %s (load it with stm-kg publish)", store.endpoints.public())
        elif store.is_empty() or not args.store:
            _load_sources(store, args, base)
        else:
            log.info("serving the existing store in %s", args.store)
        size = store.default_graph_size()
        listener = _listen(args.host, args.port)
    except (SourceError, StoreError, OSError) as error:
        print(f"stm-kg serve: {error}", file=sys.stderr)
        store.close()
        return 2
    limits = Limits(timeout=args.timeout, max_request_bytes=args.max_request_bytes)

    def make_config(view) -> ServerConfig:
        return ServerConfig(store=view, base=base, write_token=args.write_token, limits=limits, remote_policy=policy)

    def serving_main(connection, open_snapshot):
        if embedded:
            def make_view(on_overrun):
                return SnapshotStore(open_snapshot(), union_default_graph=args.union_default_graph,
                                     max_result_bytes=args.max_result_bytes, on_overrun=on_overrun)
        else:
            def make_view(on_overrun):
                return store
        process.serve(listener, connection, make_view, make_config, grace=args.timeout + 5)

    if policy.service_allow:
        log.info("SERVICE may call: %s", ", ".join(policy.service_allow))
    log.info("serving %d triples on http://%s:%d/ (SPARQL: /sparql, Graph Store: /store; %s)",
             size, args.host, args.port, "writes with token" if args.write_token else "read-only")
    follow = ("reopen" if store.path else "apply") if embedded else "none"  # how serving processes catch up
    supervisor = Supervisor(serving_main, GatedWriter(store, _validator(args)),
                            snapshot=store.prepare_snapshot if embedded else None, follow=follow,
                            processes=args.workers or 1, grace=args.timeout + 5)
    try:
        supervisor.run()
    finally:
        listener.close()
        store.close()
    return 0
