"""``stm-kg validate FILE...``: check RDF files against the stm-kg shapes and print what to fix.

Exit codes: 0 the data conforms (warnings and infos allowed), 1 there are violations, 2 an input could not be
read (the message names file, line and column). A progress line appears on stderr for inputs that take more
than a couple of seconds.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from ..pipeline.sources import SourceError
from ..pipeline.validation import validate_files
from ..pipeline.validation_report import FORMATS, LANGUAGES, render


class Progress:
    """A quiet progress line on stderr: silent for the first ``delay`` seconds, then the stage and elapsed time.

    On a terminal the line is redrawn in place every second; elsewhere (CI logs) each stage is printed once.
    """

    def __init__(self, stream=None, delay: float = 2.0):
        self.stream, self.delay = stream or sys.stderr, delay
        self.started = time.monotonic()
        self.stage = "starting"
        self.printed: str | None = None
        self.tty = self.stream.isatty()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        if self.printed is not None and self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def _run(self) -> None:
        while not self._stop.wait(0.5 if self.tty else 0.25):
            elapsed = time.monotonic() - self.started
            if elapsed < self.delay:
                continue
            if self.tty:
                self.stream.write(f"\r\033[K[stm-kg] {self.stage} … {elapsed:.0f} s")
            elif self.printed != self.stage:
                self.stream.write(f"[stm-kg] {self.stage} … ({elapsed:.0f} s)\n")
            else:
                continue
            self.printed = self.stage
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    try:
        with Progress() as progress:
            outcome = validate_files(args.files, on_stage=progress)
    except SourceError as error:
        print(f"stm-kg validate: {error}", file=sys.stderr)
        return 2
    for path in outcome.files:
        if path.stat().st_size == 0:
            print(f"stm-kg validate: {path}: the file is empty (no triples)", file=sys.stderr)
    sys.stdout.write(render(outcome, args.format, args.lang))
    return 0 if outcome.conforms else 1


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check RDF files against the stm-kg shapes",
        description="Check RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) together against the "
        "stm-kg SHACL shapes, with the ontology. Exit 0 conforms, 1 violations, 2 unreadable input.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="RDF file(s); the type follows the file suffix")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument("--lang", choices=LANGUAGES, default="both", help="language of messages (default: both)")
    parser.set_defaults(func=run)
