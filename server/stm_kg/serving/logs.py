"""The access log of a serving process, written in batches by a thread of its own.

Logging a line as its request ends is a system call, and waking a writer thread for every line costs as much:
either way the request's thread lets go of the GIL and queues for it again behind the others. Logged at once,
the access-log line cut lookup throughput by a quarter (docs/performance.md). So requests only queue the
line's fields (:func:`stm_kg.web.access_log.defer_lines`) and this thread logs what has queued up every
:data:`INTERVAL` seconds, each line with its own time. Other log messages (rare) are written at once.
"""

from __future__ import annotations

import queue
import threading

from ..web.access_log import defer_lines, write_line

#: Seconds between two batches: how late a line may appear in the log.
INTERVAL = 0.05


class BatchWriter:
    """Writes the deferred access-log lines in batches; :meth:`stop` writes what is left."""

    def __init__(self) -> None:
        self._lines = defer_lines()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="access-log", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(INTERVAL):
            self._write_queued()
        self._write_queued()

    def _write_queued(self) -> None:
        while True:
            try:
                write_line(self._lines.get_nowait())
            except queue.Empty:
                return

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
