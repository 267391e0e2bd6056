"""No README source is read past the limit: a device, a FIFO, a pipe on stdin, an endless URL.

`stat` says 0 bytes for `/dev/zero` and for pipes, and a server can stream without end: each must
be refused with one line (exit 3) after reading at most `MAX_README_BYTES + 1` bytes. The tests
count the bytes prune2bib actually took from the source. The limit is lowered to 64 KiB here so
that each case reads little; the code reads the one constant wherever it is used.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from clirun import assert_one_line_error, run_cli
from conftest import UPSTREAM
from fakeserver import LoopbackServer
from prune2bib import readme_source
from prune2bib.errors import ReadmeError

LIMIT = 64 * 1024 + 123  # not a multiple of the reader's chunk: the last read must be cut short


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(readme_source, "MAX_README_BYTES", LIMIT)


class Counting:
    """A binary stream that counts the bytes it hands out."""

    def __init__(self, stream):
        self.stream, self.taken = stream, 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n)
        self.taken += len(data)
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()


@pytest.fixture
def counted(monkeypatch) -> list[Counting]:
    """Every stream readme_source opens or takes from stdin, counting what is read from it."""
    seen: list[Counting] = []
    open_, unbuffered = readme_source._open, readme_source._unbuffered

    def counting(stream):
        seen.append(Counting(stream))
        return seen[-1]

    monkeypatch.setattr(readme_source, "_open", lambda path: counting(open_(path)))
    monkeypatch.setattr(readme_source, "_unbuffered", lambda stream: counting(unbuffered(stream)))
    return seen


def test_dev_zero_is_refused_after_limit_plus_one_bytes(counted):
    result = run_cli("export", "--no-resolve", "--readme", "/dev/zero")
    line = assert_one_line_error(result, 3)
    assert "/dev/zero" in line and "too large" in line and str(LIMIT) in line
    assert [c.taken for c in counted] == [LIMIT + 1]


def _endless_writer(path: str, stop: threading.Event) -> threading.Thread:
    def write():
        try:
            with open(path, "wb") as fifo:
                while not stop.is_set():
                    fifo.write(b"| [x](https://arxiv.org/abs/1608.08710) | ICLR | `F` | - |\n" * 100)
        except (BrokenPipeError, OSError):
            pass  # the reader closed: what an endless producer sees when refused

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_fifo_that_never_ends_is_refused_after_limit_plus_one_bytes(tmp_path, counted):
    fifo = tmp_path / "readme.fifo"
    os.mkfifo(fifo)
    stop = threading.Event()
    writer = _endless_writer(str(fifo), stop)
    with pytest.raises(ReadmeError, match="too large") as caught:
        readme_source.load(str(fifo))
    stop.set()
    writer.join(60)  # returns as soon as the writer saw the closed pipe; 60 s only bounds a hang
    assert "\n" not in str(caught.value) and not writer.is_alive()
    assert [c.taken for c in counted] == [LIMIT + 1]


def test_a_small_fifo_is_read_whole(tmp_path, counted):
    fifo = tmp_path / "readme.fifo"
    os.mkfifo(fifo)
    body = UPSTREAM.read_bytes()[:LIMIT]

    def write():
        with open(fifo, "wb") as out:
            out.write(body)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    text, _ = readme_source.load(str(fifo))
    thread.join(5)
    assert counted[0].taken == len(body) and text.startswith("# Awesome Pruning")


def test_an_endless_stdin_pipe_is_refused_after_limit_plus_one_bytes(monkeypatch, counted):
    read_end, write_end = os.pipe()
    stop = threading.Event()
    writer = _endless_writer(f"/dev/fd/{write_end}", stop)
    stdin = io.TextIOWrapper(open(read_end, "rb"))  # noqa: SIM115 (a real pipe, buffered like sys.stdin)
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(ReadmeError, match="stdin: more than"):
        readme_source.load("-")
    stdin.close()
    stop.set()
    writer.join(5)
    os.close(write_end)
    assert [c.taken for c in counted] == [LIMIT + 1]


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused_unread(tmp_path, counted):
    exact, over = tmp_path / "exact.md", tmp_path / "over.md"
    exact.write_bytes(b"x" * LIMIT)
    over.write_bytes(b"x" * (LIMIT + 1))
    readme_source.load(str(exact))
    assert [c.taken for c in counted] == [LIMIT]
    with pytest.raises(ReadmeError, match="too large"):
        readme_source.load(str(over))
    assert len(counted) == 1  # a regular file's size is known: refused before it is opened


def _bytes_this_process_read() -> int:
    """What the kernel handed this process through read() so far (Linux: `rchar`)."""
    with open("/proc/self/io", "rb", buffering=0) as stats:
        return int(next(line for line in stats.read().split(b"\n") if line.startswith(b"rchar:")).split()[1])


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="the kernel's read counter is Linux's /proc/self/io")
@pytest.mark.parametrize("source", ["/dev/zero", "-"])
def test_the_kernel_hands_over_at_most_limit_plus_one_bytes(monkeypatch, source):
    """Counted below any Python buffer: a buffered reader would read ahead past the limit (4 KiB
    from /dev/zero) while handing its caller exactly limit + 1 bytes, which `counted` cannot see."""
    stdin = io.TextIOWrapper(open("/dev/zero", "rb"))  # noqa: SIM115 (closed below) buffered, like sys.stdin
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(ReadmeError, match="too large"):  # once: imports and lazy set-up are not the source's bytes
        readme_source.load(source)
    before = _bytes_this_process_read()
    with pytest.raises(ReadmeError, match="too large"):
        readme_source.load(source)
    taken = _bytes_this_process_read() - before
    stdin.close()
    assert LIMIT + 1 <= taken < LIMIT + 1 + 512  # the rest: the counter's own first reading (~100 bytes)


def test_a_directory_is_refused_with_one_line(tmp_path):
    assert_one_line_error(run_cli("export", "--no-resolve", "--readme", tmp_path), 3)


def test_stdin_of_the_command_itself_from_an_endless_producer(tmp_path):
    """The real thing: an endless producer piped into `prune2bib export --readme -` ends with exit 3 and one line."""
    endless = "import sys\nline = b'| [x](https://arxiv.org/abs/1608.08710) | ICLR | `F` | - |\\n' * 100\nwhile True: sys.stdout.buffer.write(line)"
    producer = subprocess.Popen([sys.executable, "-c", endless], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        done = subprocess.run([sys.executable, "-m", "prune2bib", "export", "--no-resolve", "--readme", "-"],
                              stdin=producer.stdout, capture_output=True, timeout=120)  # fmt: skip
    finally:
        producer.kill()
        producer.wait()
        producer.stdout.close()
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 3 and len(lines) == 1 and "stdin: more than" in lines[0], done.stderr


# ------------------------------------------------------------------ a URL with an endless body


class EndlessServer(LoopbackServer):
    """Answers every GET with a chunked markdown body that never ends (until the client leaves)."""

    lifetime = 30.0

    def __init__(self):
        self.offered = 0  # body bytes handed to write(), counted before each write

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "text/markdown; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                line = b"| [x](https://arxiv.org/abs/1608.08710) | ICLR | `F` | - |\n" * 200
                try:
                    while True:
                        # Counted before the write: the client may read a chunk before this thread
                        # runs again, and a count after the write could then lag what was read.
                        server.offered += len(line)
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        return Handler


def test_a_url_with_an_endless_body_is_refused_after_limit_plus_one_bytes(monkeypatch):
    import urllib3.response

    taken = []
    read = urllib3.response.HTTPResponse.read

    def counting_read(self, *args, **kwargs):
        data = read(self, *args, **kwargs)
        taken.append(len(data))
        return data

    monkeypatch.setattr(urllib3.response.HTTPResponse, "read", counting_read)
    with EndlessServer() as server:
        result = run_cli("export", "--no-resolve", "--readme", f"{server.url}/README.md")
    line = assert_one_line_error(result, 3)
    assert "larger than" in line and str(LIMIT) in line
    assert sum(taken) == LIMIT + 1
    assert server.offered > LIMIT  # the server did offer more than the limit


def test_the_limit_is_one_constant_used_by_every_source():
    source = Path(readme_source.__file__).read_text(encoding="utf-8")
    assert source.count("MAX_README_BYTES =") == 1
    assert "1024 * 1024" not in source.replace("MAX_README_BYTES = 1024 * 1024", "")
