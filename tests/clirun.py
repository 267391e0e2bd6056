"""Running the `prune2bib` command in tests and checking how it failed.

`run_cli` invokes the click group in-process (CliRunner, exceptions not caught: a traceback
fails the test). `assert_one_line_error` is the contract of every error: the exit code, exactly
one line on stderr starting `prune2bib: `, nothing on stdout, no traceback.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from click.testing import CliRunner, Result

from prune2bib.cli import main


def run_cli(*args, input=None, env=None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


def assert_one_line_error(result: Result, code: int = 2, starts: str = "prune2bib: ") -> str:
    lines = result.stderr.splitlines()
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith(starts), lines[0]
    assert "Traceback" not in result.output and "Error:" not in result.stderr
    assert result.stdout == ""
    return lines[0]


def tree(root: Path) -> set[str]:
    """Every path under `root` (relative): what a failed run must leave unchanged."""
    return {str(p.relative_to(root)) for p in Path(root).rglob("*")}


UNPRIVILEGED = 65534  # 'nobody'


def as_unprivileged(function, *args):
    """`function(*args)` as a user without root's power to write anywhere: in a forked child
    that drops to 'nobody' when the tests run as root (CI containers do), in-process otherwise.
    The result comes back pickled through a pipe."""
    if os.geteuid() != 0:
        return function(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read_end)
            os.setgid(UNPRIVILEGED)
            os.setuid(UNPRIVILEGED)
            payload = pickle.dumps(("ok", function(*args)))
        except BaseException as err:  # noqa: BLE001 (reported to the parent)
            payload, status = pickle.dumps(("error", repr(err))), 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        kind, value = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    assert kind == "ok", value
    return value
