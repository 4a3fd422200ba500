"""``stm-kg serve``: the SPARQL endpoint, the Graph Store and the query page.

Loads the compiled knowledge graph (building it first when the sources changed) into the embedded store,
plus any ``--data`` files, each in a named graph of its own, and serves it from a serving process forked
from this one, on granian's HTTP engine (see :mod:`stm_kg.serving`). With
``--store sparql+http://HOST:PORT/PATH`` the store is another SPARQL 1.1 server (loaded with ``stm-kg
publish``); ``--service-allow PREFIX`` (or ``[federation]`` in ``--config FILE``) lets SERVICE call endpoints.
"""

from __future__ import annotations

import argparse
import dataclasses
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
                             "service_timeout, service_max_rows and service_max_bytes; its [dataset] table the "
                             "catalogue's publisher, publisher_name, contact_name, contact_email, "
                             "contact_url and themes (a list of { iri, label })")
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
    parser.add_argument("--write-token-file", type=Path, metavar="FILE",
                        help="read the bearer token that enables writes from FILE (its first line); or set "
                             "STM_KG_WRITE_TOKEN; without either the server is read-only")
    parser.add_argument("--write-token", default=None,
                        help="the bearer token itself (visible to other users in the process list: prefer "
                             "STM_KG_WRITE_TOKEN or --write-token-file)")
    parser.add_argument("--timeout", type=float, default=30.0, help="time limit per query in seconds (default: %(default)s)")
    parser.add_argument("--max-request-bytes", type=int, default=10 * 1024 * 1024,
                        help="largest request body accepted (default: %(default)s)")
    parser.add_argument("--max-result-bytes", type=int, default=256 * 1024 * 1024,
                        help="largest serialised result returned (default: %(default)s)")
    parser.add_argument("--public-url", metavar="URL",
                        help="where clients reach this server (http[s]://host[:port][/prefix]): every link and "
                             "redirect uses it (default: http://HOST:PORT/ of --host and --port); the Host header "
                             "of requests is not used")
    parser.add_argument("--trust-host-header", action="store_true",
                        help="build links and redirects from each request's Host header instead of --public-url "
                             "(only behind a proxy that sets it)")
    parser.add_argument("--body-timeout", type=float, default=20.0,
                        help="seconds a request body may take to arrive (default: %(default)s; then 408)")
    parser.add_argument("--send-timeout", type=float, default=30.0,
                        help="seconds a client may take to read each part of a response (default: %(default)s; "
                             "then the connection is closed)")
    parser.add_argument("--idle-timeout", type=float, default=15.0,
                        help="seconds a connection may stay idle, or take to send a request's headers "
                             "(default: %(default)s)")
    parser.add_argument("--max-connections", type=int, default=16384,
                        help="connections each serving process serves at once (default: %(default)s, or fewer "
                             "when the open-file limit is lower); more wait to be accepted")
    parser.add_argument("--per-client", type=int, default=None,
                        help="requests one client address may have running in threads at once (default: half "
                             "of the slots); its others wait their turn")
    parser.add_argument("--queue-limit", type=int, default=256,
                        help="requests that may wait for a thread (default: %(default)s; more get 503)")
    parser.add_argument("--unsent-bytes", type=int, default=256 * 1024 * 1024,
                        help="bytes of response bodies held for clients that have not read them yet "
                             "(default: %(default)s; past it, large responses get 503)")
    parser.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                        help="do not deny query evaluation the network (for platforms without seccomp; "
                             "SERVICE and LOAD are then kept off by the request policy alone: decision 0011)")
    parser.add_argument("--workers", type=int, default=1,
                        help="serving processes (default: %(default)s; one uses every CPU, since queries run on "
                             "threads; each process ends up with a private copy of the in-memory store's pages)")
    parser.set_defaults(func=run)


def data_graph_name(base: str, path: Path) -> str:
    """The named graph of a ``--data`` file: ``{base}graph/file/{file name}``."""
    from urllib.parse import quote

    return f"{base}graph/file/{quote(path.name)}"


def _load_sources(store, args, base: str) -> Path | None:
    """Load the bundled graph and the ``--data`` files; the build's dumps folder when that is all the store holds."""
    from ..pipeline.compile import DUMPS_NAME
    from ..pipeline.sources import SourceError, rdf_format

    dumps = None
    if args.bundled:
        from ..pipeline.compile import ensure_built

        compiled = ensure_built(base)
        log.info("loading %s", compiled)
        store.load_file(compiled, ox.RdfFormat.TRIG, None)
        dumps = None if args.data else compiled.parent / DUMPS_NAME
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
    return dumps


def config_table(args, name: str) -> dict:
    """The table ``name`` of the ``--config`` TOML file (empty without one); ValueError when it is unreadable."""
    import tomllib

    if not args.config:
        return {}
    try:
        table = tomllib.loads(args.config.read_text(encoding="utf-8")).get(name, {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{args.config}: {error}") from None
    if not isinstance(table, dict):
        raise ValueError(f"{args.config}: [{name}] must be a table")
    return table


def dataset_settings(args):
    """Publisher, contact point and themes of the catalogue, from ``[dataset]`` of ``--config``."""
    from ..web.linked_data.dataset import DatasetSettings

    table = config_table(args, "dataset")
    try:
        return DatasetSettings.from_table(table)
    except ValueError as error:
        raise ValueError(f"{args.config}: {error}") from None


def federation_policy(args):
    """The SERVICE allowlist and limits from ``--config`` and the ``--service-*`` options (options win)."""
    from ..sparql.federation import ServiceLimits
    from ..sparql.safety import RemoteAccessPolicy

    settings = config_table(args, "federation")
    allow = tuple(dict.fromkeys([*settings.get("service_allow", []), *args.service_allow]))
    defaults = ServiceLimits()
    limits = ServiceLimits(
        timeout=min(float(args.service_timeout or settings.get("service_timeout", defaults.timeout)), args.timeout),
        max_rows=int(args.service_max_rows or settings.get("service_max_rows", defaults.max_rows)),
        max_bytes=int(args.service_max_bytes or settings.get("service_max_bytes", defaults.max_bytes)),
    )
    return RemoteAccessPolicy(service_allow=allow, service_limits=limits)


def write_token(args) -> str | None:
    """The write token: ``--write-token-file``, else ``--write-token``, else ``STM_KG_WRITE_TOKEN``; ``None``:
    read-only. Raises ValueError for an unreadable or empty file."""
    if args.write_token_file is not None:
        try:
            lines = args.write_token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read the write token from {args.write_token_file}: {error}") from None
        token = lines[0].strip() if lines else ""
        if not token:
            raise ValueError(f"{args.write_token_file} holds no write token (its first line is empty)")
        return token
    return args.write_token or os.environ.get("STM_KG_WRITE_TOKEN") or None


def serving_settings(args, timeout_grace: float):
    """The serving processes' settings from the options: the front's limits, the public address, the sandbox."""
    from ..serving.admission import AdmissionLimits
    from ..serving.front import FrontLimits
    from ..serving.process import ServingSettings
    from ..serving.wsgi_bridge import PublicAddress

    admission = AdmissionLimits.for_cpus(os.cpu_count() or 2)
    if args.per_client is not None:
        admission = AdmissionLimits(slots=admission.slots, per_client=args.per_client,
                                    long_after=admission.long_after, max_running=admission.max_running,
                                    queue_limit=args.queue_limit, queue_timeout=admission.queue_timeout)
    else:
        admission = AdmissionLimits(slots=admission.slots, per_client=admission.per_client,
                                    long_after=admission.long_after, max_running=admission.max_running,
                                    queue_limit=args.queue_limit, queue_timeout=admission.queue_timeout)
    front = FrontLimits(max_body_bytes=args.max_request_bytes, body_timeout=args.body_timeout,
                        send_timeout=args.send_timeout, unsent_bytes=args.unsent_bytes, admission=admission)
    if args.trust_host_header:
        public = None
    elif args.public_url:
        public = PublicAddress.parse(args.public_url)
    else:
        host = args.host if args.host not in ("0.0.0.0", "::", "") else "localhost"
        host = f"[{host}]" if ":" in host else host
        public = PublicAddress("http", f"{host}:{args.port}")
    return ServingSettings(front=front, public=public, max_connections=args.max_connections,
                           header_timeout=args.idle_timeout, grace=timeout_grace, sandbox=args.sandbox)


def _validator(args):
    from ..store.shacl import project_validator

    return project_validator if (args.token and args.validate_writes) else None


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
    from ..sparql.federation import fetch
    from ..store.embedded import EmbeddedStore
    from ..store.gate import GatedWriter
    from ..store.interface import StoreError
    from ..store.sandbox import SandboxUnavailable
    from ..store.snapshot import SnapshotStore
    from ..web import Limits, ServerConfig
    from ..web.linked_data.dumps import Publication, PublishingWriter

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    base = args.base or base_uri()
    base = base if base.endswith("/") else base + "/"
    try:
        args.token = write_token(args)
        policy = federation_policy(args)
        settings = serving_settings(args, args.timeout + 5)
        dataset = dataset_settings(args)
        if args.sandbox:
            from ..store import sandbox

            sandbox.check()
            sandbox.enable()
        store = _open_store(args)
    except (ValueError, StoreError, SandboxUnavailable) as error:
        print(f"stm-kg serve: {error}", file=sys.stderr)
        return 2
    embedded = isinstance(store, EmbeddedStore)
    if not embedded:  # serving processes reach the remote store over the network; Oxigraph evaluates nothing there
        settings = dataclasses.replace(settings, sandbox=False)
    publication = Publication.temporary(base, dumps=embedded)  # the generations of /dataset (decision 0013)
    try:
        build_dumps = None
        if not embedded:
            log.info("serving the SPARQL server at %s (load it with stm-kg publish)", store.endpoints.public())
        elif store.is_empty() or not args.store:
            build_dumps = _load_sources(store, args, base)
        else:
            log.info("serving the existing store in %s", args.store)
        publication.publish(store, dumps_of_store=build_dumps)
        size = store.default_graph_size()
        listener = _listen(args.host, args.port)
    except (SourceError, StoreError, OSError) as error:
        print(f"stm-kg serve: {error}", file=sys.stderr)
        store.close()
        publication.close()
        return 2
    limits = Limits(timeout=args.timeout, max_request_bytes=args.max_request_bytes)

    def make_config(view, fetcher=None) -> ServerConfig:
        view_policy = dataclasses.replace(policy, fetcher=fetcher) if fetcher else policy
        return ServerConfig(store=view, base=base, write_token=args.token, limits=limits, remote_policy=view_policy,
                            dataset=dataset, publication=publication)

    def serving_main(connection, open_snapshot):
        if embedded:
            def make_view(on_overrun):
                return SnapshotStore(open_snapshot(), union_default_graph=args.union_default_graph,
                                     max_result_bytes=args.max_result_bytes, on_overrun=on_overrun)
        else:
            def make_view(on_overrun):
                return store
        process.serve(listener, connection, make_view, make_config, settings)

    if policy.service_allow:
        log.info("SERVICE may call: %s", ", ".join(policy.service_allow))
    log.info("serving %d triples on http://%s:%d/ (SPARQL: /sparql, Graph Store: /store; %s)",
             size, args.host, args.port, "writes with token" if args.token else "read-only")
    if settings.public is not None:
        log.info("links and redirects use %s", settings.public.url)
    if not args.sandbox:
        log.warning("--no-sandbox: query evaluation may reach the network; only the request policy keeps "
                    "SERVICE and LOAD off")
    follow = ("reopen" if store.path else "apply") if embedded else "none"  # how serving processes catch up
    supervisor = Supervisor(serving_main, PublishingWriter(GatedWriter(store, _validator(args)), publication, store),
                            snapshot=store.prepare_snapshot if embedded else None, follow=follow,
                            processes=args.workers or 1, grace=args.timeout + 5,
                            fetch=fetch if policy.service_allow and settings.sandbox else None)
    try:
        supervisor.run()
    finally:
        listener.close()
        store.close()
        publication.close()
    return 0
