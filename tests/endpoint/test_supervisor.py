"""The owner's message loop (stm_kg.serving.supervisor), with stand-ins for serving processes on real pipes."""

from __future__ import annotations

import multiprocessing
import threading
import time

from stm_kg.serving.supervisor import Supervisor, _Child
from stm_kg.store.changes import SparqlUpdate
from stm_kg.store.embedded import Snapshot


class StandIn:
    """What the supervisor sees of a forked process: alive until told otherwise."""

    def __init__(self, pid: int):
        self.pid = pid
        self.exitcode = None
        self.alive = True

    def is_alive(self) -> bool:
        return self.alive

    def join(self, timeout=None) -> None:
        pass

    def kill(self) -> None:
        self.alive = False
        self.exitcode = -9


class Writes:
    def __init__(self):
        self.applied = []

    def write(self, change):
        self.applied.append(change)
        return change


def answering(connection, log: list, process: StandIn) -> threading.Thread:
    """A serving process's pipe end that answers every update with ``caught-up``, records what it got, and
    "exits" when told to drain."""

    def run():
        while True:
            try:
                message = connection.recv()
            except EOFError:
                return
            log.append(message[0])
            if message[0] == "apply":
                connection.send(("caught-up", None))
            elif message[0] == "drain":
                process.alive = False
                process.exitcode = 0

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_message_read_while_waiting_for_a_catch_up_is_handled_later_and_nothing_blocks():
    """Two serving processes have a message waiting: a write, and a 'ready'. Handling the write makes the owner
    read the other pipe while it waits for the catch-up (it gets 'ready' there and keeps it for later); the
    loop must then not read that pipe again as if it still had a message (it blocked for good, found by a
    stress run with writes and runaway queries at once)."""
    writes = Writes()
    supervisor = Supervisor(lambda *_: None, writes, snapshot=None, follow="apply")
    snapshot = Snapshot(lambda: None, lambda: None, None)
    ends, logs = [], []
    for pid in (101, 102):
        ours, theirs = multiprocessing.Pipe()
        supervisor._children.append(_Child(StandIn(pid), ours, snapshot))
        ends.append(theirs)
        logs.append([])
    writer, other = ends
    other.send(("ready",))  # waiting before the write arrives: both pipes are readable at once
    writer.send(("write", 7, SparqlUpdate('INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }')))
    stand_ins = [answering(end, log, child.process) for end, log, child in zip(ends, logs, supervisor._children)]

    try:
        stepped = threading.Thread(target=supervisor._step, kwargs={"timeout": 1.0}, daemon=True)
        stepped.start()
        stepped.join(10)
        assert not stepped.is_alive(), "the owner's loop blocked reading a pipe it had already drained"
        assert len(writes.applied) == 1
        deadline = time.monotonic() + 10  # the stand-ins record what they get on their own threads
        while len(logs[0]) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert logs[0] == ["apply", "written"] and logs[1] == ["apply"]
        assert supervisor._children[1].ready is False  # 'ready' was kept for the next step
        supervisor._step(timeout=0.1)
        assert supervisor._children[1].ready is True
    finally:
        supervisor._shut_down()  # drains them, then closes the owner's ends: each stand-in's recv() ends with EOFError
        for thread in stand_ins:
            thread.join(10)
        for end in ends:  # closing a pipe end under a thread blocked in recv() makes that thread raise
            end.close()
