"""Admission of requests to threads (stm_kg.serving.admission), on a real event loop, with no threads at all."""

from __future__ import annotations

import asyncio

import pytest

from stm_kg.serving.admission import Admission, AdmissionLimits, Saturated


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_client_past_its_share_waits_while_another_client_starts_at_once():
    async def scenario():
        admission = Admission(AdmissionLimits(slots=4, per_client=2, long_after=60, max_running=8))
        a1, a2 = await admission.enter("a"), await admission.enter("a")
        third = asyncio.ensure_future(admission.enter("a"))
        await asyncio.sleep(0)
        b = await asyncio.wait_for(admission.enter("b"), 1)  # another client is not behind "a"'s queue
        assert not third.done() and admission.waiting == 1
        admission.leave(a1)
        a3 = await asyncio.wait_for(third, 1)
        for ticket in (a2, a3, b):
            admission.leave(ticket)
        assert admission.running == admission.young == 0

    run(scenario())


def test_clients_take_turns_when_slots_come_free():
    async def scenario():
        admission = Admission(AdmissionLimits(slots=1, per_client=1, long_after=60, max_running=1))
        first = await admission.enter("a")
        order: list[str] = []

        async def wait(client: str):
            ticket = await admission.enter(client)
            order.append(client)
            admission.leave(ticket)

        waiting = [asyncio.ensure_future(wait(c)) for c in ("a", "a", "a", "b", "c")]
        await asyncio.sleep(0)
        admission.leave(first)
        await asyncio.wait_for(asyncio.gather(*waiting), 1)
        assert order[:3] == ["a", "b", "c"], order  # one of each before "a"'s second and third

    run(scenario())


def test_a_request_that_runs_long_gives_its_young_slot_to_the_next():
    async def scenario():
        admission = Admission(AdmissionLimits(slots=1, per_client=4, long_after=0.05, max_running=3))
        slow = await admission.enter("a")
        next_one = await asyncio.wait_for(admission.enter("b"), 1)  # once "slow" has grown old
        assert admission.young == 1 and admission.running == 2
        admission.leave(slow)
        admission.leave(next_one)

    run(scenario())


def test_at_most_max_running_however_old_they_are():
    async def scenario():
        admission = Admission(AdmissionLimits(slots=1, per_client=9, long_after=0.01, max_running=2,
                                              queue_limit=5, queue_timeout=0.2))
        held = [await admission.enter("a"), await asyncio.wait_for(admission.enter("b"), 1)]
        await asyncio.sleep(0.05)
        with pytest.raises(Saturated):
            await admission.enter("c")  # waited queue_timeout: two run, however old
        for ticket in held:
            admission.leave(ticket)

    run(scenario())


def test_a_full_queue_refuses_at_once():
    async def scenario():
        admission = Admission(AdmissionLimits(slots=1, per_client=1, long_after=60, max_running=1, queue_limit=2))
        held = await admission.enter("a")
        waiting = [asyncio.ensure_future(admission.enter(c)) for c in ("b", "c")]
        await asyncio.sleep(0)
        with pytest.raises(Saturated):
            await admission.enter("d")
        for future in waiting:
            future.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        assert admission.waiting == 0
        admission.leave(held)
        assert admission.running == 0

    run(scenario())


def test_limits_that_cannot_work_are_refused():
    with pytest.raises(ValueError):
        AdmissionLimits(slots=4, max_running=2)
    with pytest.raises(ValueError):
        AdmissionLimits(per_client=0)
