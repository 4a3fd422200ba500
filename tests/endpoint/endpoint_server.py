"""Start ``stm-kg serve`` as a real process on a free port of 127.0.0.1, for tests over real HTTP."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SAMPLE = DATA / "sample.trig"
BASE = "https://w3id.org/stm-kg/"
TOKEN = "test-token-0123456789"
DATA_GRAPH = f"{BASE}graph/data"
ONTOLOGY_GRAPH = f"{BASE}graph/ontology"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_pids(pid: int) -> list[int]:
    """Process ids of the children of ``pid`` (from /proc)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            pids.append(int(stat.parent.name))
    return pids


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS of ``pid``, PSS of ``pid`` and all its descendants) in MB. PSS counts shared pages once."""

    def value(p: int, key: str, source: str) -> float:
        try:
            for line in Path(f"/proc/{p}/{source}").read_text().splitlines():
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(child_pids(p))
    return value(pid, "VmRSS", "status"), sum(value(p, "Pss", "smaps_rollup") for p in pids)


class ServerProcess:
    """A server started as a process on 127.0.0.1, its output in ``log_path``; started, awaited and stopped.

    Subclasses (dataclasses with ``log_path``, ``port`` and ``process`` fields) say how to start it
    (:meth:`command`) and when it is ready (:meth:`ready`).
    """

    log_path: Path
    port: int
    process: subprocess.Popen | None
    started_in: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        return requests.get(f"{self.url}/health", timeout=2).status_code == 200

    def start(self, timeout: float = 60):
        """Start the process and wait until it is ready; ``started_in`` is then the seconds that took."""
        began = time.monotonic()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=getattr(self, "env", None))
        log.close()
        while time.monotonic() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server ended with {self.process.returncode}:\n{self.log()[-3000:]}")
            try:
                if self.ready():
                    self.started_in = time.monotonic() - began
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or too busy to answer yet
                pass
            time.sleep(0.02)  # fine enough for the benchmarks' start-up figure
        self.stop()
        raise RuntimeError(f"the server did not start in {timeout} s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class RunningServer(ServerProcess):
    """``stm-kg serve`` started with ``args``; its log (stdout and stderr) is written to ``log_path``."""

    args: list[str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "stm_kg.cli", "serve", "--port", str(self.port), *self.args]

    def kill(self) -> None:
        """End the server as a crash would (``kill -9``)."""
        self.stop(signal.SIGKILL)

    def children(self) -> list[int]:
        """Process ids of the server's child processes (its serving processes)."""
        return child_pids(self.process.pid)


class ServerPool:
    """Starts ``stm-kg serve`` processes with given arguments, logs in ``log_dir``, and stops them all at the end."""

    def __init__(self, log_dir: Path, prefix: str = "server"):
        self.log_dir = log_dir
        self.prefix = prefix
        self.started: list[RunningServer] = []

    def start(self, *args: str) -> RunningServer:
        server = RunningServer(list(args), self.log_dir / f"{self.prefix}-{len(self.started)}.log").start()
        self.started.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()

def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (0 when it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class FetchRecorder:
    """A web server on 127.0.0.1 that records every path asked of it (``hits``; ``calls`` with the user agent
    too) and answers ``body``: the target of tests that fail if the server under test fetches anything (FROM,
    LOAD, SERVICE, JSON-LD contexts ...), or that tell Oxigraph's own SERVICE calls (``Oxigraph/…``) from ours."""

    def __init__(self, body: bytes, content_type: str):
        hits: list[str] = []
        calls: list[tuple[str, str]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hits.append(self.path)
                calls.append((self.path, self.headers.get("User-Agent", "")))
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.hits = hits
        self.calls = calls
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
