"""``stm-kg links check``: every external link (linksets and identifiers/pages in the data) with its check.

Exit codes: 0 all checks pass, 1 a link or a linkset fails its check, 2 a file cannot be read.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from ..config import CANONICAL_BASE, DATA_DIR

_SHORT = {
    f"{CANONICAL_BASE}id/": "id:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "links",
        help="list and check the external links (linksets in data/links/, identifiers and pages in data/)",
        description=__doc__.splitlines()[0],
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="list every external link with its pattern check; exit 1 on a failure")
    check.add_argument("--data-dir", type=Path, default=DATA_DIR, help="the data folder (default: %(default)s)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--failed", action="store_true", help="list only the failed checks")
    check.set_defaults(func=run_check)


def _short(iri: str) -> str:
    for long, short in _SHORT.items():
        if iri.startswith(long):
            return short + iri[len(long):]
    return iri


def run_check(args) -> int:
    from ..pipeline.links import check_links
    from ..pipeline.sources import SourceError

    try:
        report = check_links(args.data_dir)
    except SourceError as error:
        print(f"stm-kg links check: {error}", file=sys.stderr)
        return 2
    checks = report.failed if args.failed else report.checks
    if args.format == "json":
        print(json.dumps({"ok": report.ok, "linksets": [asdict(ls) for ls in report.linksets],
                          "checks": [asdict(c) for c in checks]}, indent=2, ensure_ascii=False))
        return 0 if report.ok else 1
    print("Linksets")
    for linkset in report.linksets:
        state = "FAIL" if linkset.problems else "ok"
        predicates = ", ".join(_short(p) for p in linkset.predicates)
        print(f"  {state:4}  {linkset.name:24} {linkset.links:3} links ({predicates}); void:triples {linkset.declared_triples}"
              f"  [{linkset.source}]")
        for problem in linkset.problems:
            print(f"        - {problem}")
    print("\nExternal links and identifiers")
    for check in checks:
        where = f"linkset {check.linkset}" if check.linkset else check.source
        value = check.value if check.predicate.endswith("identifier") else f"<{check.value}>"
        print(f"  {check.status.upper():9} {check.kind:13} {_short(check.subject)} {_short(check.predicate)} {value}")
        print(f"            {check.message}  [{where}]")
    counts = {status: sum(1 for c in report.checks if c.status == status) for status in ("ok", "fail", "unchecked")}
    total_links = sum(ls.links for ls in report.linksets)
    print(f"\n{len(report.linksets)} linksets with {total_links} links; {len(report.checks)} links and identifiers: "
          f"{counts['ok']} ok, {counts['fail']} failed, {counts['unchecked']} without a known pattern")
    return 0 if report.ok else 1
