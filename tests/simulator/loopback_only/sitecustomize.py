"""Loaded by child processes of the fault tests and benchmarks (PYTHONPATH): loopback only.

Any socket connection to an address other than 127.0.0.1 / ::1 raises at once, so a child that
would reach a real service (a missed URL override) fails loudly instead of sending a packet.
`socket` is patched as it is imported, not imported here: a child that never opens a socket
(a warm export from the lock, which the benchmarks time) does not pay for loading it, and the
tests can see that it never loads it (tests/test_loopback_guard.py holds both).

And Ctrl-C works as at a terminal: a shell without job control starts a background command
(`pytest &`, `nohup .ci/run &`) with SIGINT ignored (POSIX), every descendant inherits that, and
Python then installs no KeyboardInterrupt handler. The Ctrl-C test's SIGINT was then ignored and
the child ran to its end (exit 0). A child of the tests always takes SIGINT as a user's Ctrl-C.
"""

import sys

# `_signal`, the C module under `signal`: `signal` builds enums of every signal number on import
# (~21 M instructions in a bare interpreter; a child that loads `enum` anyway pays ~0.6 M).
import _signal

if _signal.getsignal(_signal.SIGINT) == _signal.SIG_IGN:
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _check(address):
    if isinstance(address, tuple) and address and str(address[0]) not in _LOOPBACK:
        raise ConnectionRefusedError(f"prune2bib tests: connection to {address[0]} blocked (loopback only)")


def _guard(socket_module) -> None:
    connect, connect_ex = socket_module.socket.connect, socket_module.socket.connect_ex

    def guarded_connect(self, address):
        _check(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        _check(address)
        return connect_ex(self, address)

    socket_module.socket.connect = guarded_connect
    socket_module.socket.connect_ex = guarded_connect_ex


class _GuardOnImport:
    """A meta path finder that hands `socket` to `_guard` as soon as the module has run."""

    def find_spec(self, name, path=None, target=None):
        if name != "socket":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def run_then_guard(module):
            run(module)
            _guard(module)

        spec.loader.exec_module = run_then_guard
        return spec


if "socket" in sys.modules:
    _guard(sys.modules["socket"])
else:
    sys.meta_path.insert(0, _GuardOnImport())
