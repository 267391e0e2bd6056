"""Work a warm run is spared (issue 9's warm figures): an unchanged lock is not even rendered.

Rendering the lock was about a quarter of a warm export from it (profile of the whole list, see
benchmarks/RESULTS.md); its text only changes when its content does, and `lockfile.render` sorts,
so the same papers in another order are the same lock.
"""

from __future__ import annotations

from msgspec.structs import replace

from test_lock_format import LOCK

from prune2bib.project import lockfile, session


def write_counting_renders(tmp_path, monkeypatch, old, new) -> tuple[bool, int]:
    path = tmp_path / "prune2bib.lock"
    lockfile.write(path, old)
    renders = []
    real = lockfile.render
    monkeypatch.setattr(lockfile, "render", lambda lock: renders.append(1) or real(lock))
    result = session.Result(outcomes=[], lock=new, old=old, changes=[])
    return session.write(result, session.Options(lock_path=path)), len(renders)


def test_an_unchanged_lock_is_not_rendered_whatever_its_order(tmp_path, monkeypatch):
    shuffled = replace(LOCK, papers=tuple(reversed(LOCK.papers)))
    assert write_counting_renders(tmp_path, monkeypatch, LOCK, shuffled) == (False, 0)


def test_a_changed_lock_is_rendered_and_written(tmp_path, monkeypatch):
    first, *rest = LOCK.papers
    changed = replace(LOCK, papers=(replace(first, reason="changed"), *rest))
    assert write_counting_renders(tmp_path, monkeypatch, LOCK, changed) == (True, 1)
    assert lockfile.read(tmp_path / "prune2bib.lock") == lockfile.parse(lockfile.render(changed).encode())
    retired = replace(LOCK, retired=())
    (tmp_path / "r").mkdir()
    assert write_counting_renders(tmp_path / "r", monkeypatch, LOCK, retired)[0] is True


def test_a_lock_read_back_is_the_same_lock_even_when_the_list_names_its_types():
    """The legend's labels ('Special Networks') are not written into the lock: a lock read back
    from its file must still count as unchanged, or every warm run renders it again."""
    from prune2bib.taxonomy import Taxonomy

    taxonomy = Taxonomy(("F", "W", "S", "Other"), {"F": "filter pruning", "W": "weight pruning", "S": "special networks",
                        "Other": "other types"}, frozenset({"F", "W", "S", "Other"}), {"S": "Special Networks"})  # fmt: skip
    lock = replace(LOCK, taxonomy=taxonomy)
    read_back = lockfile.parse(lockfile.render(lock).encode())
    assert read_back.taxonomy.labels == {}  # not written: the reason for this test
    assert lock.same_as(read_back) and read_back.same_as(lock)
    renamed = replace(taxonomy, names={**taxonomy.names, "S": "special nets"})
    assert not replace(lock, taxonomy=renamed).same_as(read_back)  # what is written still counts
