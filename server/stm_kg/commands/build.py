"""``stm-kg build``: compile ontology/ and data/ into the dataset the endpoint serves."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..config import BUILD_DIR, DATA_DIR, ONTOLOGY_DIR
from ..pipeline.compile import build, print_progress
from ..pipeline.sources import SourceError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build",
        help="compile the knowledge graph (data, ontology, OWL RL inferences) into build/stm-kg.trig",
        description="Read ontology/ and data/, compute the OWL 2 RL closure with owlrl and write the compiled "
        "dataset: data, ontology and inferred triples each in a named graph of their own (TriG).",
    )
    parser.add_argument("--out", type=Path, default=BUILD_DIR, help="output folder (default: %(default)s; build/ in a checkout, the user cache folder when installed)")
    parser.add_argument("--base", help="URI base to publish under (default: $STM_KG_BASE or the canonical base)")
    parser.add_argument("--ontology", type=Path, default=ONTOLOGY_DIR, help="ontology folder (default: %(default)s)")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    parser.set_defaults(func=run)


def run(args) -> int:
    started = time.perf_counter()
    try:
        info = build(
            out_dir=args.out,
            base=args.base,
            ontology_dir=args.ontology,
            data_dir=args.data,
            progress=None if args.quiet else print_progress,
        )
    except SourceError as error:
        print(f"stm-kg build: {error}", file=sys.stderr)
        return 2
    total = sum(info.graphs.values())
    print(
        f"built {args.out / 'stm-kg.trig'}: {total:,} quads in {len(info.graphs)} graphs "
        f"({', '.join(f'{name.rsplit(chr(47), 1)[-1]} {count:,}' for name, count in info.graphs.items())}) "
        f"in {time.perf_counter() - started:.2f} s"
    )
    return 0
