"""Which request may run in a thread now: a few young ones at a time, a fair share per client, a bounded queue.

A serving process answers most lookups on its event loop (:mod:`.front`); everything else runs in a thread,
and a thread is held for as long as the request runs: a runaway query holds it up to the time limit, a
gated write until the store's owner has applied it. Admission decides who gets a thread:

- **young slots**: at most ``slots`` requests in their first ``long_after`` seconds run at once. A request
  that runs longer gives its slot back (it goes on running), so requests stuck on slow work never keep new
  ones from starting; at most ``max_running`` run in all, young and old;
- **per client**: at most ``per_client`` requests of one client run at once; its others wait in its own
  queue, and clients take turns (round robin), so a client that sends many slow requests only delays itself;
- **bounded waiting**: at most ``queue_limit`` requests wait in all, none longer than ``queue_timeout``
  seconds; past either bound the request is refused with :class:`Saturated` (503 with ``Retry-After``).

Everything here runs on the event loop: no locks.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class AdmissionLimits:
    """The bounds above; :meth:`for_cpus` gives the defaults for a machine."""

    slots: int = 8
    per_client: int = 4
    long_after: float = 1.0
    max_running: int = 64
    queue_limit: int = 256
    queue_timeout: float = 10.0

    @classmethod
    def for_cpus(cls, cpus: int) -> AdmissionLimits:
        """One young slot per CPU (evaluation is CPU work: more at once only slows each down), and as many
        for one client: it may use the machine when nobody else asks, and takes turns when others do."""
        slots = max(2, cpus)
        return cls(slots=slots, per_client=slots)

    def __post_init__(self) -> None:
        if min(self.slots, self.per_client, self.max_running) < 1 or self.queue_limit < 0:
            raise ValueError("admission limits must be positive")
        if self.max_running < self.slots:
            raise ValueError("max_running must be at least slots")


class Saturated(Exception):
    """No thread for this request now; ``retry_after`` is a hint in whole seconds."""

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class Ticket:
    """A request that runs (or waits to): whose it is, whether it is still young."""

    __slots__ = ("client", "running", "timer", "waiter", "young")

    def __init__(self, client: str):
        self.client = client
        self.young = False
        self.running = False
        self.timer: asyncio.TimerHandle | None = None
        self.waiter: asyncio.Future | None = None


class Admission:
    """Hands out tickets under :class:`AdmissionLimits`; call :meth:`leave` when the request is done."""

    def __init__(self, limits: AdmissionLimits):
        self.limits = limits
        self.young = 0
        self.running = 0
        self._per_client: dict[str, int] = {}
        self._waiting: OrderedDict[str, deque[Ticket]] = OrderedDict()
        self._waiting_count = 0

    @property
    def waiting(self) -> int:
        return self._waiting_count

    def _can_start(self, client: str) -> bool:
        limits = self.limits
        return (self.young < limits.slots and self.running < limits.max_running
                and self._per_client.get(client, 0) < limits.per_client)

    async def enter(self, client: str) -> Ticket:
        """A running ticket for ``client``, at once or after waiting its turn; raises :class:`Saturated`."""
        ticket = Ticket(client)
        if client not in self._waiting and self._can_start(client):
            self._start(ticket)
            return ticket
        if self._waiting_count >= self.limits.queue_limit:
            raise Saturated(f"the server is busy ({self._waiting_count} requests are waiting); try again shortly")
        ticket.waiter = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, deque()).append(ticket)
        self._waiting_count += 1
        try:
            await asyncio.wait_for(asyncio.shield(ticket.waiter), self.limits.queue_timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError) as stop:
            if ticket.running:  # started just as the wait ended: it is ours, and must be given back
                self.leave(ticket)
            else:
                self._forget(ticket)
            if isinstance(stop, asyncio.CancelledError):
                raise
            raise Saturated(f"no thread came free within {self.limits.queue_timeout:g} s; try again shortly") from None
        return ticket

    def leave(self, ticket: Ticket) -> None:
        """``ticket``'s request is done: its slot and its client's share go to the next in turn."""
        if not ticket.running:
            return
        ticket.running = False
        if ticket.timer is not None:
            ticket.timer.cancel()
        if ticket.young:
            ticket.young = False
            self.young -= 1
        self.running -= 1
        left = self._per_client[ticket.client] - 1
        if left:
            self._per_client[ticket.client] = left
        else:
            del self._per_client[ticket.client]
        self._dispatch()

    def _start(self, ticket: Ticket) -> None:
        ticket.running = ticket.young = True
        self.young += 1
        self.running += 1
        self._per_client[ticket.client] = self._per_client.get(ticket.client, 0) + 1
        ticket.timer = asyncio.get_running_loop().call_later(self.limits.long_after, self._grow_old, ticket)

    def _grow_old(self, ticket: Ticket) -> None:
        if ticket.running and ticket.young:
            ticket.young = False
            self.young -= 1
            self._dispatch()

    def _forget(self, ticket: Ticket) -> None:
        queue = self._waiting.get(ticket.client)
        if queue is not None and ticket in queue:
            queue.remove(ticket)
            self._waiting_count -= 1
            if not queue:
                del self._waiting[ticket.client]

    def _dispatch(self) -> None:
        """Start waiting requests while there is room, one client after another."""
        progress = True
        while progress and self._waiting:
            progress = False
            for client in list(self._waiting):
                if not self._can_start(client):
                    continue
                queue = self._waiting[client]
                ticket = queue.popleft()
                self._waiting_count -= 1
                del self._waiting[client]
                if queue:  # back of the line for its next one
                    self._waiting[client] = queue
                self._start(ticket)
                ticket.waiter.set_result(None)
                progress = True
