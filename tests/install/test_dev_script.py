"""``python3 dev.py serve`` as a user runs it, then stops it: nothing of the server may stay behind.

The script is started as a real process in a session of its own, so that every process it leads to (the
store's owner and its serving processes) is in one process group; after the signal, the test waits for the
group to empty (zombies, which only wait to be reaped, do not count). An empty group holds no listening
socket; the port itself is not checked, since any process on the machine may take a free port at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "endpoint"))

from endpoint_server import free_port  # noqa: E402

pytestmark = pytest.mark.slow


def live_members(group: int) -> list[int]:
    """Processes of process group ``group`` that are not zombies (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: signal.Signals(s).name)
def test_a_signal_to_dev_serve_stops_the_server(signum, tmp_path):
    port = free_port()
    with open(tmp_path / "dev-serve.log", "wb") as log:
        script = subprocess.Popen([sys.executable, str(ROOT / "dev.py"), "serve", "--port", str(port)],
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    group = script.pid  # the leader of its own session and group
    try:
        def answers() -> bool:
            assert script.poll() is None, (tmp_path / "dev-serve.log").read_text()
            try:
                return requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        assert wait_until(answers, 300), "dev.py serve did not answer"
        assert len(live_members(group)) >= 2  # the owner and at least one serving process
        script.send_signal(signum)  # to the script's process only, as `kill PID` does
        script.wait(timeout=60)
        assert wait_until(lambda: not live_members(group), 30), f"still running: {live_members(group)}"
    finally:
        for pid in live_members(group):
            subprocess.run(["kill", "-KILL", str(pid)], check=False)
