"""Regenerate examples/: `python tests/tools/make_examples.py` (offline, deterministic).

1. fills a temporary cache by replaying the resolution cassettes (replay_into_cache.py);
2. exports, with `prune2bib export --offline` and the committed key file examples/keys/citekeys.json:
   - awesome-pruning.{bib,json,ris}: the whole list (covered rows resolved, the rest README data);
   - filter-pruning.bib: `--type F`;
   - zotero-collections.bib: with `--jabref-groups` (one Zotero collection per type);
   - by-type/{F,W,S,Other}.bib: `--split`;
   - resolved.{bib,json,ris}: `--resolved-only`, the rows with sourced authors.
tests/test_examples.py checks that the committed files equal a fresh regeneration. The exports
run in this process, one after another (click's runner), as `prune2bib export` would in its own.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
import replay_into_cache  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md"

EXPORTS = [
    (["-o", "awesome-pruning.bib"]),
    (["-o", "awesome-pruning.json"]),
    (["-o", "awesome-pruning.ris"]),
    (["--type", "F", "-o", "filter-pruning.bib"]),
    (["--jabref-groups", "-o", "zotero-collections.bib"]),
    (["--format", "bibtex", "--split", "by-type"]),
    (["--resolved-only", "-o", "resolved.bib"]),
    (["--resolved-only", "-o", "resolved.json"]),
    (["--resolved-only", "-o", "resolved.ris"]),
]


def make_examples(out_dir: Path, keyfile: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(tmp) / "cache"
        replay_into_cache.fill_cache(cache_dir)
        env = {"PRUNE2BIB_CACHE_DIR": str(cache_dir), "PRUNE2BIB_DATA_DIR": tmp}
        for n, args in enumerate(EXPORTS):
            # Each export keeps its lock in the temporary folder: a lock is a project's file, not an example.
            command = ["export", "--offline", "--readme", str(UPSTREAM), "--keys", str(keyfile),
                       "--lock", str(Path(tmp) / f"export-{n}.lock"), *args]  # fmt: skip
            _export(out_dir, env, command)
    # --split's bookkeeping (which files it wrote, for the next run): not an example.
    (out_dir / "by-type" / ".prune2bib-split.json").unlink(missing_ok=True)


def _export(cwd: Path, env: dict[str, str], command: list[str]) -> None:
    from prune2bib.cli import main

    with contextlib.chdir(cwd):
        done = CliRunner().invoke(main, command, env=env, catch_exceptions=False)
    if done.exit_code != 0:
        raise SystemExit(f"prune2bib {' '.join(command)} failed ({done.exit_code}):\n{done.stderr}")


if __name__ == "__main__":
    examples = ROOT / "examples"
    shutil.rmtree(examples / "by-type", ignore_errors=True)
    make_examples(examples, examples / "keys" / "citekeys.json")
    print(f"regenerated {examples}")
