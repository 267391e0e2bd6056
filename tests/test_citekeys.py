"""Citation keys: scheme, collisions, stability across runs, README insertions and new authors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from writer_records import ALL, FPGM, HAN, HRANK, LOTTERY, PFEC, README_ONLY_PREPRINT, README_ONLY_WF

from prune2bib import citekeys
from prune2bib.errors import UsageError
from prune2bib.record import Person, Record

README = Path(__file__).parent / "data" / "awesome-pruning-README-upstream.md"


def readme_records() -> list[Record]:
    """The list's 278 rows as README-only records (title, year, link), read with a plain regex
    so this test does not depend on the README parser."""
    records, year = [], None
    for line in README.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (\d{4})\s*$", line)
        if heading:
            year = int(heading.group(1))
        row = re.match(r"^\|\s*\[(.+?)\]\((\S+?)\)", line)
        if year and row:
            records.append(Record(title=row.group(1).strip(), issued=(year,), url=row.group(2)))
    return records


@pytest.mark.parametrize(
    ("record", "key"),
    [
        (FPGM, "he2019filter"),
        (HRANK, "lin2020hrank"),
        (LOTTERY, "frankle2019lottery"),  # 'The' is skipped
        (HAN, "han2015learning"),
        (README_ONLY_WF, "pruningdeep2023"),  # no author: two title words + year
        (Record(title="Über Pruning", authors=(Person("Schrödinger", "Ł"),), issued=(2020,)), "schrodinger2020uber"),
        (Record(title="On the of", issued=()), "onthe"),
        (Record(title="", authors=(Person(literal="DeepMind Team"),), issued=(2021,)), "team2021untitled"),
    ],
)
def test_base_keys(record, key):
    assert citekeys.base_key(record) == key


def test_278_readme_rows_get_278_distinct_ascii_keys():
    rows = readme_records()
    assert len(rows) == 278
    keys = [r.id for r in citekeys.assign_keys(rows)]
    assert len(set(keys)) == 278
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)
    assert citekeys.assign_keys(rows) == citekeys.assign_keys(rows)  # same every run


def test_collisions_get_suffixes_in_content_order_not_row_order():
    a = Record(title="Pruning Filters Alpha", authors=(Person("Li", "Hao"),), issued=(2017,))
    b = Record(title="Pruning Filters Beta", authors=(Person("Li", "Bo"),), issued=(2017,))
    c = Record(title="Pruning Filters Gamma", authors=(Person("Li", "Chen"),), issued=(2017,))
    forward = [r.id for r in citekeys.assign_keys([a, b, c])]
    backward = [r.id for r in citekeys.assign_keys([c, b, a])]
    assert forward == ["li2017pruning", "li2017pruninga", "li2017pruningb"]
    assert backward == list(reversed(forward))


def test_without_a_keyfile_an_unrelated_insertion_changes_nothing():
    rows = readme_records()
    before = [r.id for r in citekeys.assign_keys(rows[5:])]
    after = [r.id for r in citekeys.assign_keys(rows[:5] + rows[5:])][5:]
    assert after == before


def test_taken_keys_are_not_handed_out():
    a = Record(title="Pruning Filters Alpha", authors=(Person("Li", "Hao"),), issued=(2017,))
    assert citekeys.assign_keys([a], taken=["LI2017PRUNING"])[0].id == "li2017pruninga"  # case-blind, as BibTeX


def test_the_title_identity_carries_the_year():
    # The list holds one title in two years; the title alone never names a paper.
    assert "title:deep compression|2015" in citekeys.identities(Record(title="Deep Compression", issued=(2015,)))
    assert "title:deep compression|" in citekeys.identities(Record(title="Deep Compression"))


def test_an_author_key_is_recognised_with_or_without_suffix():
    assert citekeys.is_author_key("he2019filter", FPGM)
    assert citekeys.is_author_key("he2019filterb", FPGM)
    assert not citekeys.is_author_key("filterpruning2019", FPGM)
    assert not citekeys.is_author_key("pruningdeep2023", README_ONLY_WF)  # no authors: never an author key


def test_an_old_key_file_is_read(tmp_path):
    keyfile = tmp_path / "keys.json"
    keyfile.write_text(json.dumps({"version": 1, "keys": {"he2019filter": ["arxiv:1811.00250"]}}))
    assert citekeys.load_keyfile(keyfile) == {"he2019filter": ["arxiv:1811.00250"]}
    assert citekeys.load_keyfile(tmp_path / "none.json") == {}


def test_broken_keyfile_is_a_domain_error(tmp_path):
    keyfile = tmp_path / "keys.json"
    keyfile.write_text("{not json")
    with pytest.raises(UsageError, match="key file"):
        citekeys.load_keyfile(keyfile)
    keyfile.write_text('{"version": 99, "keys": {}}')
    with pytest.raises(UsageError, match="unsupported"):
        citekeys.load_keyfile(keyfile)


def _folded_the_long_way(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(citekeys._FOLD))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def test_ascii_text_skips_the_decomposition_and_folds_the_same():
    every_char = [chr(c) for c in range(0x3000) if not 0xD800 <= c < 0xE000]
    words = ["Schrödinger-Łukasz", "ResNet-50", "Straße", "İstanbul", "ǅemal", "ﬁlter", "K", "\u212a", *every_char]
    assert [citekeys.ascii_fold(w) for w in words] == [_folded_the_long_way(w) for w in words]
