"""``stm-kg stats``: what the knowledge graph holds, counted per graph, module, class and source document."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from ..config import BUILD_DIR
from ..pipeline.compile import ensure_built, read_info
from ..pipeline.sources import SourceError
from ..pipeline.stats import compute_stats, load_compiled


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="count triples per graph and module, entities per class and facts per source document",
        description="Count what the compiled knowledge graph holds (building it first when needed).",
    )
    parser.add_argument("--base", help="URI base (default: $STM_KG_BASE or the canonical base)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args) -> int:
    try:
        path = ensure_built(base=args.base)
    except SourceError as error:
        print(f"stm-kg stats: {error}", file=sys.stderr)
        return 2
    stats = compute_stats(load_compiled(path), read_info(BUILD_DIR))
    if args.format == "json":
        print(json.dumps(asdict(stats), indent=2, ensure_ascii=False))
        return 0
    _table("Triples per named graph", ("graph", "triples"), stats.graphs.items())
    _table("Triples per module", ("module", "triples"), stats.modules.items())
    _table("Entities per class (asserted and inferred)", ("class", "entities"), stats.classes)
    _table(
        "Per source document",
        ("source", "title", "entities", "quotes"),
        stats.sources,
    )
    return 0


def _table(title: str, header: tuple[str, ...], rows) -> None:
    rows = [tuple(str(cell) for cell in row) for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(cell.rjust(w) if cell.isdigit() else cell.ljust(w) for cell, w in zip(row, widths)))
