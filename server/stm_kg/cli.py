"""The ``stm-kg`` command line: a thin shell over the pipeline, the store and the web app.

Subcommands live in :mod:`stm_kg.commands`, one module each; this module only finds them and dispatches.
Exit codes: 0 success, 1 the work found problems (e.g. validation violations), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stm-kg",
        description="The linked-data knowledge graph of the programme Samen tegen mensenhandel.",
    )
    parser.add_argument("--version", action="version", version=f"stm-kg {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
