"""The threads Oxigraph runs on: a big stack, a pool that hands calls over under a time limit, a fork lock.

Oxigraph's parsers and evaluator recurse, so they run on threads with :data:`BIG_STACK`. Oxigraph cannot be
interrupted from Python: :class:`EvaluationThreads` gives the caller its :class:`~.interface.QueryTimeout` at
the limit and leaves the call running; only ending the process stops it (a serving process is replaced then:
:mod:`stm_kg.serving`).

Forking while another thread is inside Oxigraph writing could copy a held lock into the child; writes
therefore run under :data:`FORK_LOCK`, which every fork of this process takes first.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any

from . import sandbox
from .interface import QueryTimeout, StoreUnavailable

#: Held while the store is written, and by every ``fork()`` of this process (see the module docstring).
FORK_LOCK = threading.Lock()
os.register_at_fork(before=FORK_LOCK.acquire, after_in_parent=FORK_LOCK.release, after_in_child=FORK_LOCK.release)


#: Stack of the threads that run Oxigraph's parsers and evaluator (reserved, used only as deep as it goes).
#: They recurse: with the usual 8 MB a query of about 3,000 nested groups, 10,000 joined paths or a
#: 1,000-term collection overflows it and kills the process (found by tests/robustness).
BIG_STACK = 512 * 1024 * 1024
_STACK_SIZE_LOCK = threading.Lock()


def _without_network(target: Callable[..., Any], *args: Any) -> None:
    sandbox.deny_network_here()  # Oxigraph would fetch SERVICE and LOAD itself (see :mod:`.sandbox`)
    target(*args)


def start_with_big_stack(target: Callable[..., Any], *args: Any) -> threading.Thread:
    """Start ``target(*args)`` in a thread whose stack is :data:`BIG_STACK` (and, once the sandbox is on,
    that cannot open network sockets: :func:`~.sandbox.deny_network_here`)."""
    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(BIG_STACK)
        try:
            thread = threading.Thread(target=_without_network, args=(target, *args), daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


def call_with_big_stack(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` run in a thread with a :data:`BIG_STACK` stack; its result, or its exception raised."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, function(*args)))
        except BaseException as error:  # re-raised in the caller
            outcome.append((False, error))

    start_with_big_stack(run).join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


class _Task:
    """One call handed to an evaluation thread; the caller waits on ``done`` (one lock: the cheapest hand-off)."""

    __slots__ = ("abandoned", "call", "done", "error", "finished", "result", "started", "state", "thread")

    def __init__(self, call: Callable[[], Any]):
        self.call = call
        self.done = threading.Lock()
        self.done.acquire()
        self.state = threading.Lock()
        self.started = False
        self.abandoned = False
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.thread: int | None = None  # native id of the thread running it


def _yield_the_cpu(thread: int | None) -> None:
    """Lowest CPU priority for ``thread`` (Linux: threads have priorities of their own): an overrun query runs
    on only in the time nobody else wants, until its process ends. A thread cannot get its priority back, so
    it ends once its call does."""
    if thread is None:
        return
    try:
        os.setpriority(os.PRIO_PROCESS, thread, 19)
    except (OSError, AttributeError):  # not Linux, or gone already
        pass


class EvaluationThreads:
    """Up to ``limit`` threads with a big stack, started as they are needed, that run handed-over calls.

    Every call either claims a thread that is free (``_free`` counts free threads minus the calls already
    promised to them) or starts one; only at the limit does it wait for the next thread to come free. Counting
    a free thread once per call matters: two calls that both saw one free thread used to queue one of them behind
    a runaway query (which goes on after its timeout), so a cheap query could wait out the whole time limit.
    """

    def __init__(self, limit: int = 64):
        self._limit = limit
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._free = 0
        self._waiting: set[_Task] = set()
        self._cancelled: str | None = None

    def cancel_waiting(self, reason: str) -> None:
        """Answer every caller waiting for a call now, and every later one, with :class:`StoreUnavailable`
        (``reason``); the calls themselves run on until the process ends (the server is stopping)."""
        with self._lock:
            self._cancelled = reason
            waiting, self._waiting = self._waiting, set()
        for task in waiting:
            with task.state:
                if task.finished:
                    continue
                task.abandoned = True
                task.error = StoreUnavailable(reason)
                task.finished = True
            task.done.release()

    def run(self, call: Callable[[], Any], timeout: float | None, on_overrun: Callable[[], None]) -> Any:
        """``call()`` on an evaluation thread; its result, or its exception raised here.

        Raises :class:`~.interface.QueryTimeout` after ``timeout`` seconds; ``on_overrun`` is called then when
        the call had started (it goes on running: only ending the process stops it).
        """
        task = _Task(call)
        with self._lock:
            if self._cancelled is not None:
                raise StoreUnavailable(self._cancelled)
            self._waiting.add(task)
            start = self._free <= 0 and self._threads < self._limit
            if start:
                self._threads += 1
            else:
                self._free -= 1  # a free thread takes it (or, at the limit, the first to come free)
        if start:
            start_with_big_stack(self._serve, task)
        else:
            self._tasks.put(task)
        done = task.done.acquire(timeout=-1 if timeout is None else timeout)
        with self._lock:
            self._waiting.discard(task)
        if not done:
            with task.state:
                timed_out = not task.finished
                if timed_out:
                    task.abandoned = True
                    started = task.started
            if timed_out:
                if started:
                    _yield_the_cpu(task.thread)
                    on_overrun()
                raise QueryTimeout(f"the query took longer than the limit of {timeout:g} s and was stopped")
            task.done.acquire()  # finished (or was cancelled) just as the time ran out
        if task.error is not None:
            raise task.error
        return task.result

    def _serve(self, task: _Task) -> None:
        me = threading.get_native_id()
        while True:
            with task.state:
                abandoned = task.abandoned
                task.started = not abandoned
                task.thread = me
            if not abandoned:
                try:
                    result, error = task.call(), None
                except BaseException as raised:  # raised in the caller
                    result, error = None, raised
                with task.state:
                    release = not task.finished  # else cancelled meanwhile: the caller has its answer
                    if release:
                        task.result, task.error, task.finished = result, error, True
                if release:
                    task.done.release()
                if task.abandoned:  # it overran (this thread runs at the lowest priority now) or was cancelled: end
                    with self._lock:
                        self._threads -= 1
                    return
            with self._lock:
                self._free += 1
            task = self._tasks.get()
