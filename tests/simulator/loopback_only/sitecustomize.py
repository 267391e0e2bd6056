"""Loaded by child processes of the fault tests and benchmarks (PYTHONPATH): loopback only.

Any socket connection to an address other than 127.0.0.1 / ::1 raises at once, so a child that
would reach a real service (a missed URL override) fails loudly instead of sending a packet.

And Ctrl-C works as at a terminal: a shell without job control starts a background command
(`pytest &`, `nohup .ci/run &`) with SIGINT ignored (POSIX), every descendant inherits that, and
Python then installs no KeyboardInterrupt handler. The Ctrl-C test's SIGINT was then ignored and
the child ran to its end (exit 0). A child of the tests always takes SIGINT as a user's Ctrl-C.
"""

import signal
import socket

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

_LOOPBACK = ("127.0.0.1", "::1", "localhost")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _check(address):
    if isinstance(address, tuple) and address and str(address[0]) not in _LOOPBACK:
        raise ConnectionRefusedError(f"prune2bib tests: connection to {address[0]} blocked (loopback only)")


def connect(self, address):
    _check(address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(address)
    return _connect_ex(self, address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
