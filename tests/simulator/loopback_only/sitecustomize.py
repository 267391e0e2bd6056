"""Loaded by child processes of the fault tests and benchmarks (PYTHONPATH): loopback only.

Any socket connection to an address other than 127.0.0.1 / ::1 raises at once, so a child that
would reach a real service (a missed URL override) fails loudly instead of sending a packet.
"""

import socket

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
