"""cache.py: round trips, expiry of preprint-only results, damage and locks, info and clear,
and a killed process losing nothing it committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from prune2bib.cache import FILE_NAME, Cache, default_cache_dir, open_cache, record_from_json, record_to_json
from prune2bib.errors import CacheError, UsageError
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, CodeLink, Person, Record

PUBLISHED = Record(
    type=PAPER_CONFERENCE,
    title="Synthetic paper 1",
    authors=(Person("Author1", "Synth"), Person(literal="Synthetic Consortium")),
    issued=(2019, 6, 16),
    container_title="Synthetic Conference",
    page="100-108",
    doi="10.5555/synthetic.1",
    types=("F", "W"),
    code=(CodeLink("PyTorch(Author)", "https://example.org/code", "(Releasing)"),),
)
PREPRINT_RECORD = Record(type=PREPRINT, title="Synthetic paper 2", arxiv_id="2101.00002v1", issued=(2021, 1, 4))


class Now:
    def __init__(self):
        self.value = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def __call__(self):
        return self.value


def test_record_json_round_trip_is_lossless():
    assert record_from_json(record_to_json(PUBLISHED)) == PUBLISHED
    assert record_from_json('{"title": "T", "field_from_the_future": 1}') == Record(title="T")


def test_found_and_not_found_results_round_trip(tmp_path):
    with open_cache(tmp_path) as cache:
        cache.put_found("doi:10.5555/synthetic.1", "crossref", PUBLISHED)
        cache.put_not_found("arxiv:2101.99999", "arxiv", "not found on arXiv")
        hit = cache.get("doi:10.5555/synthetic.1")
        miss = cache.get("arxiv:2101.99999")
        assert cache.get("doi:10.5555/other") is None
    assert (hit.status, hit.source, hit.record, hit.stale) == ("found", "crossref", PUBLISHED, False)
    assert (miss.status, miss.record, miss.reason) == ("not-found", None, "not found on arXiv")
    assert (tmp_path / FILE_NAME).exists()


def test_published_records_never_expire_preprints_and_misses_do(tmp_path):
    now = Now()
    with Cache(tmp_path, now=now) as cache:
        cache.put_found("doi:p", "crossref", PUBLISHED)
        cache.put_found("arxiv:q", "arxiv", PREPRINT_RECORD)
        cache.put_not_found("doi:r", "crossref", "not found on Crossref")
        now.value += timedelta(days=29)
        assert [cache.get(k).stale for k in ("doi:p", "arxiv:q", "doi:r")] == [False, False, False]
        now.value += timedelta(days=2)
        assert [cache.get(k).stale for k in ("doi:p", "arxiv:q", "doi:r")] == [False, True, True]
        assert cache.get("arxiv:q", max_age_days=45).stale is False
        now.value += timedelta(days=10_000)
        assert cache.get("doi:p").stale is False


def test_max_age_comes_from_the_environment(tmp_path, monkeypatch):
    now = Now()
    with Cache(tmp_path, now=now) as cache:
        cache.put_found("arxiv:q", "arxiv", PREPRINT_RECORD)
        now.value += timedelta(days=3)
        monkeypatch.setenv("PRUNE2BIB_PREPRINT_MAX_AGE_DAYS", "2")
        assert cache.get("arxiv:q").stale is True
        monkeypatch.setenv("PRUNE2BIB_PREPRINT_MAX_AGE_DAYS", "soon")
        with pytest.raises(UsageError, match="PRUNE2BIB_PREPRINT_MAX_AGE_DAYS"):
            cache.get("arxiv:q")


def test_default_directory_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PRUNE2BIB_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert default_cache_dir() == tmp_path / "elsewhere"
    assert open_cache().path == tmp_path / "elsewhere" / FILE_NAME


def test_info_counts_per_source_and_status_and_clear_empties(tmp_path):
    with open_cache(tmp_path) as cache:
        assert cache.info().total == 0
        cache.put_found("doi:a", "crossref", PUBLISHED)
        cache.put_found("doi:b", "crossref", PUBLISHED.with_(type=ARTICLE_JOURNAL))
        cache.put_not_found("arxiv:c", "arxiv", "not found on arXiv")
        info = cache.info()
        assert info.counts == (("arxiv", "not-found", 1), ("crossref", "found", 2))
        assert info.size_bytes > 0 and info.path == tmp_path / FILE_NAME
        text = cache.info_text()
        assert str(tmp_path / FILE_NAME) in text and "crossref found: 2" in text and "entries: 3" in text
        assert cache.clear() == 3
        assert cache.info().total == 0 and cache.get("doi:a") is None


def test_a_damaged_file_gives_a_cache_error_and_clear_recovers(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database, just bytes " * 200)
    cache = open_cache(tmp_path)
    with pytest.raises(CacheError, match=r"damaged .*prune2bib cache clear"):
        cache.get("doi:a")
    assert cache.clear() == 0
    assert not (tmp_path / FILE_NAME).exists()
    cache.put_found("doi:a", "crossref", PUBLISHED)
    assert cache.get("doi:a").record == PUBLISHED


def test_a_locked_file_gives_a_cache_error(tmp_path):
    with open_cache(tmp_path) as cache:
        cache.put_found("doi:a", "crossref", PUBLISHED)
    holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        blocked = Cache(tmp_path, busy_timeout=0.1)
        with pytest.raises(CacheError, match="locked by another process"):
            blocked.put_found("doi:b", "crossref", PUBLISHED)
        with pytest.raises(CacheError, match="locked"):
            blocked.clear()  # never deletes a file someone is using
        assert (tmp_path / FILE_NAME).exists()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_uncreatable_directory_gives_a_cache_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CacheError, match="cannot create the cache directory"):
        open_cache(tmp_path / "file" / "sub").get("doi:a")


WRITER = textwrap.dedent(
    """
    import sys, time
    from prune2bib.cache import open_cache
    from prune2bib.record import Record
    cache = open_cache(sys.argv[1])
    for n in range(10_000):
        cache.put_found(f"doi:10.5555/synthetic.{n}", "crossref", Record(title=f"Synthetic paper {n}"))
        print(n, flush=True)   # reported only after the commit returned
        time.sleep(0.002)
    """
)


def test_a_killed_process_loses_no_committed_record(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    committed = []
    try:
        for line in child.stdout:
            committed.append(int(line))
            if len(committed) == 60:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with open_cache(tmp_path) as cache:
        for n in committed:
            assert cache.get(f"doi:10.5555/synthetic.{n}").record.title == f"Synthetic paper {n}"
        assert cache.info().total >= len(committed)
