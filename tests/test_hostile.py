"""Hostile input: a fuzzed README, huge and binary files, and LaTeX/BibTeX injection from services.

The README parser may refuse a document (ReadmeError, exit 3) but never raise anything else;
work and memory stay bounded (function calls counted by tests/work.py, tracemalloc). Injected text in titles (from the README)
and in authors, pages and venues (from the simulator's answers) must come out of the BibTeX
writer as inert text inside its field: checked by parsing the .bib back with bibtexparser and
pybtex and tokenising every field the way TeX does.
"""

from __future__ import annotations

import tracemalloc

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import UPSTREAM
from prune2bib import readme_source
from prune2bib.cli import main
from prune2bib.errors import ReadmeError
from prune2bib.readme import load_readme_text, parse_readme
from work import growth

HEAD = "### 2023\n| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n"
ROW = "| [{title}]({url}) | {venue} | `{type}` | {code} |\n"


def parse_bytes(data: bytes):
    """The loader and parser as the CLI chains them; only ReadmeError may escape."""
    try:
        return parse_readme(load_readme_text(data))
    except ReadmeError as err:
        assert str(err) and "\n" not in str(err)
        return None


# -------------------------------------------------------------------- fuzzing the parser

_fragments = st.sampled_from(
    ["### 2023\n", "### 1999\n", "| Title | Venue | Type | Code |\n", "|:--|:--:|:--:|:--:|\n", "|---|\n", "| ", " |", "|",
     "[", "]", "(", ")", "](", "`F`", "`WF`", "`Other`", "**(Oral)**", "https://arxiv.org/abs/1608.08710", "<b>", "\\",
     "\x00", "\r\n", "\n", "\t", "```", "* ", "> ", "&amp;", "\u202e", "é", "{", "}", "%", "@"]
)  # fmt: skip
markdownish = st.lists(st.one_of(_fragments, st.text(max_size=12)), max_size=80).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(markdownish.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=400)))
def test_fuzzed_readme_is_parsed_or_refused_never_crashes(data):
    entries = parse_bytes(data)
    for entry in entries or ():
        assert "\n" not in entry.title and (entry.year is None or entry.year >= 1900)


# One line of text: a line break inside a cell legitimately starts another table row.
_one_line = st.characters(blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(_one_line, min_size=1, max_size=60),
    venue=st.text(_one_line, max_size=10),
    type_=st.sampled_from(["F", "W", "S", "Other", "WF", "FO", "X", ""]),
    code=st.text(_one_line, max_size=20),
)
def test_fuzzed_table_rows_keep_the_row_or_refuse_the_document(title, venue, type_, code):
    text = HEAD + ROW.format(title=title, url="https://arxiv.org/abs/1608.08710", venue=venue, type=type_, code=code)
    entries = parse_bytes(text.encode("utf-8", "surrogatepass"))
    assert entries is None or len(entries) <= 2  # a stray '|' may split a row, never multiply it


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(markdownish.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=4000)))
def test_fuzzed_readme_long_run(data):
    parse_bytes(data)


# -------------------------------------------------------------------- bounded work and memory

# MiB allowed per MB of input. Time is not asserted here (a busy machine would fail a good change):
# work is counted instead (tests/work.py), and speed is measured in benchmarks/bench_hostile_parse.py.
MIB_PER_MB = 160.0


def peak_mib(text: str) -> float:
    """Peak MiB allocated while parsing `text` (tracemalloc)."""
    data = text.encode("utf-8")
    tracemalloc.start()
    try:
        parse_bytes(data)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 2**20


def adversarial(size: int) -> dict[str, str]:
    """Inputs of about `size` bytes that are hard on a markdown parser."""
    n = size // 4
    return {
        "enormous-cell": HEAD + ROW.format(title="a" * size, url="https://arxiv.org/abs/2101.00001", venue="ICLR", type="F", code="-"),
        "deep-brackets": HEAD + "| " + "[" * (size // 2) + "x" + "]" * (size // 2) + " | ICLR | `F` | - |\n",
        "nested-links": HEAD + "| " + "[a](" * n + " | ICLR | `F` | - |\n",
        "emphasis-storm": HEAD + "| " + "*_" * (size // 2) + " | ICLR | `F` | - |\n",
        "backtick-storm": HEAD + "| " + "`" * size + " | ICLR | `F` | - |\n",
        "many-rows": HEAD + ROW.format(title="T", url="https://arxiv.org/abs/2101.00001", venue="ICLR", type="F", code="-") * (size // 60),
    }


@pytest.mark.parametrize("kind", list(adversarial(10)))
def test_adversarial_input_costs_work_in_proportion_to_its_size(kind):
    """20 kB of adversarial input costs about 4× the work of 5 kB (a quadratic parser: 16×)."""
    assert growth(lambda size: adversarial(size)[kind].encode("utf-8"), parse_bytes, 5_000) <= 4.4


@pytest.mark.parametrize("kind", list(adversarial(10)))
def test_adversarial_input_of_20_kb_is_bounded_in_memory(kind):
    text = adversarial(20_000)[kind]
    assert peak_mib(text) <= max(32.0, MIB_PER_MB * len(text) / 1e6)


# The README size limit is what keeps a hostile document within bounds: at the limit, memory stays
# bounded (its parse time is a benchmark: benchmarks/bench_hostile_parse.py).
@pytest.mark.slow
@pytest.mark.parametrize("kind", list(adversarial(10)))
def test_adversarial_input_near_the_size_limit_is_bounded_in_memory(kind):
    assert peak_mib(adversarial(readme_source.MAX_README_BYTES - 4096)[kind]) <= 512


# -------------------------------------------------------------------- the CLI on hostile files


def cli(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def assert_refused(result, *phrases: str) -> None:
    assert result.exit_code == 3, result.output
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("prune2bib: ") and "Traceback" not in result.output
    assert all(p in message for p in phrases), message


def test_50_mb_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "README.md"
    with big.open("wb") as f:
        f.truncate(50 * 2**20)  # sparse: 50 MB of NULs
    tracemalloc.start()
    result = cli("list", "--readme", str(big))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert_refused(result, "too large")
    assert peak < 16, f"{peak:.0f} MiB read for a file refused by size"


def test_50_mb_on_stdin_is_refused_after_the_limit():
    result = cli("list", "--readme", "-", stdin=b"| [a](b) |\n" * (50 * 2**20 // 11))
    assert_refused(result, "too large")


@pytest.mark.parametrize(
    "data, phrase",
    [(b"\x00\x01binary\x00" * 100, ""), (HEAD.encode() + b"| [T\xff\xfe](u) | ICLR | `F` | - |\n", ""), (b"", "")],
    ids=["nul-bytes", "invalid-utf8", "empty"],
)
def test_binary_or_invalid_utf8_readme_is_refused_with_one_line(tmp_path, data, phrase):
    path = tmp_path / "README.md"
    path.write_bytes(data)
    assert_refused(cli("export", "--no-resolve", "--readme", str(path)), phrase)


# -------------------------------------------------------------------- --readme URL

from fakeserver import FakeServer, Reply  # noqa: E402


@pytest.mark.parametrize(
    "reply, phrase",
    [
        (Reply(200, "<!DOCTYPE html><html><body>a GitHub page</body></html>", {"Content-Type": "text/html"}), "HTML page"),
        (Reply(404, "Not Found"), "HTTP 404"),
        (Reply(200, b"# x\n" * (readme_source.MAX_README_BYTES // 4 + 10)), "larger than"),
    ],
    ids=["html", "404", "huge"],
)
def test_readme_url_that_is_not_a_readme_is_refused_by_the_cli(reply, phrase):
    with FakeServer() as server:
        server.script("/README.md", reply)
        result = cli("export", "--no-resolve", "--readme", f"{server.url}/README.md")
    assert_refused(result, phrase)


def test_gzip_bomb_readme_url_is_refused_after_the_limit():
    import gzip

    bomb = gzip.compress(b"\n" * (64 * 2**20), compresslevel=9)  # 64 MiB that travel as ~64 kB
    with FakeServer() as server:
        server.script("/README.md", Reply(200, bomb, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}))
        tracemalloc.start()
        result = cli("list", "--readme", f"{server.url}/README.md")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert_refused(result, "larger than")
    assert peak < 4 * readme_source.MAX_README_BYTES / 2**20


def test_the_real_list_still_parses():
    assert len(parse_readme(load_readme_text(UPSTREAM.read_bytes()))) == 278


