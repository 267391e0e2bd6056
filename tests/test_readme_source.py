"""Where the README comes from: path, URL (refused when it is not a README), stdin, default."""

from __future__ import annotations

import pytest

from conftest import UPSTREAM
from fakeserver import FakeServer, Reply
from prune2bib import readme_source
from prune2bib.errors import NetworkError, ReadmeError
from prune2bib.readme import parse_readme


def test_url_serving_the_readme_is_read():
    with FakeServer() as server:
        server.script("/README.md", Reply(200, UPSTREAM.read_bytes(), {"Content-Type": "text/plain; charset=utf-8"}))
        text, origin = readme_source.load(f"{server.url}/README.md")
    assert origin.endswith("/README.md")
    assert len(parse_readme(text)) == 278


@pytest.mark.parametrize(
    "reply, message",
    [
        (Reply(200, "<!DOCTYPE html><html><body>GitHub page</body></html>", {"Content-Type": "text/html"}), "HTML page"),
        (Reply(200, b"<html><body>no content type</body></html>"), "HTML page"),
        (Reply(404, "Not Found"), "answered HTTP 404"),
        (Reply(410, "Gone"), "answered HTTP 410"),
        (Reply(200, b"x" * (readme_source.MAX_README_BYTES + 10)), "larger than"),
    ],
    ids=["html", "html-sniffed", "404", "410", "huge"],
)
def test_url_that_is_not_a_readme_is_refused_with_one_line(reply, message):
    with FakeServer() as server:
        server.script("/README.md", reply)
        with pytest.raises(ReadmeError) as caught:
            readme_source.load(f"{server.url}/README.md")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_unreachable_url_given_by_the_user_is_a_network_error():
    with pytest.raises(NetworkError):
        readme_source.load("http://127.0.0.1:9/README.md")


def test_default_falls_back_to_bundled_snapshot(monkeypatch):
    monkeypatch.setenv(readme_source.UPSTREAM_ENV, "http://127.0.0.1:9/README.md")
    text, origin = readme_source.load(None)
    assert "bundled" in origin and "127.0.0.1:9" in origin
    assert len(parse_readme(text)) == 278


def test_default_uses_the_upstream_when_it_answers(monkeypatch):
    with FakeServer() as server:
        server.script("/main/README.md", Reply(200, UPSTREAM.read_bytes()))
        url = f"{server.url}/main/README.md"
        monkeypatch.setenv(readme_source.UPSTREAM_ENV, url)
        _, origin = readme_source.load(None)
    assert origin == url


def test_offline_default_asks_nothing():
    text, origin = readme_source.load(None, offline=True)
    assert "bundled" in origin and len(parse_readme(text)) == 278


def test_large_file_is_refused(tmp_path):
    big = tmp_path / "README.md"
    big.write_bytes(b"a" * (readme_source.MAX_README_BYTES + 1))
    with pytest.raises(ReadmeError, match="too large"):
        readme_source.load(str(big))
