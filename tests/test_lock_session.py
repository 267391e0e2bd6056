"""One export or update against the lock (project/session.py), in-process, with the resolution
stage replaced by a stub that records which rows it was asked about: which rows are taken from the
lock and which are resolved again, statuses, sources, filters, removals, `--frozen`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from msgspec.structs import replace

from prune2bib import pipeline
from prune2bib.errors import FrozenError
from prune2bib.project import Options, export, lockfile, session
from prune2bib.project.lockfile import Lock
from prune2bib.project.session import entries_from_lock, lock_status
from prune2bib.readme import Entry
from prune2bib.record import PAPER_CONFERENCE, PREPRINT, Person, Provenance, Record

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)
ROWS = [
    Entry(line=10, year=2019, title="Filter Pruning via Geometric Median", url="https://arxiv.org/abs/1811.00250", venue="CVPR", types=("F",)),
    Entry(line=11, year=2017, title="Pruning Filters for Efficient ConvNets", url="https://openreview.net/forum?id=rJqFGTslg", venue="ICLR", types=("F",)),
    Entry(line=12, year=2015, title="Learning both Weights and Connections", url="https://arxiv.org/abs/1506.02626", venue="NeurIPS", types=("W",)),
]


class Stub:
    """pipeline.resolve_rows: authors for every row, a published version unless told otherwise."""

    def __init__(self, preprint_only=(), not_found=(), failed=()):
        self.asked: list[str] = []
        self.preprint_only, self.not_found, self.failed = set(preprint_only), set(not_found), set(failed)

    def __call__(self, rows, settings, *, prefer="published", progress=None):
        out = []
        for entry, ident in rows:
            self.asked.append(entry.title)
            if entry.title in self.not_found or entry.title in self.failed:
                reason = "arxiv: HTTP 503 after 4 attempt(s)" if entry.title in self.failed else "not found on DBLP at CVPR 2019"
                record = Record(title=entry.title, issued=(entry.year,), url=entry.url, types=entry.types)
                out.append(pipeline.RowOutcome(entry, record, "unresolved", "dblp", reason,
                                               Provenance((("title", "readme"),))))  # fmt: skip
                continue
            preprint = entry.title in self.preprint_only
            source = "arxiv" if preprint else "dblp"
            record = Record(type=PREPRINT if preprint else PAPER_CONFERENCE, title=entry.title, authors=(Person("Doe", "Jane"),),
                            issued=(entry.year,), url=entry.url, types=entry.types, page="" if preprint else "1-9",
                            container_title="" if preprint else f"Proceedings of {entry.venue}",
                            doi="" if preprint else f"10.5555/{entry.title.split()[0].lower()}")  # fmt: skip
            fields = (("type", source), ("title", source), ("authors", source), ("issued", "readme"))
            fields += () if preprint else (("container_title", "venues"), ("page", "dblp"))
            fields += (("types", "readme"),)
            out.append(pipeline.RowOutcome(entry, record, "resolved", source, "", Provenance(fields),
                                           fetched="2024-12-31T23:30:00-01:00", link_source="arxiv"))  # fmt: skip
        return out


@pytest.fixture
def stub(monkeypatch):
    resolver = Stub()
    monkeypatch.setattr(pipeline, "resolve_rows", resolver)
    return resolver


def options(tmp_path, **kwargs) -> Options:
    return Options(tmp_path / "prune2bib.lock", now=lambda: NOW, max_age_days=30, **kwargs)


def run(tmp_path, rows=ROWS, old=None, row_filter=pipeline.RowFilter(), **kwargs):
    return export(list(rows), row_filter, options(tmp_path, **kwargs), old, resolve_settings=object())


def test_final_rows_come_from_the_lock_and_only_changed_rows_are_resolved(tmp_path, stub):
    first = run(tmp_path)
    assert stub.asked == [e.title for e in ROWS]
    stub.asked.clear()
    moved = replace(ROWS[2], types=("F", "W"), line=99)  # moved to another type and another line
    retitled = replace(ROWS[0], title=ROWS[0].title + " Revisited")
    second = run(tmp_path, [retitled, ROWS[1], moved], old=first.lock)
    assert stub.asked == [retitled.title]  # the move needs no resolution
    by_title = {o.entry.title: o for o in second.outcomes}
    assert by_title[moved.title].status == pipeline.LOCKED and by_title[moved.title].record.types == ("F", "W")
    assert [o.record.id for o in second.outcomes] == [o.record.id for o in first.outcomes]
    assert [c.kind for c in second.changes] == ["retitled", "moved"]


def test_statuses_and_sources_in_the_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "resolve_rows", Stub(preprint_only=[ROWS[0].title], not_found=[ROWS[1].title], failed=[ROWS[2].title]))
    papers = {p.row.title: p for p in run(tmp_path).lock.papers}
    first, second, third = (papers[e.title] for e in ROWS)
    assert (first.status, first.preprint_only, first.final) == ("resolved", True, True)
    assert (second.status, second.final) == ("not-found", True)
    assert (third.status, third.final) == ("failed", False)  # asked again on the next run
    assert dict(first.sources)["title"] == lockfile.Source("arxiv", "2025-01-01")  # the link's record: the cache's day (UTC)
    assert dict(first.sources)["types"] == lockfile.Source("readme")
    assert first.checked == "2025-06-01" and first.key_state == "author" and second.key_state == "provisional"


def test_the_published_source_of_a_field_is_dated_by_the_run_that_took_it(tmp_path, stub):
    paper = next(p for p in run(tmp_path).lock.papers if p.row.title == ROWS[0].title)
    assert dict(paper.sources)["page"] == lockfile.Source("dblp", "2025-06-01")
    # the name the venue table gave is no service's answer: no day
    assert dict(paper.sources)["container_title"] == lockfile.Source("venues")
    assert '"container-title": {"source": "venues"}' in lockfile.render(Lock((paper,)))


@pytest.mark.parametrize(
    "outcome, status",
    [
        (dict(status="resolved"), "resolved"),
        (dict(status="cached", reason="DBLP listing failed: dblp: HTTP 503 after 4 attempt(s)"), "partial"),
        (dict(status="unresolved", reason="not found on DBLP at CVPR 2019"), "not-found"),
        (dict(status="unresolved", reason="dblp: connection failed"), "failed"),
        (dict(status="cache-miss", reason="not in the cache (offline)"), "offline"),
        (dict(status="cached", reason="not in the cache (offline)"), "partial"),
        (dict(status="unresolved", reason="withdrawn (OpenReview)", refused=True), "refused"),
        (dict(status="skipped", reason="no resolver for url links"), "skipped"),
        (dict(status="readme", reason="not resolved (README data only)"), "readme"),
    ],
)
def test_lock_status_of_each_outcome(outcome, status):
    entry = ROWS[0]
    assert lock_status(pipeline.RowOutcome(entry, Record(), **outcome)) == status


def test_update_asks_again_about_aged_preprint_only_and_not_found_rows(tmp_path, monkeypatch):
    stub = Stub(preprint_only=[ROWS[0].title], not_found=[ROWS[1].title])
    monkeypatch.setattr(pipeline, "resolve_rows", stub)
    first = run(tmp_path)
    stub.asked.clear()
    run(tmp_path, old=first.lock, update=True)
    assert stub.asked == []  # not aged yet
    later = replace(options(tmp_path), now=lambda: NOW + timedelta(days=31), update=True)
    checked = export(ROWS, pipeline.RowFilter(), later, first.lock, resolve_settings=object())
    assert stub.asked == [ROWS[0].title, ROWS[1].title]  # the published row is final for good
    dates = {p.row.title: p.checked for p in checked.lock.papers}
    assert dates[ROWS[0].title] == dates[ROWS[1].title] == "2025-07-02"  # checked now: not again for 30 days
    stub.asked.clear()
    export(ROWS, pipeline.RowFilter(), replace(later, update=False), first.lock, resolve_settings=object())
    assert stub.asked == []  # export alone never re-checks a final entry


def test_an_upgrade_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "resolve_rows", Stub(preprint_only=[ROWS[0].title]))
    first = run(tmp_path)
    monkeypatch.setattr(pipeline, "resolve_rows", Stub())
    later = replace(options(tmp_path), now=lambda: NOW + timedelta(days=31), update=True)
    result = export(ROWS, pipeline.RowFilter(), later, first.lock, resolve_settings=object())
    (upgraded,) = [c for c in result.changes if c.kind == "upgraded"]
    assert upgraded.text == "preprint -> published: Proceedings of CVPR 2019 (dblp)" and upgraded.key == "doe2019filter"


def changed_lines(old: Lock, new: Lock) -> list[tuple[str, str]]:
    before, after = lockfile.render(old).splitlines(), lockfile.render(new).splitlines()
    assert len(before) == len(after)
    return [(a.strip(), b.strip()) for a, b in zip(before, after) if a != b]


def test_a_recheck_that_finds_the_same_record_moves_only_its_checked_day(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "resolve_rows", Stub(preprint_only=[ROWS[0].title]))
    first = run(tmp_path)
    later = replace(options(tmp_path), now=lambda: NOW + timedelta(days=31), update=True)
    again = export(ROWS, pipeline.RowFilter(), later, first.lock, resolve_settings=object())
    assert changed_lines(first.lock, again.lock) == [('"checked": "2025-06-01",', '"checked": "2025-07-02",')]
    # and the lock file is rewritten for it: else the row would be asked again at every update
    lockfile.write(later.lock_path, first.lock)
    assert session.write(again, later) is True
    assert later.lock_path.read_text(encoding="utf-8") == lockfile.render(again.lock)


def test_a_retitled_row_keeps_the_days_of_the_values_that_did_not_change(tmp_path, stub):
    first = run(tmp_path)
    later = replace(options(tmp_path), now=lambda: NOW + timedelta(days=40))
    retitled = replace(ROWS[2], title=ROWS[2].title + " for Efficient Neural Networks")
    again = export([*ROWS[:2], retitled], pipeline.RowFilter(), later, first.lock, resolve_settings=object())
    (paper,) = [p for p in again.lock.papers if p.row.title == retitled.title]
    sources = dict(paper.sources)
    assert sources["title"] == lockfile.Source("dblp", "2025-07-11")  # a new title: the day it was taken
    assert sources["authors"] == sources["page"] == lockfile.Source("dblp", "2025-06-01")  # as they were
    assert sources["container_title"] == lockfile.Source("venues")
    assert paper.checked == "2025-07-11"


def test_two_coauthors_updating_the_same_change_on_one_day_write_the_same_lock(tmp_path, stub):
    # Same text, so git merges their two commits without a conflict.
    base = run(tmp_path, ROWS[:2]).lock
    morning = replace(options(tmp_path), now=lambda: NOW + timedelta(days=9, hours=8))
    evening = replace(options(tmp_path), now=lambda: NOW + timedelta(days=9, hours=23, minutes=59))
    alice = export(ROWS, pipeline.RowFilter(), morning, base, resolve_settings=object()).lock
    bob = export(ROWS, pipeline.RowFilter(), evening, base, resolve_settings=object()).lock
    assert lockfile.render(alice) == lockfile.render(bob)


def test_failed_rows_are_asked_again_by_the_next_export(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "resolve_rows", Stub(failed=[ROWS[2].title]))
    first = run(tmp_path)
    later = replace(options(tmp_path), now=lambda: NOW + timedelta(days=1))
    again = export(ROWS, pipeline.RowFilter(), later, first.lock, resolve_settings=object())
    assert again.lock.same_as(first.lock)  # failed again: the entry (and its date) as it was
    stub = Stub()
    monkeypatch.setattr(pipeline, "resolve_rows", stub)
    fixed = export(ROWS, pipeline.RowFilter(), later, first.lock, resolve_settings=object())
    assert stub.asked == [ROWS[2].title]
    paper = next(p for p in fixed.lock.papers if p.row.title == ROWS[2].title)
    assert (paper.status, paper.checked) == ("resolved", "2025-06-02")


def test_refresh_and_another_prefer_resolve_every_row_again_but_keep_the_keys(tmp_path, stub):
    first = run(tmp_path)
    for kwargs in (dict(refresh=True), dict(prefer="preprint")):
        stub.asked.clear()
        again = run(tmp_path, old=first.lock, **kwargs)
        assert stub.asked == [e.title for e in ROWS]
        assert [o.record.id for o in again.outcomes] == [o.record.id for o in first.outcomes]


def test_a_filtered_run_keeps_the_other_rows_entries_and_removes_only_rows_gone_from_the_list(tmp_path, stub):
    first = run(tmp_path)
    only_f = pipeline.RowFilter(types=("F",))
    second = run(tmp_path, ROWS[1:], old=first.lock, row_filter=only_f)  # row 0 left the list
    assert [o.entry.title for o in second.outcomes] == [ROWS[1].title]
    kept = {p.row.title for p in second.lock.papers}
    assert kept == {ROWS[1].title, ROWS[2].title}  # the W row is not selected, but stays
    assert [r.key for r in second.lock.retired] == ["doe2019filter"]
    assert [c.kind for c in second.changes] == ["removed"]


def test_frozen_resolves_nothing_and_refuses_rows_the_lock_does_not_cover(tmp_path, stub):
    first = run(tmp_path, ROWS[:2])
    stub.asked.clear()
    done = run(tmp_path, ROWS[:2], old=first.lock, frozen=True)
    assert stub.asked == [] and [o.status for o in done.outcomes] == [pipeline.LOCKED] * 2
    with pytest.raises(FrozenError, match=r'does not cover 1 row\(s\) of the list \(line 12: "Learning both'):
        run(tmp_path, ROWS, old=first.lock, frozen=True)
    assert stub.asked == []
    with pytest.raises(FrozenError, match="--prefer published records"):
        run(tmp_path, ROWS[:2], old=first.lock, frozen=True, prefer="preprint")


def test_the_lock_alone_gives_back_the_list_rows(tmp_path, stub):
    lock = run(tmp_path).lock
    rows = entries_from_lock(lock)
    assert {(e.title, e.url, e.year, e.venue, e.types) for e in rows} == {(e.title, e.url, e.year, e.venue, e.types) for e in ROWS}
    again = run(tmp_path, rows, old=lock, frozen=True)
    assert {o.record.id: o.record for o in again.outcomes} == {p.key: p.record for p in lock.papers}


def test_a_row_moved_to_another_years_table_with_another_link_keeps_its_key(tmp_path, stub):
    first = run(tmp_path)
    moved = replace(ROWS[0], year=2020, url="https://example.org/fpgm-2020.html", line=3)
    second = run(tmp_path, [moved, *ROWS[1:]], old=first.lock)
    assert second.outcomes[0].record.id == first.outcomes[0].record.id  # its DOI names it: the key comes back
    assert [(c.kind, c.key) for c in second.changes] == [("relinked", "doe2019filter"), ("venue", "doe2019filter"), ("changed", "doe2019filter")]
    assert second.lock.retired == ()


def test_an_unchanged_list_is_matched_without_normalising_a_title(tmp_path, stub, monkeypatch):
    from prune2bib.project import lockfile as lockfile_module

    text = lockfile.render(run(tmp_path).lock).encode()
    calls = []
    real = lockfile_module.normalised_title
    monkeypatch.setattr(lockfile_module, "normalised_title", lambda title: calls.append(title) or real(title))
    run(tmp_path, old=lockfile.parse(text))  # as read from the file: nothing computed yet
    assert calls == []
    retitled = replace(ROWS[1], title=ROWS[1].title + " (Extended)")
    run(tmp_path, [ROWS[0], retitled, ROWS[2]], old=lockfile.parse(text))
    assert sorted(calls) == sorted([ROWS[1].title, retitled.title])  # only the row and the entry left over


def test_a_row_from_the_lock_names_each_fields_source_as_its_resolution_did(tmp_path, stub):
    # (what `--report` prints for the row): the sources the resolution named, and the list for
    # every other field the record has; the empty fields are not named
    first = run(tmp_path)
    again = run(tmp_path, old=lockfile.parse(lockfile.render(first.lock).encode()))
    for resolved, locked in zip(first.outcomes, again.outcomes, strict=True):
        named = dict(resolved.provenance.fields)
        expected = tuple((name, named.get(name, lockfile.LIST_SOURCE)) for name in Record.__struct_fields__
                         if name != "id" and getattr(locked.record, name) not in ("", (), None))  # fmt: skip
        assert locked.from_lock and locked.provenance.fields == expected
        assert {"url", "doi"} <= {name for name, source in expected if source == lockfile.LIST_SOURCE}


def test_an_unchanged_row_keeps_its_lock_entry_as_it_was_read(tmp_path, stub):
    # No copy of each of 2,780 entries on a warm run, and the new lock then compares as the old.
    old = lockfile.parse(lockfile.render(run(tmp_path).lock).encode())
    again = run(tmp_path, old=old)
    before = old.by_key()
    assert all(new is before[new.key] for new in again.lock.papers) and again.lock.same_as(old)
    # ... and telling that it is unchanged builds no entry's written form (2 x 2,780 of them at x10)
    written = []
    real = lockfile._written
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lockfile, "_written", lambda paper: (written.append(paper), real(paper))[1])
        assert again.lock.same_as(old) and written == []
        copied = replace(old, papers=tuple(replace(p) for p in old.papers))  # equal, not the same objects
        assert again.lock.same_as(copied) and len(written) == 2 * len(old.papers)
    moved = run(tmp_path, [ROWS[0], ROWS[1], replace(ROWS[2], types=("F",))], old=old)
    changed = {p.key: p for p in moved.lock.papers if p not in old.papers}
    assert [p.row.types for p in changed.values()] == [("F",)]
