"""Listings indexed once when stored (issue 9 point 3): a row is matched in O(1), not O(listing).

- The index finds every record the matching rule would take from a scan of the whole listing
  (mutated titles: slips, spacing, digits, added words), in memory and in the cache.
- Work per row does not grow with the listing: with a listing ten times larger, a warm run
  normalises as many titles and decodes as many records (counted by wrapping the functions).
- Links: the record at a row's own link is found by its identifier without identifying every URL.
- Schema: a version-1 cache (listings as one JSON array) is migrated in place, a damaged listing
  is dropped, a newer schema is refused in one line.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter

import pytest
from rapidfuzz import fuzz, process

from conftest import UPSTREAM
from prune2bib import cache as cache_module
from prune2bib import listings, match
from prune2bib.cache import FILE_NAME, SCHEMA_VERSION, open_cache, record_to_json
from prune2bib.errors import CacheError
from prune2bib.identify import identify
from prune2bib.readme import Entry, parse_readme
from prune2bib.record import PAPER_CONFERENCE, Person, Record
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import dblp
from simulator.proceedings import distractor_title

ROW_TITLES = sorted({e.title for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))})
NEURIPS_2021 = dblp.listing_key("NeurIPS", 2021)


def paper(title: str, n: int, url: str = "") -> Record:
    return Record(type=PAPER_CONFERENCE, title=title, authors=(Person(f"A{n}", "Synth"),), issued=(2021,),
                  container_title_short="NeurIPS", url=url)  # fmt: skip


def distractors(count: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    return [paper(distractor_title(rng), 10_000 + k) for k in range(count)]


def scan(title: str, records: list[Record], titles: list[str]) -> Record | None:
    """The rule applied to every listed record (`titles`: theirs, normalised): what an index must
    agree with. rapidfuzz's own scan keeps the near-identical ones (the rule takes no other)."""
    wanted = match.normalize_title(title)
    near = process.extract(wanted, titles, scorer=fuzz.ratio, score_cutoff=listings.MATCH_MIN_RATIO, limit=None)
    position = listings.choose(wanted, [(n, t) for t, _, n in near]) if wanted else None
    return None if position is None else records[position]


def mutations(title: str, rng: random.Random) -> list[str]:
    words = title.split()
    out = [title, title.upper(), title.replace(" ", "  ") + "."]
    for _ in range(4):  # one or two letter slips in random words
        w = list(words)
        for i in rng.sample(range(len(w)), min(len(w), rng.choice((1, 2)))):
            if len(w[i]) > 1:
                j = rng.randrange(len(w[i]))
                w[i] = w[i][:j] + rng.choice("aeiost") + w[i][j + 1 :] if rng.random() < 0.5 else w[i][:j] + w[i][j + 1 :]
        out.append(" ".join(w))
    if len(words) > 1:
        i = rng.randrange(len(words) - 1)
        out.append(" ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :]))  # two words run together
    out += [title + " II", " ".join(words[:-1]), title.replace("1", "2")]
    return out


# ---------------------------------------------------------------------- the index agrees with a scan


def test_the_index_finds_what_a_scan_of_the_whole_listing_finds(tmp_path):
    rng = random.Random(9)
    records = [paper(t, n) for n, t in enumerate(ROW_TITLES)] + distractors(2000, seed=9)
    # Near twins in the listing itself: a slip of a row's title beside it, so the refusal is exercised.
    records += [paper(t.replace("Pruning", "Prunning"), 90_000 + n) for n, t in enumerate(ROW_TITLES[:40]) if "Pruning" in t]
    records += [paper(t, 95_000 + n) for n, t in enumerate(ROW_TITLES[40:60])]  # exact twins: the first listed is taken
    rng.shuffle(records)
    titles = [match.normalize_title(r.title) for r in records]
    memory = listings.MemoryListing(records)
    with open_cache(tmp_path) as cache:
        cache.put_listing(NEURIPS_2021, "dblp", records, expires=False)
        stored = cache.listing(NEURIPS_2021)
        outcomes = Counter()
        for title in ROW_TITLES:
            for asked in mutations(title, rng):
                expected = scan(asked, records, titles)
                assert memory.match_title(asked) == expected, asked
                assert stored.match_title(asked) == expected, asked
                assert dblp.match_in_listing(asked, stored) == expected
                outcomes["found" if expected else "none"] += 1
    assert outcomes["found"] > 1000 and outcomes["none"] > 500, outcomes  # both kinds of answer were checked


def test_near_identical_titles_are_matched_and_twins_refused():
    listing = listings.MemoryListing([
        paper("Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration", 1),
        paper("Pruning Filters for Efficient ConvNets", 2),
        paper("Learning Sparse Networks Using Targeted Dropout A", 3),
        paper("Learning Sparse Networks Using Targeted Dropout B", 4),
        paper("Dropout", 5),
        paper("ResNet-50 Pruning", 6),
    ])  # fmt: skip
    assert listing.match_title("Filter Pruning via Geometric Median for Deep Convolutional Neural Network Acceleration").authors[0].family == "A1"
    assert listing.match_title("Pruning Filters for Efficient Conv Nets").authors[0].family == "A2"  # spacing
    assert listing.match_title("Dropout.").authors[0].family == "A5"
    assert listing.match_title("Droput") is None  # one letter off in seven is not near-identical
    assert listing.match_title("Learning Sparse Networks Using Targeted Dropout") is None  # a word short of both
    assert listing.match_title("Learning Sparse Networks Using Targeted Dropout C") is None  # one letter from two
    assert listing.match_title("ResNet-101 Pruning") is None  # digits are never a slip
    assert listing.match_title("") is None and listing.match_title("!!!") is None


def test_an_exact_title_is_found_with_one_plain_lookup(tmp_path, monkeypatch):
    # Most rows of a warm run: their title exactly. The blocks' shared-key count is asked only
    # for a title with no exact record (a slip, a missing word).
    asked = []
    candidates = cache_module.StoredListing.candidates
    monkeypatch.setattr(cache_module.StoredListing, "candidates", lambda self, query: asked.append(query) or candidates(self, query))
    title = "Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration"
    with open_cache(tmp_path) as cache:
        cache.put_listing(NEURIPS_2021, "dblp", [paper(title, 1)] + distractors(50, seed=3), expires=False)
        stored = cache.listing(NEURIPS_2021)
        assert stored.match_title(title).authors[0].family == "A1"
        assert [q.blocks for q in asked] == [()]
        asked.clear()
        assert stored.match_title(title.replace("Acceleration", "Acceleraton")).authors[0].family == "A1"
        assert [bool(q.blocks) for q in asked] == [False, True]


def test_one_word_titles_are_found_through_their_one_deletion_keys(tmp_path):
    with open_cache(tmp_path) as cache:  # (a one-word query has no blocks: an empty SQL list)
        cache.put_listing(NEURIPS_2021, "dblp", [paper("Dropout", 1), paper("Hyperparameterization", 2)], expires=False)
        stored = cache.listing(NEURIPS_2021)
        assert stored.match_title("Dropout.").title == "Dropout"
        assert stored.match_title("Hyperparametrization").title == "Hyperparameterization"  # one letter in 21
        assert stored.match_title("Dropouts") is None  # one letter in seven is not near-identical


def test_storing_a_listing_again_replaces_its_index(tmp_path):
    with open_cache(tmp_path) as cache:
        cache.put_listing(NEURIPS_2021, "dblp", [paper("Pruning Filters for Efficient ConvNets", 1)], expires=True)
        cache.put_listing(NEURIPS_2021, "dblp", [paper("Rethinking the Value of Network Pruning", 2)], expires=False)
        stored = cache.listing(NEURIPS_2021)
        assert (stored.size, stored.stale) == (1, False)
        assert stored.match_title("Pruning Filters for Efficient ConvNets") is None
        assert stored.match_title("Rethinking the Value of Network Pruning").authors[0].family == "A2"
        conn = sqlite3.connect(cache.path)
        assert conn.execute("SELECT COUNT(DISTINCT listing) FROM listing_keys").fetchone() == (1,)
        assert cache.get_listing(NEURIPS_2021).records == (paper("Rethinking the Value of Network Pruning", 2),)


def test_the_record_at_a_rows_link_is_found_by_its_identifier(tmp_path):
    link = "https://proceedings.neurips.cc/paper/2021/hash/5227b6aaf294f5f027273aebf16015f2-Abstract.html"
    records = distractors(300, seed=2) + [paper("Sparse Training via Boosting Pruning Plasticity with Neuroregeneration", 1, link)]
    with open_cache(tmp_path) as cache:
        cache.put_listing(NEURIPS_2021, "dblp", records, expires=False)
        stored = cache.listing(NEURIPS_2021)
        pdf = link.replace("hash", "file").replace("-Abstract.html", "-Paper.pdf")  # the same paper's PDF link
        assert stored.at_link(identify(pdf)).title.startswith("Sparse Training via Boosting")
        assert stored.at_link(identify(link.replace("5227", "5228"))) is None


def test_a_lookup_searches_the_index_and_never_scans_a_listing(tmp_path):
    """Every statement a row's lookup sends is an index SEARCH (SQLite's plan), never a SCAN of the
    listing: a planner walking the listing in order would make each lookup O(listing) again."""
    link = "https://proceedings.neurips.cc/paper/2021/hash/5227b6aaf294f5f027273aebf16015f2-Abstract.html"
    records = distractors(2000, seed=3) + [paper("Sparse Training via Boosting Pruning Plasticity with Neuroregeneration", 1, link)]
    with open_cache(tmp_path) as cache:
        cache.put_listing(NEURIPS_2021, "dblp", records, expires=False)
        conn = cache._connection()
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        stored = cache.listing(NEURIPS_2021)
        assert stored.match_title("Sparse Training via Boosting Pruning Plasticity with Neuroregeneration.") is not None
        assert stored.match_title("Dropout") is None
        assert stored.at_link(identify(link)) is not None
        conn.set_trace_callback(None)
        plans = {sql: [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)] for sql in statements}
    assert len(plans) >= 4
    for sql, plan in plans.items():
        assert not [step for step in plan if step.startswith("SCAN")], (sql, plan)


# ---------------------------------------------------------------------- work per row is constant


class Counted:
    def __init__(self, monkeypatch):
        self.calls = Counter()
        for owner, name in ((match, "normalize_title"), (dblp, "normalise_title"), (cache_module, "record_from_json")):
            monkeypatch.setattr(owner, name, self._counting(name, getattr(owner, name)))

    def _counting(self, name, function):
        def counted(*args, **kwargs):
            self.calls[name] += 1
            return function(*args, **kwargs)

        return counted


def neurips_rows(titles: list[str]) -> list:
    rows = []
    for n, title in enumerate(titles, 1):
        url = f"https://proceedings.neurips.cc/paper/2021/hash/{n:032x}-Abstract.html"
        rows.append((Entry(n, 2021, title, url, "NeurIPS", ("F",)), identify(url)))
    return rows


def warm_work(directory, counted: Counted, size: int) -> dict[str, int]:
    """What a warm (cache-only) run of 30 NeurIPS 2021 rows costs against a listing of `size` papers."""
    listed = ROW_TITLES[:20]
    records = distractors(size, seed=size) + [paper(t, n) for n, t in enumerate(listed)]
    rows = neurips_rows(listed + ROW_TITLES[100:110])  # 20 rows in the listing, 10 not in it
    with open_cache(directory) as cache:
        cache.put_listing(NEURIPS_2021, "dblp", records, expires=False)
        counted.calls.clear()
        outcomes = resolve_rows(rows, Settings(offline=True), cache=cache)
    assert [o.status for o in outcomes] == ["cached"] * 20 + ["cache-miss"] * 10
    assert [o.record.title for o in outcomes[:20]] == listed
    return dict(counted.calls)


def test_a_warm_run_does_the_same_work_against_a_listing_ten_times_larger(tmp_path, monkeypatch):
    counted = Counted(monkeypatch)
    small, large = warm_work(tmp_path / "small", counted, 300), warm_work(tmp_path / "large", counted, 3000)
    assert small == large  # title normalisations and record decodes do not grow with the listing
    assert large["record_from_json"] == 20  # only the records taken are decoded
    assert large.get("normalise_title", 0) == 0  # DBLP's own normaliser is not run over listings


def test_storing_normalises_each_listed_title_once(tmp_path, monkeypatch):
    records = distractors(500, seed=1)
    with open_cache(tmp_path) as cache:
        counted = Counted(monkeypatch)
        cache.put_listing(NEURIPS_2021, "dblp", records, expires=False)
        assert counted.calls["normalize_title"] == 500
        stored = cache.listing(NEURIPS_2021)
        before = dict(counted.calls)
        stored.match_title(records[7].title)
        assert counted.calls["normalize_title"] - before["normalize_title"] == 1  # the row's own title
        assert counted.calls["record_from_json"] - before.get("record_from_json", 0) == 1


# ---------------------------------------------------------------------- schema versions


V1_SCHEMA = """
CREATE TABLE results (key TEXT PRIMARY KEY, source TEXT NOT NULL, status TEXT NOT NULL, record TEXT,
                      reason TEXT NOT NULL DEFAULT '', expires INTEGER NOT NULL, fetched TEXT NOT NULL);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE listings (key TEXT PRIMARY KEY, source TEXT NOT NULL, records TEXT NOT NULL,
                       expires INTEGER NOT NULL, fetched TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '1');
"""


def v1_cache(directory, listings_: dict[str, str]) -> None:
    """A cache file as prune2bib wrote it before listings were indexed (schema 1)."""
    directory.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(directory / FILE_NAME)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO results VALUES ('doi:10.5555/x', 'crossref', 'found', ?, '', 0, '2024-01-01T00:00:00+00:00')",
                 (record_to_json(paper("A cached DOI record", 9)),))  # fmt: skip
    for key, body in listings_.items():
        conn.execute("INSERT INTO listings VALUES (?, 'dblp', ?, 0, '2024-01-01T00:00:00+00:00')", (key, body))
    conn.commit()
    conn.close()


def test_a_version_1_cache_is_migrated_in_place_without_asking_dblp_again(tmp_path):
    records = [paper(t, n) for n, t in enumerate(ROW_TITLES[:30])]
    cvpr = dblp.listing_key("CVPR", 2019)
    v1_cache(tmp_path, {NEURIPS_2021: "[" + ",".join(record_to_json(r) for r in records) + "]", cvpr: '[{"title": broken'})
    with open_cache(tmp_path) as cache:
        stored = cache.listing(NEURIPS_2021)
        assert stored is not None and stored.size == 30
        assert stored.match_title(ROW_TITLES[12]) == records[12]
        assert cache.get_listing(NEURIPS_2021).records == tuple(records)
        assert cache.listing(cvpr) is None  # a listing that did not decode is dropped, not an error
        assert cache.get("doi:10.5555/x").record.title == "A cached DOI record"  # results are kept as they were
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    assert conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone() == (str(SCHEMA_VERSION),)
    assert "listings_v1" not in {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}


def test_a_cache_from_a_newer_prune2bib_is_refused_in_one_line(tmp_path):
    v1_cache(tmp_path, {})
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    conn.execute("UPDATE meta SET value = '99' WHERE name = 'schema'")
    conn.commit()
    conn.close()
    with open_cache(tmp_path) as cache, pytest.raises(CacheError) as err:
        cache.get("doi:10.5555/x")
    message = str(err.value)
    assert "\n" not in message and "newer prune2bib" in message and "cache clear" in message
    with open_cache(tmp_path) as cache:  # and `cache clear` does start afresh
        cache.clear()
        assert cache.get("doi:10.5555/x") is None


def test_a_failed_migration_leaves_the_old_cache_as_it_was(tmp_path, monkeypatch):
    records = [paper(t, n) for n, t in enumerate(ROW_TITLES[:5])]
    v1_cache(tmp_path, {NEURIPS_2021: json.dumps([json.loads(record_to_json(r)) for r in records])})

    def crash(*args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(cache_module, "_store_listing", crash)
    with open_cache(tmp_path) as cache, pytest.raises(CacheError):
        cache.get("doi:10.5555/x")
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    assert conn.execute("SELECT value FROM meta").fetchone() == ("1",)
    assert conn.execute("SELECT COUNT(*) FROM listings").fetchone() == (1,)
    conn.close()
    monkeypatch.undo()
    with open_cache(tmp_path) as cache:  # the next run migrates it
        assert cache.listing(NEURIPS_2021).match_title(ROW_TITLES[3]) == records[3]
