"""Servers for the federation tests, all on 127.0.0.1: the Oxigraph server, stm-kg, and misbehaving peers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "endpoint"))

from endpoint_server import RunningServer, ServerPool, ServerProcess, free_port  # noqa: E402

TOOI_SAMPLE = HERE / "data" / "tooi-sample.ttl"

#: Seconds a SERVICE call may take in the servers under test (short, so that the slow cases stay fast).
SERVICE_TIMEOUT = 2.0


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of PyPI's ``oxigraph`` package (next to this Python, or on PATH)."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@dataclass
class OxigraphServer(ServerProcess):
    """``oxigraph serve`` on a free port, with its data in ``location``."""

    location: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def query(self) -> str:
        return f"{self.url}/query"

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    @property
    def spec(self) -> str:
        """The address of this server as an stm-kg store."""
        return f"sparql+http://127.0.0.1:{self.port}/query?gsp=/store"

    def command(self) -> list[str]:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph command is not installed (pip install oxigraph)")
        return [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]

    def ready(self) -> bool:
        requests.get(self.query, params={"query": "ASK {}"}, timeout=2)
        return True

    def load(self, path: Path, graph: str | None = None) -> None:
        params = {"graph": graph} if graph else {"default": ""}
        response = requests.post(self.store, params=params, data=path.read_bytes(),
                                 headers={"Content-Type": "text/turtle"}, timeout=30)
        response.raise_for_status()

class RecordingListener:
    """A TCP listener on 127.0.0.1 that records every connection and answers according to ``mode``.

    ``silent``: accepts and never answers; ``garbage``: answers HTTP 200 with a body that is not SPARQL
    results; ``refuse`` (no listener at all) is a port where nothing listens: use :func:`free_port`.
    """

    def __init__(self, mode: str):
        self.mode = mode
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._open: list[socket.socket] = []
        self._stopped = False
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _serve(self) -> None:
        while not self._stopped:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            if self.mode == "silent":
                self._open.append(conn)  # keep it open, say nothing
                continue
            try:
                conn.settimeout(2)
                conn.recv(65536)
                body = b"<html>this is not a SPARQL result \x00\xff</html>"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stopped = True
        self._sock.close()
        for conn in self._open:
            conn.close()


__all__ = ["OxigraphServer", "RecordingListener", "RunningServer", "ServerPool", "free_port", "oxigraph_binary", "TOOI_SAMPLE"]


#: Graphs a fresh Virtuoso holds for itself; left out of the union (``exclude-graph`` of the store address).
VIRTUOSO_SYSTEM_GRAPHS = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp", "http://www.w3.org/2002/07/owl",
                          "http://localhost:", "http://127.0.0.1:")


@dataclass
class VirtuosoServer:
    """Virtuoso Open Source (Debian ``virtuoso-opensource``) in ``folder``, on free ports of 127.0.0.1."""

    folder: Path
    http_port: int = field(default_factory=free_port)
    sql_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def spec(self) -> str:
        excluded = "".join(f"&exclude-graph={g}" for g in VIRTUOSO_SYSTEM_GRAPHS)
        return f"sparql+http://127.0.0.1:{self.http_port}/sparql?gsp=/sparql-graph-crud{excluded}"

    def start(self, timeout: float = 60) -> "VirtuosoServer":
        import re

        template = Path("/etc/virtuoso-opensource-7/virtuoso.ini").read_text()
        ini = template.replace("/var/lib/virtuoso-opensource-7/db/", f"{self.folder}/")
        ini = re.sub(r"(\[Parameters\][^\[]*?ServerPort\s*=\s*)\S+", rf"\g<1>127.0.0.1:{self.sql_port}", ini, flags=re.S)
        ini = re.sub(r"(\[HTTPServer\][^\[]*?ServerPort\s*=\s*)\S+", rf"\g<1>127.0.0.1:{self.http_port}", ini, flags=re.S)
        ini = re.sub(r"NumberOfBuffers\s*=\s*\d+", "NumberOfBuffers = 2000", ini)
        ini = re.sub(r"MaxDirtyBuffers\s*=\s*\d+", "MaxDirtyBuffers = 1500", ini)
        # Virtuoso cuts every SPARQL result at ResultSetMaxRows (10000) WITHOUT an error: stm-kg needs whole results
        ini = re.sub(r"ResultSetMaxRows\s*=\s*\d+", "ResultSetMaxRows = 10000000", ini)
        (self.folder / "virtuoso.ini").write_text(ini)
        log = open(self.folder / "out.log", "ab")
        self.process = subprocess.Popen([shutil.which("virtuoso-t"), "+configfile", str(self.folder / "virtuoso.ini"), "+foreground"],
                                        cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso ended with {self.process.returncode}: {(self.folder / 'out.log').read_text()[-2000:]}")
            try:
                if requests.get(self.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("virtuoso did not start")
        # the anonymous SPARQL user may update, and read and write through the Graph Store endpoint
        grants = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        result = subprocess.run([shutil.which("isql-vt"), f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={grants}"],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0 or "Error" in result.stdout:
            raise RuntimeError(f"cannot grant update rights: {result.stdout} {result.stderr}")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot be started here (None when it can)."""
    for command in ("virtuoso-t", "isql-vt"):
        if shutil.which(command) is None:
            return f"{command} is not installed (Debian package virtuoso-opensource)"
    if not Path("/etc/virtuoso-opensource-7/virtuoso.ini").exists():
        return "/etc/virtuoso-opensource-7/virtuoso.ini (the template of the test's configuration) is missing"
    return None
