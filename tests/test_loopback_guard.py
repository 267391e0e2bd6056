"""The tests' loopback guard (tests/simulator/loopback_only/sitecustomize.py), in the children
that the fault tests and the benchmarks start: it refuses every connection off the machine, it
costs nothing until a socket is wanted (the benchmarks time whole processes), and it gives
Ctrl-C back to a child that inherited SIGINT ignored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from simulator.child import child_env

PROBE = """
import sys
print("socket loaded at start:", "socket" in sys.modules)
print("signal loaded at start:", "signal" in sys.modules)
import socket
for address in [("192.0.2.1", 80), ("127.0.0.1", {port})]:
    for connect in ("connect", "connect_ex"):
        s = socket.socket()
        try:
            result = getattr(s, connect)(address)
            print(address[0], connect, "returned", "refused" if result else result)
        except OSError as err:
            print(address[0], connect, "raised", type(err).__name__, "blocked" in str(err))
        finally:
            s.close()
"""


def test_the_guard_blocks_every_address_off_the_machine_and_loads_nothing_first(tmp_path, refused_port):
    done = subprocess.run([sys.executable, "-c", PROBE.format(port=refused_port)], env=child_env(None, tmp_path),
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "socket loaded at start: False",
        "signal loaded at start: False",  # (its enums: 21 M instructions in a bare interpreter)
        "192.0.2.1 connect raised ConnectionRefusedError True",
        "192.0.2.1 connect_ex raised ConnectionRefusedError True",
        "127.0.0.1 connect raised ConnectionRefusedError False",  # refused by the port, not by the guard
        "127.0.0.1 connect_ex returned refused",
    ]


def test_a_child_that_inherited_sigint_ignored_takes_ctrl_c(tmp_path):
    code = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    done = subprocess.run([sys.executable, "-c", code], env=child_env(None, tmp_path), capture_output=True, text=True,
                          timeout=60, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))  # fmt: skip
    assert done.stdout.strip() == "True", done.stderr


def test_only_the_scaled_twin_has_the_tests_on_its_path(tmp_path):
    """Every top-level import of a child looks in each PYTHONPATH folder first: the benchmarks'
    `python -m prune2bib` children get the guard's folder alone."""
    from simulator.child import GUARD, TESTS, command

    plain = child_env(None, tmp_path)
    scaled = child_env(None, tmp_path, PRUNE2BIB_SIM_INTERVAL_SCALE="0.1")
    assert command(plain)[-1] == "prune2bib" and command(scaled)[-1] == "simulator.prune2bib_scaled"
    assert str(TESTS) not in plain["PYTHONPATH"].split(os.pathsep)
    assert scaled["PYTHONPATH"].split(os.pathsep)[:2] == [str(GUARD), str(TESTS)]
