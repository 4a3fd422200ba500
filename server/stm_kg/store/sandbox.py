"""No network for query evaluation: the kernel refuses to open network sockets where Oxigraph runs.

pyoxigraph evaluates ``SERVICE`` and ``LOAD`` itself, over HTTP, with its built-in client. The endpoint never
lets a request with either reach it (the SERVICE/LOAD policy, :mod:`stm_kg.sparql.safety`, reads every
request with the exact lexer first). This module is the second wall, for the day the first has a hole: a
seccomp filter (through libseccomp, the kernel's own filter library, by way of ``pyseccomp``) makes
``socket()`` fail with ``EACCES`` for every address family but ``AF_UNIX``, and refuses ``io_uring`` (which
could open sockets past the filter). Connections that exist keep working: the inherited listening socket,
the connections it accepts, the pipe to the store's owner. So a query that Oxigraph would send to a remote
endpoint fails as an evaluation error instead, and no address inside the network can be reached or probed.

- :func:`deny_network_everywhere` filters every thread of the process, now and later: a serving process
  (:mod:`stm_kg.serving.process`) calls it before it serves. Its allowlisted ``SERVICE`` calls go through
  the store's owner (:mod:`stm_kg.serving.control`), which keeps the network.
- :func:`deny_network_here` filters the calling thread only (and threads it starts later). Once
  :func:`enable` has been called (``stm-kg serve`` does), every thread that runs Oxigraph
  (:func:`stm_kg.store.threads.start_with_big_stack`) calls it first, so the owner's updates run without
  network while the owner's own SERVICE client keeps it.

Linux only (libseccomp 2.x must be installed; Debian: ``libseccomp2``). Elsewhere, or where the kernel refuses
filters, :data:`AVAILABLE` is False and the functions raise :class:`SandboxUnavailable`; ``stm-kg serve`` then
refuses to start unless told ``--no-sandbox`` (decision 0011 says what holds then).
"""

from __future__ import annotations

import errno
import socket

try:
    import pyseccomp as _seccomp
except (ImportError, OSError, RuntimeError):  # not Linux, or no libseccomp
    _seccomp = None

#: Whether this platform can filter system calls at all.
AVAILABLE = _seccomp is not None

#: ``"off"``: nothing is filtered (the default: the library, the tests and the other commands); ``"threads"``:
#: threads that run Oxigraph filter themselves; ``"process"``: the whole process is filtered already.
_mode = "off"


class SandboxUnavailable(RuntimeError):
    """The network cannot be denied here; ``str()`` says why."""


def _filter(every_thread: bool):
    if _seccomp is None:
        raise SandboxUnavailable("system call filtering (seccomp, libseccomp) is not available on this platform")
    refuse = _seccomp.ERRNO(errno.EACCES)
    rules = _seccomp.SyscallFilter(defaction=_seccomp.ALLOW)
    rules.add_rule(refuse, "socket", _seccomp.Arg(0, _seccomp.NE, socket.AF_UNIX))
    for name in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
        rules.add_rule(refuse, name)
    if every_thread:
        rules.set_attr(_seccomp.Attr.CTL_TSYNC, 1)
    return rules


def _load(every_thread: bool) -> None:
    try:
        _filter(every_thread).load()
    except SandboxUnavailable:
        raise
    except (OSError, RuntimeError, ValueError) as error:
        raise SandboxUnavailable(f"the kernel did not take the system call filter: {error}") from None


def check() -> None:
    """Raise :class:`SandboxUnavailable` unless the filter, once loaded, does deny the network here.

    Tried in a thread of its own, which ends with its filter: the calling thread is left as it was.
    """
    import threading

    outcome: list = []

    def probe() -> None:
        try:
            _load(every_thread=False)
            outcome.append(None if network_denied() else SandboxUnavailable("the filter did not deny the network"))
        except SandboxUnavailable as error:
            outcome.append(error)

    thread = threading.Thread(target=probe, name="sandbox-check")
    thread.start()
    thread.join()
    if outcome[0] is not None:
        raise SandboxUnavailable(f"cannot deny query evaluation the network: {outcome[0]} "
                                 "(serve with --no-sandbox to go without; see decision 0011)")


def enable() -> None:
    """From now on every thread that runs Oxigraph denies itself the network (:func:`deny_network_here`)."""
    global _mode
    if not AVAILABLE:
        raise SandboxUnavailable("system call filtering (seccomp, libseccomp) is not available on this platform")
    if _mode == "off":
        _mode = "threads"


def deny_network_everywhere() -> None:
    """From now on no thread of this process (also those it starts later) can open a network socket."""
    global _mode
    _load(every_thread=True)
    _mode = "process"


def deny_network_here() -> None:
    """From now on the calling thread (and the threads it starts) cannot open a network socket.

    Does nothing unless :func:`enable` was called, or when the whole process is filtered already.
    """
    if _mode == "threads":
        _load(every_thread=False)


def network_denied() -> bool:
    """True when this thread cannot open a network socket (what the filters above do, seen from inside)."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return True
    probe.close()
    return False
