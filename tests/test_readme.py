"""parse_readme / load_readme_text: the seed's counts and lines, row anomalies, malformed input."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SNAPSHOT, UPSTREAM
from prune2bib.errors import ReadmeError
from prune2bib.lists.blocks import split_cells
from prune2bib.readme import _CONTROL_BYTES, count_cells, doubled_half, load_readme_text, parse_readme, read_list
from prune2bib.record import CodeLink
from simulator import readmes
from work import growth

SEEDS = pytest.mark.parametrize("seed", [UPSTREAM, SNAPSHOT], ids=["upstream", "snapshot"])
HEADER = "| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n"
# Awesome-Pruning's legend; after the table so that the rows' line numbers stay small.
LEGEND = (
    "\n### Type of Pruning\n| Type | `F` | `W` | `S` | `Other` |\n|:--|:--:|:--:|:--:|:--:|\n"
    "| Explanation | Filter pruning | Weight pruning | Special Networks | other types |\n"
)


def table(*rows: str, year: int = 2020) -> str:
    return f"### {year}\n" + HEADER + "".join(row + "\n" for row in rows) + LEGEND


def parse_seed(seed):
    return parse_readme(load_readme_text(seed.read_bytes()))


def one_row(row: str):
    (entry,) = parse_readme(table(row))
    return entry


# ---------------------------------------------------------------- the seed files


@SEEDS
def test_seed_row_counts(seed):
    entries = parse_seed(seed)
    assert len(entries) == 278
    assert Counter(e.year for e in entries) == {
        2023: 25, 2022: 88, 2021: 44, 2020: 55, 2019: 30, 2018: 19, 2017: 13, 2016: 3, 2015: 1,
    }  # fmt: skip
    assert Counter(t for e in entries for t in e.types) == {"F": 149, "W": 107, "S": 13, "Other": 28}


@SEEDS
def test_every_line_number_points_at_its_row(seed):
    lines = load_readme_text(seed.read_bytes()).split("\n")
    for entry in parse_seed(seed):
        assert entry.url in lines[entry.line - 1]
        assert lines[entry.line - 1].lstrip().startswith("|")


def test_line_numbers_of_known_rows():
    by_title = {e.title: e.line for e in parse_seed(UPSTREAM)}
    assert by_title["Revisiting Pruning at Initialization Through the Lens of Ramanujan Graph"] == 58
    assert by_title["Prune Your Model Before Distill It"] == 113
    assert by_title["Learning both Weights and Connections for Efficient Neural Networks"] == 373
    snapshot = {e.title: e.line for e in parse_seed(SNAPSHOT)}
    assert snapshot["Revisiting Pruning at Initialization Through the Lens of Ramanujan Graph"] == 84
    assert snapshot["Learning both Weights and Connections for Efficient Neural Networks"] == 396


def test_seed_files_give_the_same_rows_apart_from_lines():
    def strip_line(entries):
        return [(e.year, e.title, e.url, e.venue, e.venue_note, e.types, e.extra_urls, e.code) for e in entries]

    assert strip_line(parse_seed(UPSTREAM)) == strip_line(parse_seed(SNAPSHOT))


def test_seed_row_fields():
    entries = {e.title: e for e in parse_seed(UPSTREAM)}
    implicit = entries["On Implicit Filter Level Sparsity in Convolutional Neural Networks"]
    assert implicit.url == "https://arxiv.org/abs/1811.12495"
    assert implicit.extra_urls == (
        ("Extension1", "https://arxiv.org/abs/1905.04967"),
        ("Extension2", "https://openreview.net/forum?id=rylVvNS3hE"),
    )
    assert implicit.anomalies == ()
    lottery = entries["The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks"]
    assert (lottery.year, lottery.venue, lottery.venue_note, lottery.types) == (2019, "ICLR", "Best", ("W",))
    assert entries["Joint-DetNAS: Upgrade Your Detector with NAS, Pruning and Dynamic Distillation"].types == ("F", "Other")
    assert entries["Sparse Flows: Pruning Continuous-depth Models"].types == ("F", "W")
    assert entries["Bit-Pruning: A Sparse Multiplication-Less Dot-Product"].code == (
        CodeLink("Code Deleted", "https://github.com/DensoITLab/bitprune", "Code Deleted"),
    )
    assert entries["Revisiting Random Channel Pruning for Neural Network Compression"].code == (
        CodeLink("PyTorch(Author)", "https://github.com/ofsoundof/random_channel_pruning", "(Releasing)"),
    )
    thinet = entries["ThiNet: A Filter Level Pruning Method for Deep Neural Network Compression"]
    assert [c.label for c in thinet.code] == ["Caffe(Author)", "PyTorch(3rd)"]
    assert entries["Pruning Filters for Efficient ConvNets"].code[0].url.endswith("imagenet/l1-norm-pruning")
    assert entries["Dual Lottery Ticket Hypothesis"].code[0].status == ""
    assert entries["Logarithmic Pruning is All You Need"].code == ()
    notes = Counter(e.venue_note for e in entries.values())
    assert notes == {"": 263, "Oral": 8, "Spotlight": 5, "Best": 2}


def test_title_whitespace_is_normalised():
    entry = one_row("| [  Spaced\tout   title ](https://arxiv.org/abs/1) | ICLR **(Oral)** | `WF` | - |")
    assert (entry.title, entry.venue, entry.venue_note, entry.types, entry.anomalies) == (
        "Spaced out title", "ICLR", "Oral", ("F", "W"), ()
    )


def test_parsing_the_list_costs_work_in_proportion_to_its_rows():
    """70 rows ×4 (distinct copies) cost about 4× the work of 70 rows (speed: benchmarks/)."""
    part = readmes.subset(load_readme_text(UPSTREAM.read_bytes()), lambda i, entry: i < 70)
    assert len(parse_readme(readmes.repeated(part, 4))) == 4 * 70
    assert growth(lambda k: readmes.repeated(part, k), parse_readme, 1) <= 4.4


# ---------------------------------------------------------------- decoding


def test_load_readme_text_handles_bom_and_crlf():
    data = "\ufeff### 2020\r\n".encode() + HEADER.replace("\n", "\r\n").encode() + (
        "| [Ünïcode](https://arxiv.org/abs/2001.00001) | CVPR | `F` | - |\r".encode()
    )
    text = load_readme_text(data)
    assert "\r" not in text and not text.startswith("\ufeff")
    (entry,) = parse_readme(text)
    assert (entry.line, entry.title) == (4, "Ünïcode")


def test_parse_readme_accepts_crlf_text_directly():
    (entry,) = parse_readme(table("| [T](https://arxiv.org/abs/1) | CVPR | `F` | - |").replace("\n", "\r\n"))
    assert entry.line == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the README is empty"),
        (b"  \n\r\n\t", "the README is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the README looks binary: control byte 0x1a at offset 6"),
        (b"### 2020\n\x00\x01", "the README looks binary: control byte 0x00 at offset 9"),
        (b"### 2020\n\xff\xfe bad", "the README is not UTF-8 text: invalid byte at offset 9"),
    ],
)
def test_load_readme_text_rejects_bad_bytes(data, message):
    with pytest.raises(ReadmeError) as caught:
        load_readme_text(data)
    assert str(caught.value) == message


def test_every_control_byte_is_found_where_it_is():
    # load_readme_text screens for control bytes with bytes.translate, then asks the pattern
    # where the first one is: the two must agree on every byte value.
    for byte in range(256):
        data = b"### 2020\n| a | b |\n" + bytes([byte]) + b" tail\n"
        try:
            load_readme_text(data)
            refused = ""
        except ReadmeError as err:
            refused = str(err)
        if re.search(_CONTROL_BYTES, bytes([byte])):
            assert refused == f"the README looks binary: control byte 0x{byte:02x} at offset 19"
        else:
            assert refused in ("", "the README is not UTF-8 text: invalid byte at offset 19"), hex(byte)


# ---------------------------------------------------------------- malformed documents


NO_TABLE = "no paper table found: the README has no markdown table (a table needs a header row, then a delimiter row like |---|---|)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the README is empty"),
        ("\n \n", "the README is empty"),
        ("a\x00b", "the README looks binary: it contains NUL characters"),
        ("# Awesome Pruning\n\nNo tables here.\n", NO_TABLE),
        (  # a list kept in an HTML table: said so, not just "no table"
            '# Papers\n<table>\n<tr><th>Title</th></tr>\n<tr><td><a href="https://arxiv.org/abs/1">T</a></td></tr>\n</table>\n',
            NO_TABLE.replace("no markdown table", "an HTML <table> but no markdown table; HTML tables are not read"),
        ),
        (
            "### Type of Pruning\n| Type | `F` |\n|--|--|\n| Explanation | Filter pruning |\n",
            "no paper rows found: saw 1 table (line 2: Type | F (1 rows)); a paper table needs a title column "
            "(Title, Paper, Name, …): map one with --columns title=HEADER",
        ),
        (
            table(year=2020),
            "no paper rows found: saw 2 tables (line 2: Title | Venue | Type | Code (0 rows); line 6: Type | F | W | S | Other (1 rows)); "
            "a paper table needs a title column (Title, Paper, Name, …): map one with --columns title=HEADER",
        ),
        (
            "### 2021\n| Name of it | Conf |\n|--|--|\n| [T](https://arxiv.org/abs/1) | ICLR |\n",
            "no paper rows found: saw 1 table (line 2: Name of it | Conf (1 rows)); a paper table needs a title column "
            "(Title, Paper, Name, …): map one with --columns title=HEADER",
        ),
        (
            "### 2019\n| Title | Venue | Type | Code |\n|--|-x-|--|--|\n| [A](https://arxiv.org/abs/1) | CVPR | `F` | - |\n",
            "no paper table found: the README has 3 table-shaped lines but no table (a table needs a header row, then a delimiter row like |---|---|)",
        ),
    ],
)
def test_unreadable_readme_raises_one_line_error(text, message):
    with pytest.raises(ReadmeError) as caught:
        parse_readme(text)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_tables_under_any_heading_are_read():
    text = (
        "### Type of Pruning\n| Type | `F` |\n|--|--|\n| Explanation | Filter pruning |\n\n"
        + table("| [A](https://arxiv.org/abs/1) | CVPR | `F` | - |", year=2020)
        + "\n## Related Repo\n\n"
        + HEADER
        + "| [B](https://arxiv.org/abs/2) | CVPR | `F` | - |\n"
    )
    assert [(e.title, e.year) for e in parse_readme(text)] == [("A", 2020), ("B", None)]


def test_deeper_heading_stays_in_the_year_section():
    text = "### 2020\n" + HEADER + "| [A](https://arxiv.org/abs/1) | CVPR | `F` | - |\n\n#### Orals\n\n" + HEADER
    text += "| [B](https://arxiv.org/abs/2) | CVPR | `F` | - |\n\n## Later\n\n" + HEADER
    text += "| [C](https://arxiv.org/abs/3) | CVPR | `F` | - |\n"
    assert [(e.year, e.title) for e in parse_readme(text)] == [(2020, "A"), (2020, "B"), (None, "C")]


def test_a_split_table_is_read_on_and_reported():
    text = table("| [A](https://arxiv.org/abs/1) | CVPR | `F` | - |") + "\n| [B](https://arxiv.org/abs/2) | CVPR | `F` | - |\n"
    text = "### 2020\n" + HEADER + "| [A](https://arxiv.org/abs/1) | CVPR | `F` | - |\n\n| [B](https://arxiv.org/abs/2) | CVPR | `W` | - |\n"
    a, b = parse_readme(text)
    assert (a.title, a.anomalies) == ("A", ())
    assert (b.title, b.line, b.year) == ("B", 6, 2020)
    assert [(x.code, x.message) for x in b.anomalies] == [
        ("table-split", "the blank line 5 splits the table: GitHub shows this row as text")
    ]


# ---------------------------------------------------------------- row anomalies (the row is kept)


@pytest.mark.parametrize(
    ("row", "anomalies"),
    [
        ("| [A](https://arxiv.org/abs/1) | CVPR |", [("cell-count", "row has 2 cells; expected 4 (Title | Venue | Type | Code)")]),
        ("| [A](https://arxiv.org/abs/1) | CVPR | `F` | - | extra |",
         [("cell-count", "row has 5 cells; expected 4 (Title | Venue | Type | Code)")]),
        ("| [A](https://arxiv.org/abs/1) | CVPR | `F` | - | [//]: #Recommend", []),  # GitHub shows nothing more
        ("| [A](https://arxiv.org/abs/1) | CVPR | `F` | - | <!-- note --> |", []),
        ("| [A](https://arxiv.org/abs/1) | CVPR | `F` | - | | [//]: # x |", []),
        ("| Just a title | CVPR | `F` | - |", [("missing-link", "the title cell has no link")]),
        ("| [](https://arxiv.org/abs/1) | CVPR | `F` | - |", [("empty-title", "the title is empty")]),
        ("| [A](https://arxiv.org/abs/1) S | CVPR | `F` | - |",
         [("stray-text", "stray text 'S' in the title cell, outside its links")]),
        ("| [Pruning Things github](https://arxiv.org/abs/1) | CVPR | `F` | - |",
         [("stray-word", "the title ends with the stray word 'github'")]),
        ("| [Net Slim Net Slim](https://arxiv.org/abs/1) | CVPR | `F` | - |",
         [("duplicated-title", "the title is written twice: 'Net Slim'")]),
        ("| [A](arxiv.org/abs/1) | CVPR | `F` | - |",
         [("bad-url", "the paper link 'arxiv.org/abs/1' is not a valid http(s) URL")]),
        ("| [A](https://arxiv.org/abs/1) | CVPR | `F` | [PT](https://https://github.com/x/y) |",
         [("bad-code-url", "code link 'PT' has a malformed URL 'https://https://github.com/x/y'")]),
        ("| [A](https://arxiv.org/abs/1) | CVPR | `F` | [PT](https://github.com/x/y) soon |",
         [("stray-code-text", "stray text 'soon' in the Code cell")]),
        ("| [A](https://arxiv.org/abs/1) | CPVR | `F` | - |", [("unknown-venue", "unknown venue 'CPVR'")]),
        ("| [A](https://arxiv.org/abs/1) | | `F` | - |", [("missing-venue", "the Venue cell is empty")]),
        ("| [A](https://arxiv.org/abs/1) | CVPR **(Poster)** | `F` | - |",
         [("unknown-venue-note", "unknown venue note 'Poster'; expected Oral, Spotlight or Best")]),
        ("| [A](https://arxiv.org/abs/1) | CVPR | `X` | - |", []),  # an unknown code: `check` reports it once per code
        ("| [A]() | CVPR | `F` | - |", [("empty-link", "the title's link is empty: '[Title]()'")]),
        ("this line has no pipe at all",
         [("cell-count", "row has 1 cells; expected 4 (Title | Venue | Type | Code)"),
          ("missing-link", "the title cell has no link"), ("missing-venue", "the Venue cell is empty")]),
    ],
)
def test_row_anomalies(row, anomalies):
    entry = one_row(row)
    assert [(a.code, a.message) for a in entry.anomalies] == anomalies


def test_clean_row_has_no_anomalies():
    entry = one_row(
        "| [A: B](https://arxiv.org/abs/1), [Extension1](https://arxiv.org/abs/2) | NIPS | `Other` "
        "| [TF(Author)](https://github.com/a/b)(Releasing), [PT(3rd)](https://github.com/c/d) |"
    )
    assert entry.anomalies == ()
    assert entry.code == (CodeLink("TF(Author)", "https://github.com/a/b", "(Releasing)"),
                          CodeLink("PT(3rd)", "https://github.com/c/d", ""))


def test_unsafe_link_schemes_are_not_links():
    entry = one_row("| [A](javascript:alert(1)) | CVPR | `F` | - |")
    assert entry.url == ""
    assert [a.code for a in entry.anomalies] == ["missing-link"]


@pytest.mark.parametrize(
    ("line", "count"),
    [("| a | b | c | d |", 4), ("a | b | c | d", 4), ("| a \\| b | c |", 2), ("| a |", 1), ("||||", 3), ("", 0)],
)
def test_count_cells(line, count):
    assert count_cells(line) == count


def _cells_by_definition(line: str) -> list[str]:
    """GFM's rule, one character at a time: a pipe after an odd run of backslashes is text."""
    cells, cell, backslashes = [], "", 0
    for char in line.strip():
        if char == "|" and backslashes % 2 == 0:
            cells.append(cell)
            cell = ""
        else:
            cell += char
        backslashes = backslashes + 1 if char == "\\" else 0
    cells.append(cell)
    if len(cells) > 1 and not cells[0].strip():
        cells.pop(0)
    if len(cells) > 1 and not cells[-1].strip():
        cells.pop()
    return cells


@given(st.text(alphabet="|\\ ab", max_size=30))
def test_split_cells_follows_the_escaping_rule(line):
    assert split_cells(line) == _cells_by_definition(line)


@pytest.mark.parametrize(
    ("title", "half"),
    [("Fire Together Fire Together", "Fire Together"), ("AbcdAbcd", "Abcd"), ("Abc Abc", ""), ("Pruning Filters", "")],
)
def test_doubled_half(title, half):
    assert doubled_half(title) == half


# ---------------------------------------------------------------- hostile and random input


# A hostile row of about `k` units (k = 50,000 is the full size).
HOSTILE_ROWS = {
    "deep brackets": lambda k: "| " + "[" * k + " | CVPR | `W` | - |",
    "nested links": lambda k: "| " + "[a](" * (k * 2 // 5) + " | CVPR | `W` | - |",
    "huge cell": lambda k: "| [" + "a " * (4 * k) + "](https://arxiv.org/abs/1) | CVPR | `W` | - |",
    "emphasis": lambda k: "| " + "*a " * k + " | CVPR | `W` | - |",
    "backticks": lambda k: "| " + "`" * k + " | CVPR | `W` | - |",
    "angle link": lambda k: "| [a](<" + "<" * k + ") | CVPR | `W` | - |",
    "escapes": lambda k: "| " + "\\" * (2 * k + 1) + "| CVPR | `W` | - |",
    "pipes": lambda k: "|" * (2 * k),
}
HOSTILE = {kind: row(50_000) for kind, row in HOSTILE_ROWS.items()}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("|   |  |\t| |", "an empty table row"),
        ("|\u2003| \u00a0 |  |  |", "an empty table row"),
        ("|:--|:--:|--|-|", "a second delimiter row inside the table"),
        ("| : | :: |  | - |", "a second delimiter row inside the table"),
        ("|:-- \u2003| --: |  |  |", "a second delimiter row inside the table"),
        ("| -:- | - | - | - |", None),  # (a colon inside a cell: not a delimiter)
        ("| [-](https://x.org/1) | - | - | - |", None),
    ],
)
def test_empty_and_delimiter_rows_inside_a_table_are_skipped(row, reason):
    parsed = read_list(table(row, "| [B](https://arxiv.org/abs/2) | CVPR | `W` | - |"))
    assert [s.reason for s in parsed.skipped] == ([reason] if reason else [])
    assert len(parsed.entries) == (1 if reason else 2)


@pytest.mark.parametrize("row", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_rows_are_read_or_skipped(row):
    """Each hostile row is a paper or a skipped row on its own line (speed: benchmarks/)."""
    parsed = read_list(table(row, "| [B](https://arxiv.org/abs/2) | CVPR | `W` | - |"))
    assert parsed.rows_seen == 2
    assert {e.line for e in parsed.entries} | {s.line for s in parsed.skipped} == {4, 5}
    assert parsed.entries[-1].title == "B"


@pytest.mark.parametrize("kind", HOSTILE_ROWS)
def test_hostile_rows_cost_work_in_proportion_to_their_size(kind):
    """A 4× longer hostile row costs about 4× the work, not 16× (its speed: benchmarks/)."""
    second = "| [B](https://arxiv.org/abs/2) | CVPR | `W` | - |"  # a row of pipes alone is skipped
    assert growth(lambda k: table(HOSTILE_ROWS[kind](k), second), read_list, 2_500) <= 4.4


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_readme_error(data):
    try:
        parse_readme(load_readme_text(data))
    except ReadmeError as exc:
        assert "\n" not in str(exc)


PIECES = [*"|[]()*`-:# \n\\<>!WFSO2019ab", "### 2020\n", HEADER, "[t](https://arxiv.org/abs/1)", "**(Oral)**"]
markdownish = st.lists(st.sampled_from(PIECES), max_size=200).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=1000), markdownish))
def test_random_text_raises_only_readme_error(text):
    try:
        entries = parse_readme(text)
    except ReadmeError as exc:
        assert "\n" not in str(exc)
    else:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert all(1 <= e.line <= len(lines) for e in entries)


def test_each_distinct_venue_and_type_cell_is_read_once(monkeypatch):
    # The list repeats ~40 venue cells and ~6 type cells over 278 rows (×10 at real scale).
    from prune2bib import readme
    from prune2bib.lists import cells

    venues, types = [], []
    venue_cell, type_cell = cells.parse_venue_cell, readme.parse_type_cell
    monkeypatch.setattr(cells, "parse_venue_cell", lambda text, known: (venues.append(text), venue_cell(text, known))[1])
    monkeypatch.setattr(readme, "parse_type_cell", lambda text, taxonomy: (types.append(text), type_cell(text, taxonomy))[1])
    entries = parse_readme(UPSTREAM.read_text(encoding="utf-8"))
    assert len(venues) == len(set(venues)) < len(entries) / 4
    assert len(types) == len(set(types)) < 12
    assert Counter(e.venue for e in entries)["CVPR"] > 30 and Counter(e.types for e in entries)[("F",)] > 100


@given(st.text(alphabet=st.sampled_from("[]()<>*_`!\\&~:ab é|\t"), max_size=40))
def test_markup_count_counts_every_markup_character(cell):
    from prune2bib.lists import inline

    assert inline.markup_count(cell) == sum(ch in inline._MARKUP_CHARS for ch in cell)


def test_each_distinct_venue_and_type_cell_is_read_to_text_once(monkeypatch):
    import prune2bib.readme as readme_module

    read = []
    plain = readme_module.plain
    monkeypatch.setattr(readme_module, "plain", lambda pieces: read.append(pieces) or plain(pieces))
    text = load_readme_text(UPSTREAM.read_bytes())
    entries = read_list(text).entries
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    distinct = {cell for line in rows for cell in line.split("|")[2:4]}  # venue and type cells, as written
    assert len(entries) > 250 and len(read) == len(distinct) < len(entries) / 5


@pytest.mark.parametrize(("text", "expected"), [("a\r\nb\rc\n\r\n", "a\nb\nc\n\n"), ("a\nb\n", "a\nb\n"), ("\r", "\n"), ("", "")])
def test_newlines_are_normalised_to_lf(text, expected):
    from prune2bib.readme import normalise_newlines

    assert normalise_newlines(text) == expected
