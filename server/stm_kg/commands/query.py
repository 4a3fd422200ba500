"""``stm-kg query``: run a named query of ``queries/`` from the command line.

    stm-kg query --list
    stm-kg query leden-overleg --body id:overleg/strategisch-overleg-mensenhandel
    stm-kg query geld-per-jaar --from 2024 --to 2026 --format csv
    stm-kg query --check                       # every query's #+ expect: lines against the built graph

Parameters are ``--NAME VALUE`` (or ``--NAME=VALUE``, or ``-p NAME=VALUE``). Exit codes: 0 success, 1 a
``--check`` failed, 2 bad usage: an unknown query, or a missing, unknown or mistyped parameter.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import QUERIES_DIR
from ..queries import Catalogue, ParameterError, QueryFileError, UnknownQuery, run


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "query",
        help="run a named query of queries/ (stm-kg query --list shows them)",
        description="Run a named query of queries/ against the built knowledge graph. Parameters are given "
        "as --NAME VALUE; stm-kg query NAME --help-params lists them.",
    )
    parser.add_argument("name", nargs="?", help="the query (file name without .rq)")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="--NAME VALUE parameters (and the options below)")
    parser.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    parser.add_argument("--check", action="store_true", help="check every query's '#+ expect:' lines")
    parser.add_argument("--help-params", action="store_true", help="describe the parameters of NAME")
    parser.add_argument(
        "--format", choices=("table", "json", "records", "csv", "tsv", "xml"), default="table",
        help="table (default), a SPARQL results format (json, csv, tsv, xml) or records (a plain JSON list)",
    )
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter")
    parser.add_argument("--data", type=Path, help="a compiled TriG file (default: build it when needed)")
    parser.add_argument("--queries", type=Path, default=QUERIES_DIR, help="the folder of .rq files")
    parser.add_argument("--base", help="URI base (default: $STM_KG_BASE or the canonical base)")
    parser.set_defaults(func=run_command)


def _options_parser() -> argparse.ArgumentParser:
    """The options that may also come after NAME, among the query parameters."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--format", choices=("table", "json", "records", "csv", "tsv", "xml"))
    parser.add_argument("--data", type=Path)
    parser.add_argument("--base")
    parser.add_argument("--help-params", action="store_true", default=None)
    parser.add_argument("-p", "--param", action="append")
    return parser


def _fail(message: str) -> int:
    print(f"stm-kg query: {message}", file=sys.stderr)
    return 2


def _split_params(args, extra: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep:
            raise ParameterError(f"-p expects NAME=VALUE, got {item!r}")
        params[name] = value
    i = 0
    while i < len(extra):
        token = extra[i]
        if not token.startswith("--") or len(token) < 3:
            raise ParameterError(f"unexpected argument {token!r} (parameters are --NAME VALUE)")
        name, sep, value = token[2:].partition("=")
        if not sep:
            if i + 1 >= len(extra):
                raise ParameterError(f"--{name} needs a value", name)
            value = extra[i + 1]
            i += 1
        params[name.replace("-", "_")] = value
        i += 1
    return params


def run_command(args) -> int:
    try:
        later, extra = _options_parser().parse_known_args(args.rest or [])
    except SystemExit:
        return 2
    for key, value in vars(later).items():
        if value is not None:
            setattr(args, key, args.param + value if key == "param" else value)
    try:
        catalogue = Catalogue.load(args.queries, base=args.base)
    except QueryFileError as error:
        return _fail(str(error))
    if args.list:
        _list(catalogue)
        return 0
    data = args.data
    if data is None:
        from ..pipeline.compile import ensure_built

        data = ensure_built(base=args.base)
    if args.check:
        return _check(catalogue, data)
    if not args.name:
        return _fail("name a query, or use --list")
    try:
        query = catalogue[args.name]
    except UnknownQuery as error:
        return _fail(f"{error}; stm-kg query --list shows them")
    if args.help_params:
        _describe(query)
        return 0
    try:
        result = run(query, data, _split_params(args, extra))
    except ParameterError as error:
        return _fail(f"{error}\n{_usage(query)}")
    except (OSError, SyntaxError, RuntimeError) as error:
        print(f"stm-kg query: the query failed: {error}", file=sys.stderr)
        return 1
    if args.format == "records":
        print(json.dumps(result.boolean if result.boolean is not None else result.records(), indent=2, ensure_ascii=False))
    elif args.format != "table":
        sys.stdout.write(result.serialize(args.format).decode("utf-8"))
        if args.format in ("json", "xml"):
            sys.stdout.write("\n")
    elif result.boolean is not None:
        print("true" if result.boolean else "false")
    else:
        _table(result.variables, [[_short(row.get(v), catalogue.base) for v in result.variables] for row in result.rows])
        print(f"({len(result.rows)} rows)")
    return 0


def _short(term, base: str) -> str:
    if term is None:
        return ""
    value = term.value
    return "id:" + value[len(base) + 3:] if value.startswith(base + "id/") else value


def _table(header: list[str], rows: list[list[str]], limit: int = 60) -> None:
    cells = [[c if len(c) <= limit else c[: limit - 1] + "…" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def _usage(query) -> str:
    if not query.parameters:
        return f"query '{query.name}' takes no parameters"
    return "parameters: " + " ".join(
        f"--{p.name} {p.type.name.upper()}" + ("" if p.required else f" (optional{', default ' + p.default if p.default else ''})")
        for p in query.parameters
    )


def _describe(query) -> None:
    print(f"{query.name}: {query.title}\n  {query.title_en}\n")
    for p in query.parameters:
        state = "required" if p.required else ("default " + p.default if p.default else "optional")
        print(f"  --{p.name} {p.type.name} ({state}): {p.description} / {p.description_en}")
    if not query.parameters:
        print("  (no parameters)")


def _list(catalogue: Catalogue) -> None:
    rows = [
        [q.name, q.title + (" [federated]" if q.federated else ""), " ".join(f"--{p.name}" for p in q.parameters)]
        for q in catalogue.values()
    ]
    _table(["name", "title", "parameters"], rows, limit=90)


def _check(catalogue: Catalogue, data) -> int:
    from ..queries.expectations import check, parse

    failed = 0
    for query in catalogue.local():
        for expectation in parse(query):
            try:
                problems = check(expectation, run(query, data, expectation.given), catalogue.base)
            except ParameterError as error:
                problems = [str(error)]
            if problems:
                failed += 1
                print(f"FAIL {query.name} {expectation}: {'; '.join(problems)}")
    print(f"{'all expectations met' if not failed else f'{failed} expectations failed'} ({len(catalogue.local())} queries)")
    return 1 if failed else 0
