"""The second wall (stm_kg.store.sandbox): where query evaluation runs, Oxigraph cannot reach the network,
whatever the request policy lets through. Shown by bypassing the policy: pyoxigraph is asked directly."""

from __future__ import annotations

import multiprocessing
import socket
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from endpoint_server import RunningServer, child_pids
from stm_kg.store import sandbox

pytestmark = pytest.mark.skipif(not sandbox.AVAILABLE, reason="no seccomp (libseccomp) on this platform")


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def _service_query(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


def _in_a_sandboxed_process(port: int, queue) -> None:
    sandbox.deny_network_everywhere()
    try:
        list(ox.Store().query(_service_query(port)))
        queue.put("answered")
    except Exception as error:  # noqa: BLE001 - what Oxigraph made of the refused socket
        queue.put(f"{type(error).__name__}: {error}")


def test_oxigraph_cannot_call_a_service_from_a_sandboxed_process():
    listener = Listener()
    control = ox.Store()
    with pytest.raises(Exception):
        list(control.query(_service_query(listener.port)))  # unfiltered, Oxigraph does connect: the control
    assert listener.connections == 1
    queue = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=_in_a_sandboxed_process, args=(listener.port, queue))
    process.start()
    outcome = queue.get(timeout=30)
    process.join(30)
    assert outcome != "answered" and listener.connections == 1, outcome


def test_a_thread_that_denies_itself_the_network_leaves_the_others_theirs():
    outcome: list = []

    def filtered():
        sandbox._load(every_thread=False)
        outcome.append(sandbox.network_denied())

    thread = threading.Thread(target=filtered)
    thread.start()
    thread.join()
    assert outcome == [True]
    assert not sandbox.network_denied()  # this thread: untouched


def test_serving_processes_are_filtered_and_the_owner_is_not(tmp_path):
    server = RunningServer(["--no-bundled"], tmp_path / "server.log").start()
    try:
        children = child_pids(server.process.pid)
        assert children
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            assert "Seccomp:\t2" in status, status  # mode 2: a filter is loaded
        assert "Seccomp:\t0" in Path(f"/proc/{server.process.pid}/status").read_text()
    finally:
        server.stop()
