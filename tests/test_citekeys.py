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


def test_keys_stay_when_a_row_is_inserted_before_old_ones(tmp_path):
    keyfile = tmp_path / "keys.json"
    rows = readme_records()
    before = {r.title + str(r.year): r.id for r in citekeys.assign_keys(rows[1:], keyfile)}
    # a new row at the top whose key would have won the collision with an old row
    old = rows[1]
    newcomer = Record(title=old.title.rsplit(" ", 1)[0], issued=old.issued, url="https://example.org/new")
    assert citekeys.base_key(newcomer) == citekeys.base_key(old)
    # without the key file the newcomer would take the old row's key (it sorts first) ...
    fresh = citekeys.assign_keys([newcomer, old])
    assert fresh[0].id == before[old.title + str(old.year)]
    # ... with it, the old row keeps its key
    after = citekeys.assign_keys([rows[0], newcomer, *rows[1:]], keyfile)
    assert {r.title + str(r.year): r.id for r in after[2:]} == before
    assert len({r.id for r in after}) == len(after)


def test_without_a_keyfile_an_unrelated_insertion_changes_nothing():
    rows = readme_records()
    before = [r.id for r in citekeys.assign_keys(rows[5:])]
    after = [r.id for r in citekeys.assign_keys(rows[:5] + rows[5:])][5:]
    assert after == before


def test_a_paper_that_gains_authors_keeps_its_key(tmp_path):
    keyfile = tmp_path / "keys.json"
    first = citekeys.assign_keys([README_ONLY_WF, README_ONLY_PREPRINT], keyfile)
    resolved = [
        README_ONLY_WF.with_(authors=(Person("Doe", "Jane"),), doi="10.0000/example"),
        README_ONLY_PREPRINT.with_(authors=PFEC.authors, type=PFEC.type, arxiv_id="1608.08710v3"),
    ]
    second = citekeys.assign_keys(resolved, keyfile)
    assert [r.id for r in second] == [r.id for r in first] == ["pruningdeep2023", "pruningfilters2016"]
    # and the new identities were recorded, so the keys also survive a later title change
    data = json.loads(keyfile.read_text())
    assert "doi:10.0000/example" in data["keys"]["pruningdeep2023"]


def test_keys_of_removed_papers_are_never_reused(tmp_path):
    keyfile = tmp_path / "keys.json"
    gone = Record(title="Pruning Filters Alpha", authors=(Person("Li", "Hao"),), issued=(2017,))
    citekeys.assign_keys([gone], keyfile)
    newcomer = Record(title="Pruning Filters Beta", authors=(Person("Li", "Bo"),), issued=(2017,))
    assert citekeys.assign_keys([newcomer], keyfile)[0].id == "li2017pruninga"


def test_two_rows_of_one_paper_get_two_keys_stably(tmp_path):
    keyfile = tmp_path / "keys.json"
    twins = [PFEC, PFEC.with_(url="https://arxiv.org/abs/1608.08710")]
    first = [r.id for r in citekeys.assign_keys(twins, keyfile)]
    second = [r.id for r in citekeys.assign_keys(twins, keyfile)]
    assert first == second and len(set(first)) == 2


def test_keyfile_is_sorted_json(tmp_path):
    keyfile = tmp_path / "keys.json"
    citekeys.assign_keys(ALL, keyfile)
    text = keyfile.read_text()
    data = json.loads(text)
    assert data["version"] == 1 and list(data["keys"]) == sorted(data["keys"])
    assert "arxiv:1811.00250" in data["keys"]["he2019filter"]
    citekeys.assign_keys(ALL, keyfile)
    assert keyfile.read_text() == text


def test_broken_keyfile_is_a_domain_error(tmp_path):
    keyfile = tmp_path / "keys.json"
    keyfile.write_text("{not json")
    with pytest.raises(UsageError, match="key file"):
        citekeys.assign_keys(ALL, keyfile)
    keyfile.write_text('{"version": 99, "keys": {}}')
    with pytest.raises(UsageError, match="unsupported"):
        citekeys.assign_keys(ALL, keyfile)
