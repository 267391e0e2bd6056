"""Benchmarks of prune2bib against the service simulator: one command, results in RESULTS.md.

    python benchmarks/run.py            # everything (the cold run at real intervals takes minutes)
    python benchmarks/run.py --quick    # no ×16, fewer warm repeats

Measures (see RESULTS.md for the goals):
- cold export of the whole list at the real per-service minimum intervals, with 150-400 ms of
  simulated latency: HTTP requests per service, wall time, and the rate-limit floor of that
  request plan (per service requests × minimum interval; services in parallel -> the largest);
- warm export (everything cached) to each format: median wall time and peak RSS of whole
  `python -m prune2bib` processes (os.wait4 gives the child's own rusage), and import time;
- growth: the list ×1, ×4, ×16 (distinct synthetic rows), warm and cold; the cold growth runs
  use intervals scaled by 1/20 (stated in the table) since ×16 at real intervals takes hours.
Only loopback is reached: every service URL points at the simulator and the children load a
sitecustomize that refuses any other address.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from prune2bib import http  # noqa: E402
from prune2bib.readme import load_readme_text, parse_readme  # noqa: E402
from simulator import Dataset, Faults, Simulator, readmes  # noqa: E402
from simulator.child import child_env, command  # noqa: E402

UPSTREAM = ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md"
SERVICES = ("arxiv", "crossref", "openreview", "openreview2", "dblp")
LATENCY = (0.15, 0.40)
FORMATS = {"bibtex": "bib", "csljson": "json", "ris": "ris"}


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int, bytes]:
    """(wall seconds, peak RSS MiB, exit code, stderr) of one whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen([*command(env), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, stderr


def floor_seconds(counts: dict[str, int], scale: float = 1.0) -> tuple[float, dict[str, float]]:
    per = {s: counts.get(s, 0) * http.SERVICES[s].min_interval * scale for s in SERVICES}
    return max(per.values()), per


class Bench:
    def __init__(self, times: int, work: Path):
        self.text = readmes.repeated(load_readme_text(UPSTREAM.read_bytes()), times) if times > 1 else load_readme_text(UPSTREAM.read_bytes())
        self.rows = len(parse_readme(self.text))
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.readme = work / "README.md"
        self.readme.write_text(self.text, encoding="utf-8")
        faults = {h: Faults(latency=LATENCY) for h in SERVICES}
        self.sim = Simulator(Dataset.from_readme(self.text), faults=faults, lifetime=4 * 3600, max_requests=100_000)

    def export(self, fmt: str, scale: float, tag: str) -> tuple[float, float, dict[str, int]]:
        before = self.sim.counts()
        extra = {"PRUNE2BIB_SIM_INTERVAL_SCALE": str(scale)} if scale != 1 else {}
        out = self.work / f"{tag}.{FORMATS[fmt]}"
        args = ["export", "--readme", str(self.readme), "-f", fmt, "-o", str(out), "--report", str(self.work / f"{tag}.jsonl")]
        wall, rss, code, stderr = run_child(args, child_env(self.sim, self.work, **extra))
        if code != 0:
            raise SystemExit(f"export failed ({code}): {stderr.decode()}")
        after = self.sim.counts()
        return wall, rss, {s: after[s] - before[s] for s in SERVICES}


def import_time() -> tuple[float, list[tuple[str, float]]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import prune2bib.cli"], capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((parts[2].rstrip(), int(parts[1]) / 1e6))
    total = next(t for name, t in rows if name.strip() == "prune2bib.cli")
    # '-X importtime' writes "| " then two spaces per nesting level: a direct import has three.
    top = sorted(((n.strip(), t) for n, t in rows if n.startswith("   ") and not n.startswith("    ")), key=lambda x: -x[1])
    return total, top[:8]


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    mem = next((l.split(":", 1)[1].strip() for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), "?")
    return f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {mem} RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return head + (" + uncommitted changes in src/ (working tree as measured)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--warm-runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    opts = parser.parse_args()
    warm_runs = 3 if opts.quick else opts.warm_runs
    lines = [f"# prune2bib benchmarks\n", f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- machine: {machine()}", f"- code measured: commit {commit()}",
             f"- simulator: tests/simulator (loopback), latency {LATENCY[0]:g}-{LATENCY[1]:g} s per request, every service", ""]

    with tempfile.TemporaryDirectory() as tmp:
        # ---------------------------------------------------------------- cold, real intervals
        with Bench(1, Path(tmp) / "x1") as bench:
            wall, rss, counts = bench.export("bibtex", 1.0, "cold")
            floor, per = floor_seconds(counts)
            total = sum(counts.values())
            lines += ["## Cold export of the whole list (278 rows), real per-service minimum intervals\n",
                      "| service | requests | min interval (s) | requests × interval (s) |", "|---|---:|---:|---:|"]
            lines += [f"| {s} | {counts[s]} | {http.SERVICES[s].min_interval:g} | {per[s]:.1f} |" for s in SERVICES]
            lines += ["", f"- requests: {total} for {bench.rows} rows = **{total / bench.rows:.2f} per row** (goal ≤ 0.5)",
                      f"- wall: **{wall:.1f} s**; rate-limit floor (services in parallel = the largest): {floor:.1f} s; "
                      f"wall / floor = **{wall / floor:.2f}** (goal ≤ 1.15); sum of the per-service floors (services one after another): {sum(per.values()):.1f} s",
                      f"- peak RSS {rss:.0f} MiB", ""]
            print("\n".join(lines[-3:]), flush=True)
            # ---------------------------------------------------------------- warm, each format
            lines += ["## Warm export (everything cached) of the whole list\n",
                      f"Median of {warm_runs} whole-process runs (`python -m prune2bib export … -f FORMAT -o FILE`).\n",
                      "| format | median wall (s) | min (s) | peak RSS (MiB) | requests |", "|---|---:|---:|---:|---:|"]
            for fmt in FORMATS:
                runs = [bench.export(fmt, 1.0, f"warm-{fmt}-{i}") for i in range(warm_runs)]
                walls = [w for w, _, _ in runs]
                lines.append(f"| {fmt} | {statistics.median(walls):.3f} | {min(walls):.3f} | {max(r for _, r, _ in runs):.0f} | {sum(sum(c.values()) for *_, c in runs)} |")
                print(lines[-1], flush=True)
            total_import, top = import_time()
            lines += ["", f"Import of `prune2bib.cli` (`python -X importtime`): {total_import * 1000:.0f} ms; largest direct imports: "
                      + ", ".join(f"{n} {t * 1000:.0f} ms" for n, t in top), ""]
        # ---------------------------------------------------------------- growth
        lines += ["## How cost grows (list ×1, ×4, ×16; distinct synthetic rows)\n",
                  "Cold runs here use minimum intervals scaled by **1/20** (`PRUNE2BIB_SIM_INTERVAL_SCALE=0.05`); "
                  "the floor at the real intervals is shown beside them.\n",
                  "| list | rows | cold requests | req/row | cold wall (s, 1/20 intervals) | floor at 1/20 (s) | floor at real intervals (s) | warm median (s) | warm RSS (MiB) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for times in ((1, 4) if opts.quick else (1, 4, 16)):
            with Bench(times, Path(tmp) / f"g{times}") as bench:
                wall, _, counts = bench.export("bibtex", 0.05, "cold")
                total = sum(counts.values())
                warm = [bench.export("bibtex", 1.0, f"warm{i}") for i in range(3)]
                lines.append(f"| ×{times} | {bench.rows} | {total} | {total / bench.rows:.2f} | {wall:.1f} | {floor_seconds(counts, 0.05)[0]:.1f} | "
                             f"{floor_seconds(counts)[0]:.1f} | {statistics.median(w for w, _, _ in warm):.3f} | {max(r for _, r, _ in warm):.0f} |")
                print(lines[-1], flush=True)
    opts.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {opts.out}")


def _enter(self):
    self.sim.__enter__()
    return self


Bench.__enter__ = _enter
Bench.__exit__ = lambda self, *exc: self.sim.__exit__(*exc)

if __name__ == "__main__":
    main()
