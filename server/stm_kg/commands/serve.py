"""``stm-kg serve``: the SPARQL endpoint, the Graph Store and the query page, on a production WSGI server.

Loads the compiled knowledge graph (building it first when the sources changed) into the embedded store,
plus any ``--data`` files, each in a named graph of its own, and serves it with waitress. With
``--store sparql+http://HOST:PORT/PATH`` the store is another SPARQL 1.1 server (loaded with ``stm-kg
publish``); ``--service-allow PREFIX`` (or ``[federation]`` in ``--config FILE``) lets SERVICE call endpoints.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger("stm_kg.serve")

#: Threads of the WSGI server per query worker process: most threads wait on a worker (see decision 0003).
THREADS_PER_WORKER = 4

#: Above this many triples an in-memory store gets one query worker unless ``--workers`` says otherwise: a forked
#: worker dirties its copy-on-write copy of the store by reading it, so memory is ~(1 + workers) x the store
#: (1M triples: 1.1 GB PSS with 2 workers, 0.78-0.91 GB with 1; docs/performance.md).
LARGE_IN_MEMORY = 500_000


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
    parser.add_argument("--workers", type=int, default=None,
                        help=f"query worker processes (default: the number of CPUs, {os.cpu_count() or 2}; "
                             f"1 for an in-memory store of more than {LARGE_IN_MEMORY:,} triples, whose every "
                             f"worker ends up with a private copy of the store)")
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


def run(args: argparse.Namespace) -> int:
    import waitress

    from ..config import base_uri
    from ..pipeline.sources import SourceError
    from ..store.interface import StoreError
    from ..store.embedded import EmbeddedStore
    from ..store.remote import RemoteStore, is_remote
    from ..web import Limits, ServerConfig, create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    base = args.base or base_uri()
    base = base if base.endswith("/") else base + "/"
    try:
        policy = federation_policy(args)
    except ValueError as error:
        print(f"stm-kg serve: {error}", file=sys.stderr)
        return 2
    remote = is_remote(args.store)
    if remote:
        if args.data:
            print("stm-kg serve: --data cannot be used with a remote store; load files with stm-kg publish", file=sys.stderr)
            return 2
        try:
            store = RemoteStore(args.store, union_default_graph=args.union_default_graph,
                                max_result_bytes=args.max_result_bytes)
        except ValueError as error:
            print(f"stm-kg serve: {error}", file=sys.stderr)
            return 2
    else:
        store = EmbeddedStore(Path(args.store) if args.store else None, union_default_graph=args.union_default_graph,
                              workers=args.workers or os.cpu_count() or 2, max_result_bytes=args.max_result_bytes)
    try:
        if remote:
            log.info("serving the SPARQL server at %s (load it with stm-kg publish)", store.endpoints.public())
        elif store.is_empty() or not args.store:
            _load_sources(store, args, base)
        else:
            log.info("serving the existing store in %s", args.store)
        config = ServerConfig(
            store=store, base=base, write_token=args.write_token, validator=_validator(args),
            limits=Limits(timeout=args.timeout, max_request_bytes=args.max_request_bytes),
            remote_policy=policy,
        )
        if policy.service_allow:
            log.info("SERVICE may call: %s", ", ".join(policy.service_allow))
        app = create_app(config)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            size = store.default_graph_size()
        except StoreError as error:
            print(f"stm-kg serve: {error}", file=sys.stderr)
            return 2
        if args.workers is None and not remote and not args.store and size > LARGE_IN_MEMORY:
            store.query_workers = 1
            log.info("one query worker: an in-memory store of more than %d triples (set --workers to change)",
                     LARGE_IN_MEMORY)
        log.info("serving %d triples on http://%s:%d/ (SPARQL: /sparql, Graph Store: /store; %s)",
                 size, args.host, args.port, "writes with token" if args.write_token else "read-only")
        threads = (args.workers or os.cpu_count() or 2) * THREADS_PER_WORKER
        waitress.serve(app, host=args.host, port=args.port, threads=threads,
                       ident="stm-kg", max_request_body_size=args.max_request_bytes + 1024 * 1024)
    except SourceError as error:
        print(f"stm-kg serve: {error}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0
