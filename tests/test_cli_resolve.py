"""The CLI with resolution, against a local fake arXiv (synthetic feeds): --report, the summary
line, zero requests on the second run, `check --resolve` listing a mislinked row, `cache`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from fakeserver import FakeServer
from prune2bib.cli import main
from wire import FakeArxiv, crossref_list, synthetic_arxiv_id

SERVICES = ("ARXIV", "CROSSREF", "OPENREVIEW", "OPENREVIEW2", "DBLP")


def readme(tmp_path):
    rows = [f"| [Synthetic paper {n}](https://arxiv.org/abs/{synthetic_arxiv_id(n)}) | arXiv | `F` | - |" for n in (1, 2)]
    # Row 3 links paper 3, but the list titles it differently: a mislinked row.
    rows.append(f"| [A Different Synthetic Title](https://arxiv.org/abs/{synthetic_arxiv_id(3)}) | arXiv | `W` | - |")
    rows.append("| [Synthetic page](https://example.org/paper.html) | arXiv | `S` | - |")
    text = "### 2021\n| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n" + "\n".join(rows) + "\n"
    path = tmp_path / "README.md"
    path.write_text(text)
    return path


@pytest.fixture
def server(monkeypatch):
    with FakeServer() as fake:
        fake.route("/api/query", FakeArxiv({synthetic_arxiv_id(n): {"n": n} for n in (1, 2, 3)}))
        fake.route("/works", lambda request: crossref_list([]))  # a title query that finds nothing
        for name in SERVICES:  # every other path answers 404: nothing reaches the real services
            monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", fake.url)
        yield fake


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_report_has_one_json_line_per_row(server, tmp_path):
    report = tmp_path / "rows.jsonl"
    result = invoke("export", "--readme", str(readme(tmp_path)), "--report", str(report), "--format", "csljson")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["identifier"], r["status"], r["source"]) for r in lines[:3]] == [
        (f"arxiv:{synthetic_arxiv_id(1)}", "resolved", "arxiv"),
        (f"arxiv:{synthetic_arxiv_id(2)}", "resolved", "arxiv"),
        (f"arxiv:{synthetic_arxiv_id(3)}", "unresolved", "arxiv"),
    ]
    assert lines[2]["reason"].startswith('title mismatch: link points to "Synthetic paper 3"')
    assert lines[0]["authors"] == 2 and lines[0]["fields"]["authors"] == "arxiv" and lines[0]["fields"]["types"] == "readme"
    assert len(lines) == 4 and lines[3]["identifier"] == "url:https://example.org/paper.html"
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("prune2bib: 4 rows, 2 resolved, 2 unresolved (")
    items = json.loads(result.stdout)
    mislinked = next(i for i in items if i["title"] == "A Different Synthetic Title")
    assert "author" not in mislinked  # never exported as the other paper


def test_second_export_asks_nothing(server, tmp_path):
    path = readme(tmp_path)
    invoke("export", "--readme", str(path), "--no-lock")
    sent = len(server.log)
    assert sent >= 1
    second = invoke("export", "--readme", str(path), "--no-lock")
    assert "2 cached" in second.stderr
    # Found records, not-found answers and title mismatches are all cached: nothing is asked again.
    assert len(server.log) == sent


def test_second_export_takes_every_row_from_the_lock(server, tmp_path):
    path = readme(tmp_path)
    invoke("export", "--readme", str(path))
    sent = len(server.log)
    second = invoke("export", "--readme", str(path))
    assert second.stderr.strip().splitlines()[-1].startswith("prune2bib: 4 rows, 2 locked, 2 unresolved (")
    assert len(server.log) == sent


def test_check_resolve_lists_the_mislinked_row(server, tmp_path):
    result = invoke("check", "--readme", str(readme(tmp_path)), "--resolve")
    assert result.exit_code == 1
    assert f"line 6: mislinked: arxiv:{synthetic_arxiv_id(3)}: title mismatch" in result.stdout


def test_cache_info_and_clear(server, tmp_path):
    invoke("export", "--readme", str(readme(tmp_path)), "--no-lock")
    info = invoke("cache", "info")
    assert info.exit_code == 0 and "records.sqlite3" in info.stdout and "arxiv" in info.stdout
    cleared = invoke("cache", "clear", "--yes")
    assert cleared.exit_code == 0 and "removed" in cleared.stdout
    assert " 0 removed" not in cleared.stdout
    again = invoke("export", "--readme", str(readme(tmp_path)), "--no-lock")
    assert "2 resolved" in again.stderr  # asked again after the clear


def test_type_names_can_be_renamed(tmp_path):
    result = invoke("export", "--no-resolve", "--readme", str(readme(tmp_path)), "--format", "ris",
                    "--type-name", "F=channel pruning")  # fmt: skip
    assert "KW  - channel pruning" in result.stdout
    bad = invoke("export", "--no-resolve", "--readme", str(readme(tmp_path)), "--type-name", "X=nothing")
    assert bad.exit_code == 2
