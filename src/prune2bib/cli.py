"""The `prune2bib` command line (click). No business logic: it parses options, checks them and
every output path before any work, calls the pipeline, prints, and turns errors into one line
`prune2bib: <message>` with a documented exit code (README "Exit codes", `errors.exit_codes()`).

click's own usage errors get the same one line (`Prune2bibGroup.main`), for every command.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from msgspec.structs import replace

from prune2bib import __version__, collector, outputs, pipeline, preflight, project, readme_source, settings, writers
from prune2bib.errors import EXIT_UNRESOLVED, NetworkError, NothingSelected, Prune2bibError, UsageError, exit_codes
from prune2bib.lists.columns import parse_overrides
from prune2bib.readme import ParsedList, read_list
from prune2bib.taxonomy import Taxonomy

EXIT_INTERRUPTED = 130


def _fail(message: str, code: int):
    click.echo(f"prune2bib: {' '.join(message.split())}", err=True)
    sys.exit(code)


def domain_errors(func):
    """The frame of every command: the environment is checked first (a bad PRUNE2BIB_* value is a
    usage error before any work), and every domain error becomes 'prune2bib: <message>' and its
    exit code; bugs keep their traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            settings.check_environment()
            return func(*args, **kwargs)
        except Prune2bibError as err:
            _fail(str(err), err.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; records fetched so far are kept in the cache", EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper


class Prune2bibGroup(click.Group):
    """A click group whose usage errors (unknown option, bad value, missing argument) are one line
    `prune2bib: …` with exit 2, like every other error, in every subcommand."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            with collector.rare():  # a run keeps its rows and records to the end (collector.py)
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "prune2bib"
            _fail(f"{err.format_message().rstrip('.')} (see '{where} --help')", err.exit_code)
        except click.ClickException as err:
            _fail(err.format_message(), err.exit_code)
        except click.Abort as err:
            interrupted = isinstance(err.__cause__, KeyboardInterrupt)
            _fail("interrupted" if interrupted else "aborted", EXIT_INTERRUPTED if interrupted else 1)
        sys.exit(code if isinstance(code, int) else 0)

    def format_epilog(self, ctx, formatter):
        with formatter.section("Files prune2bib writes (nothing else; each path is checked before any work)"):
            formatter.write_dl(file_locations())
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(code), meaning) for code, meaning in exit_codes().items()])


def file_locations() -> list[tuple[str, str]]:
    """Every file the tool writes, with this machine's default locations filled in."""
    return [
        ("-o FILE", "the bibliography (stdout without -o, or with -o -); written whole or not at all"),
        ("--split DIR", f"DIR/<group>.bib|json|ris and DIR/{outputs.MANIFEST_NAME} (the files this run wrote: "
                        "the next run removes those it no longer writes, if unchanged)"),
        ("--report FILE", "one JSON line per row: status, source, reason"),
        ("lock", f"--lock FILE, else {project.FILE_NAME} beside -o FILE (beside DIR for --split DIR; in the "
                 "current directory for stdout): the records and citation keys; commit it. Not with --no-lock"),
        ("old key file", f"{settings.default_keyfile()} (${settings.DATA_DIR_ENV}): the keys of earlier versions; "
                         f"a lock takes them over once and renames it {project.session.migrated_name(settings.default_keyfile()).name}. "
                         "--keys FILE is only read"),
        ("cache", f"{settings.cache_file()} (${settings.CACHE_DIR_ENV}; SQLite's -wal/-shm "
                  "files beside it): what the services said; `prune2bib cache clear` empties it"),
    ]


def readme_option(func):
    func = click.option(
        "--columns",
        "columns",
        default=None,
        metavar="FIELD=HEADER,…",
        help="Map table headers to fields, e.g. 'title=Paper,venue=Conf' (fields: title, venue, year, type, code, authors, link).",
    )(func)
    return click.option(
        "--readme",
        "readme_spec",
        default=None,
        metavar="PATH|URL|-",
        help="The list to read. Default: the upstream README when online, else the snapshot bundled with prune2bib.",
    )(func)


def filter_options(func):
    options = [
        click.option("--type", "types", multiple=True, metavar="CODE",
                     help="Only rows of this type code of the list's legend, e.g. F (repeatable; F includes WF rows)."),
        click.option("--year", "years", multiple=True, type=int, help="Only this year (repeatable)."),
        click.option("--since", type=int, help="Only rows from this year on."),
        click.option("--until", type=int, help="Only rows up to this year."),
        click.option("--venue", "venues", multiple=True,
                     help="Only this venue, by any of its names: CVPR, NIPS or NeurIPS (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _row_filter(taxonomy: Taxonomy, types, years, since, until, venues) -> pipeline.RowFilter:
    return pipeline.RowFilter(_codes(taxonomy, types, "--type"), tuple(years), since, until, tuple(venues))


def _codes(taxonomy: Taxonomy, given, option: str) -> tuple[str, ...]:
    """The list's codes for what the user typed (any case), in the list's order."""
    found = []
    for code in given:
        canonical = taxonomy.lookup(code)
        if canonical is None:
            known = ", ".join(taxonomy.codes) or "none (the list has no Type column)"
            raise UsageError(f"{option} {code}: not a type code of this list; its codes are {known}")
        found.append(canonical)
    return taxonomy.ordered(found)


def _load_list(readme_spec: str | None, offline: bool, columns: str | None = None) -> ParsedList:
    """The list, read; its taxonomy decides what --type and --type-name accept. One line says
    where it came from and how many rows were seen, read and skipped."""
    parse_overrides(columns)  # a bad --columns is a usage error before any reading
    text, origin = readme_source.load(readme_spec, offline=offline)
    return _read(text, origin, columns)


def _read(text: str, origin: str, columns: str | None) -> ParsedList:
    try:
        parsed = read_list(text, columns)
    except Prune2bibError:
        click.echo(f"prune2bib: reading {origin}", err=True)
        raise
    click.echo(f"prune2bib: reading {origin}: {parsed.summary()}", err=True)
    return parsed


def _selected_rows(entries, row_filter: pipeline.RowFilter, taxonomy: Taxonomy):
    """The rows the filters select, prepared for resolution (`_check_selected`'s error if none)."""
    _check_selected(entries, row_filter, taxonomy)
    return pipeline.select_rows(entries, row_filter)


def _explain_empty(entries, row_filter: pipeline.RowFilter, taxonomy: Taxonomy) -> str:
    from prune2bib.selection import explain_empty  # only a run that selects nothing needs it

    return explain_empty(entries, row_filter, taxonomy.codes)


def _check_selected(entries, row_filter: pipeline.RowFilter, taxonomy: Taxonomy) -> None:
    """`_selected_rows`' error, without preparing the rows (the lock's session does that)."""
    if not any(row_filter.accepts(e) for e in entries):
        raise NothingSelected(f"{_explain_empty(entries, row_filter, taxonomy)}; nothing written")


@click.group(name="prune2bib", cls=Prune2bibGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="prune2bib")
def main():
    """Turn the Awesome-Pruning paper list into BibTeX, CSL-JSON or RIS with real metadata."""


@main.command()
@readme_option
@filter_options
@click.option("-f", "--format", "fmt", type=click.Choice(writers.FORMATS), help="Output format (default: from -o's suffix, else bibtex).")
@click.option("-o", "--output", type=click.Path(allow_dash=True, path_type=Path), metavar="FILE|-",
              help="Write here (its directory must exist); '-' or none: stdout.")
@click.option("--split", type=click.Path(path_type=Path), metavar="DIR",
              help="Write one file per group into DIR (created if missing; its parent must exist). Not with -o.")
@click.option("--group-by", type=click.Choice(["type", "year", "venue", "none"]), default="type", show_default=True,
              help="Sections of the output (a row with two types appears once, under the first).")
@click.option("--jabref-groups", is_flag=True, help="BibTeX only: add a JabRef groups block (Zotero turns it into collections).")
@click.option("--ascii", "ascii_only", is_flag=True,
              help="BibTeX only: pure ASCII, LaTeX accents (pdfLaTeX needs T1 fonts); names any character LaTeX cannot spell.")
@click.option("--venue-style", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="Booktitle as the proceedings' full title, or as 'CVPR'.")
@click.option("--type-name", "type_names", multiple=True, metavar="CODE=NAME",
              help="The tag for a type, e.g. 'F=channel pruning' (repeatable; default: filter pruning, …).")
@click.option("--offline", is_flag=True, help="Use only the cache; ask no service.")
@click.option("--refresh", is_flag=True, help="Ignore cached records and ask the services again.")
@click.option("--no-resolve", is_flag=True, help="README data only: no cache, no network.")
@click.option("--resolved-only", is_flag=True, help="Leave out rows no source resolved (README data only).")
@click.option("--prefer", type=click.Choice(["published", "preprint"]), default="published", show_default=True,
              help="The venue's published paper, or the arXiv preprint, when both are known.")
@click.option("--mailto", envvar="PRUNE2BIB_MAILTO", help="Your contact address for the services' polite pools.")
@click.option("--report", type=click.Path(path_type=Path), metavar="FILE", help="Write one JSON line per row here.")
@click.option("--keys", "keyfile", type=click.Path(path_type=Path), metavar="FILE",
              help="A key file of earlier versions (citekeys.json) to take keys from, for rows the lock does not hold yet (read only).")
@click.option("--lock", "lock_file", type=click.Path(path_type=Path), metavar="FILE",
              help=f"The lockfile (default: {project.FILE_NAME} beside the output; in the current directory for stdout).")
@click.option("--no-lock", is_flag=True, help="Neither read nor write a lock (keys then come from the records' content).")
@click.option("--frozen", is_flag=True,
              help="Use the lock only: no network, no cache, no lock written; exit 7 if the list has rows it does not cover.")
@click.option("--strict", is_flag=True, help="Exit 8 when some rows stay unresolved (the output is still written).")
@click.option("--note-columns", is_flag=True,
              help="Write the list's own extra columns ('APP', 'Algorithm Name', …) into each entry's note.")
@domain_errors
def export(**params):
    """Export the list (or the rows you select) as a bibliography.

    Records and keys are kept in a lockfile beside the output (see --lock): a row it holds is not
    resolved again. Commit it with your bibliography. Every output path is checked before the
    README is read or any service asked.
    """
    _export(**params)


DRY_RUN = click.Option(["--dry-run"], is_flag=True, help="Print the changes on stdout; write nothing (no lock, no output).")


@domain_errors
def _update(dry_run, **params):
    """Bring the bibliography up to date with the list and print what changed.

    Resolves new and changed rows, and preprint-only or not-found rows older than the preprint max
    age (their published version may have appeared); every other row comes from the lock. Rewrites
    the lock and the output, and prints the changes: rows added, removed, retitled, relinked, moved
    between types; records upgraded to the published version or changed; keys changed. Takes the
    options of `export`.
    """
    if params.get("frozen") or params.get("no_lock"):
        raise UsageError("update works on the lock: not with --frozen (use `export --frozen`) or --no-lock")
    _export(**params, update=True, dry_run=dry_run)


def console():
    """The process's entry point (`prune2bib`, `python -m prune2bib`): the run's objects live until
    the process ends, so its last collection need not scan them (collector.py)."""
    with collector.until_the_process_ends():
        main()


main.add_command(click.Command("update", callback=_update, params=[*export.params, DRY_RUN], help=_update.__doc__,
                               context_settings={"help_option_names": ["-h", "--help"]}))  # fmt: skip


def _export(readme_spec, columns, types, years, since, until, venues, fmt, output, split, group_by, jabref_groups, ascii_only,
            venue_style, type_names, offline, refresh, no_resolve, resolved_only, prefer, mailto, report, keyfile,
            lock_file, no_lock, frozen, strict=False, note_columns=False, update=False, dry_run=False):  # fmt: skip
    output = preflight.stdout_or_file(output, split)
    lock_path = None if no_lock else project.lock_path(output, split, lock_file)
    fmt = preflight.check_export(
        fmt=fmt, output=output, split=split, report=report, keyfile=keyfile, lock_file=lock_file,
        lock_path=None if (frozen or dry_run) else lock_path, no_lock=no_lock, frozen=frozen, jabref_groups=jabref_groups,
        ascii_only=ascii_only, offline=offline, refresh=refresh, no_resolve=no_resolve, resolved_only=resolved_only,
        strict=strict, mailto=mailto, type_names=type_names, columns=columns,
    )  # fmt: skip
    resolve_settings = None if (no_resolve or frozen) else settings.resolve_settings(offline=offline, refresh=refresh, mailto=mailto)
    if lock_path is None:
        parsed = _load_list(readme_spec, offline or no_resolve, columns)
        taxonomy, entries = parsed.taxonomy, list(parsed.entries)
        names, row_filter = _type_names(taxonomy, type_names), _row_filter(taxonomy, types, years, since, until, venues)
        rows = _selected_rows(entries, row_filter, taxonomy)
        with settings.progress_bar(len(rows)) as progress:
            outcomes = pipeline.resolve_rows(rows, resolve_settings, prefer=prefer, progress=progress)
        outcomes = pipeline.assign_keys(outcomes)
    else:
        options = project.Options(lock_path, prefer=prefer, frozen=frozen, update=update, refresh=refresh,
                                  keyfile=keyfile, legacy_keyfile=settings.default_keyfile())  # fmt: skip
        old = project.read(lock_path)
        listed = project.load_list(readme_spec, old, lock_path, offline=offline or no_resolve, frozen=frozen, columns=columns)
        summary = f": {listed.parsed.summary()}" if listed.parsed else ""  # none: the lock's rows stand in
        click.echo(f"prune2bib: reading {listed.origin}{summary}", err=True)
        taxonomy, entries = listed.taxonomy, listed.entries
        names, row_filter = _type_names(taxonomy, type_names), _row_filter(taxonomy, types, years, since, until, venues)
        _check_selected(entries, row_filter, taxonomy)  # none selected: an error before any work
        result = project.export(entries, row_filter, options, old, resolve_settings, settings.progress_bar,
                                taxonomy=listed.taxonomy if listed.parsed is not None else None)  # fmt: skip
        outcomes = result.outcomes
        # --frozen writes no lock; nor does a run that will write no bibliography (--resolved-only, none resolved).
        writes_lock = not frozen and not (resolved_only and not _resolved(outcomes))
        if writes_lock or dry_run:
            _tell_changes(result, options, full=update, dry_run=dry_run)
        if dry_run:
            return
        if writes_lock:
            project.write(result, options)
    options = writers.WriteOptions(
        group_by=group_by,
        selected_types=row_filter.types or taxonomy.codes,
        ascii=ascii_only,
        jabref_groups=jabref_groups,
        venue_style=venue_style,
        type_names=names,
        type_order=taxonomy.codes,
        # Collections as the legend words the types; a type the user renamed takes the new name.
        group_names={c: names[c] if names[c] != taxonomy.name(c) else taxonomy.label(c) for c in names},
    )
    exported = _resolved(outcomes) if resolved_only else outcomes
    if note_columns:
        exported = [replace(o, record=o.record.with_(note=_columns_note(o.entry))) for o in exported]
    if report:
        outputs.write_atomic(report, "".join(o.report_line() + "\n" for o in outcomes), "--report")
    if not exported:
        if _reached_no_service(outcomes):
            _fail(f"{_no_service_line(outcomes)}; --resolved-only leaves nothing: nothing written", NetworkError.exit_code)
        raise NothingSelected(f"{pipeline.summary(outcomes)}; no row was resolved, so --resolved-only leaves nothing: nothing written")
    written = _write_output([o.record for o in exported], fmt, options, output, split)
    if ascii_only:
        for line in writers.ascii_warnings([o.record for o in exported], options):
            click.echo(f"prune2bib: {line}", err=True)
    click.echo(f"prune2bib: {pipeline.summary(outcomes)}; {written}", err=True)
    sys.exit(_exit_status(outcomes, strict))


def _exit_status(outcomes, strict: bool) -> int:
    """0; 4 when no service could be reached; 8 under --strict when rows stay unresolved (README).
    Rows taken from the lock asked nothing: an old failure recorded there is not this run's."""
    asked = [o for o in outcomes if not o.from_lock]
    if _reached_no_service(asked):
        click.echo(f"prune2bib: {_no_service_line(asked)}: rows that needed one hold the README's data only", err=True)
        return NetworkError.exit_code
    left = [o for o in outcomes if o.status not in pipeline.RESOLVED_STATUSES]
    if strict and left:
        click.echo(f"prune2bib: --strict: {len(left)} of {len(outcomes)} rows not resolved (the output is written; --report says why)", err=True)
        return EXIT_UNRESOLVED
    return 0


def _reached_no_service(outcomes) -> bool:
    if not outcomes:  # nothing was asked (every row from the lock): the resolve stage is not loaded
        return False
    from prune2bib import resolve

    return resolve.reached_no_service(outcomes)


def _no_service_line(outcomes) -> str:
    from prune2bib import resolve

    dead = "; ".join(f"{service} {why}" for service, why in resolve.unreachable_services(outcomes).items())
    return f"no service could be reached ({dead})"


def _resolved(outcomes):
    return [o for o in outcomes if o.status in pipeline.RESOLVED_STATUSES]


def _tell_changes(result, options, *, full: bool, dry_run: bool) -> None:
    """Key changes always (a .tex citing the old key must be told); the other changes as a count,
    or one line each for `update`. `--dry-run` prints them on stdout: they are its output."""
    path = options.lock_path
    if result.migrated_from is not None:
        renamed = f" (renamed {project.session.migrated_name(result.migrated_from).name})" if result.migrated_from == options.legacy_keyfile and not dry_run else ""
        click.echo(f"prune2bib: took {result.migrated} citation key(s) from {result.migrated_from}{renamed}; keys now live in {path}", err=True)
    changes = result.changes
    if result.old is None and not (full or dry_run):
        papers = len(result.lock.papers)
        click.echo(f"prune2bib: {path} is new: {papers} paper{'s' if papers != 1 else ''}", err=True)
    elif changes:
        verb = "would change" if dry_run else "changed"
        click.echo(f"prune2bib: {path} {verb}: {project.diff.counts(changes)}", err=not dry_run)
    elif full or dry_run:
        click.echo(f"prune2bib: {path}: no changes", err=not dry_run)
    for change in changes if (full or dry_run) else result.key_changes:
        click.echo(change.line(), err=not dry_run)


def _columns_note(entry) -> str:
    """'APP: Image Classification; Algorithm Name: SNIP' (the columns the list adds to its rows)."""
    return "; ".join(f"{header}: {text}" for header, text in entry.columns)





def _type_names(taxonomy: Taxonomy, pairs: tuple[str, ...]) -> dict[str, str]:
    """The list's own names of its codes, then the user's --type-name renames."""
    names = {code: taxonomy.name(code) for code in taxonomy.codes}
    for pair in pairs:
        code, sep, name = pair.partition("=")
        canonical = taxonomy.lookup(code.strip())
        if not sep or canonical is None or not name.strip():
            known = ", ".join(taxonomy.codes) or "none"
            raise UsageError(f"--type-name takes CODE=NAME with CODE one of {known}, not {pair!r}")
        names[canonical] = name.strip()
    return names


def _write_output(records, fmt, options, output: Path | None, split: Path | None) -> str:
    """Write the bibliography; a phrase saying how many entries went where."""
    entries = f"{len(records)} {'entry' if len(records) == 1 else 'entries'}"
    if split:
        done = outputs.write_split(split, writers.render_split(records, fmt, options))
        for name in done.kept:
            click.echo(f"prune2bib: kept {split / name}: an earlier run wrote it, but it was edited since", err=True)
        removed = f"; removed {len(done.removed)} stale: {', '.join(done.removed)}" if done.removed else ""
        files = f"{len(done.written)} {'file' if len(done.written) == 1 else 'files'}"
        return f"{entries} written to {files} in {split}{removed}"
    text = writers.render(records, fmt, options)
    if output:
        outputs.write_atomic(output, text, "-o")
        return f"{entries} written to {output}"
    sys.stdout.write(text)
    sys.stdout.flush()
    return f"{entries} written to stdout"


@main.command(name="list")
@readme_option
@filter_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")
@domain_errors
def list_rows(readme_spec, columns, types, years, since, until, venues, as_json):
    """Print the parsed rows as a table with a header row (or JSON lines)."""
    parsed = _load_list(readme_spec, offline=False, columns=columns)
    rows = _selected_rows(list(parsed.entries), _row_filter(parsed.taxonomy, types, years, since, until, venues), parsed.taxonomy)
    if as_json:
        for entry, ident in rows:
            click.echo(json.dumps(_entry_json(entry, ident), ensure_ascii=False, sort_keys=True))
        return
    table = [("LINE", "YEAR", "VENUE", "TYPE", "IDENTIFIER", "TITLE")]
    table += [(str(e.line), str(e.year or "-"), e.venue or "-", ",".join(e.types) or "-", str(i), e.title) for e, i in rows]
    widths = [max(len(row[c]) for row in table) for c in range(5)]
    for row in table:  # identifiers in full: a cut one cannot be looked up
        click.echo("  ".join([row[0].rjust(widths[0])] + [row[c].ljust(widths[c]) for c in range(1, 5)] + [row[5]]))


def _entry_json(entry, ident) -> dict:
    return {
        "line": entry.line,
        "year": entry.year,
        "title": entry.title,
        "url": entry.url,
        "identifier": str(ident),
        "venue": entry.venue,
        "venue_note": entry.venue_note,
        "types": list(entry.types),
        "extra_urls": [list(pair) for pair in entry.extra_urls],
        "code": [{"label": c.label, "url": c.url, "status": c.status} for c in entry.code],
        "anomalies": [a.code for a in entry.anomalies],
        "authors": entry.authors,
        "columns": dict(entry.columns),
    }


@main.command()
@readme_option
@click.option("--resolve/--no-resolve", "do_resolve", default=False,
              help="Also resolve rows (cache, then network) and list links that point to another paper.")
@click.option("--offline", is_flag=True, help="With --resolve: use only the cache.")
@click.option("--mailto", envvar="PRUNE2BIB_MAILTO")
@domain_errors
def check(readme_spec, columns, do_resolve, offline, mailto):
    """Report broken, duplicated or mislinked rows; exit 1 when there are any."""
    settings.check_mailto(mailto or "")
    if do_resolve:
        preflight.check_cache()
    parsed = _load_list(readme_spec, offline=offline, columns=columns)
    entries = list(parsed.entries)
    from prune2bib import errata  # `check` only

    found = errata.find_errata(entries, parsed.taxonomy, parsed.skipped)
    if do_resolve:
        rows = pipeline.select_rows(entries, pipeline.RowFilter())
        with settings.progress_bar(len(rows)) as progress:
            outcomes = pipeline.resolve_rows(rows, settings.resolve_settings(offline=offline, mailto=mailto), progress=progress)
        found += errata.mislinked(outcomes)
    for item in sorted(found, key=lambda e: (e.line, e.code)):
        click.echo(item.format())
    click.echo(f"prune2bib: {len(entries)} rows, {len(found)} problems", err=True)
    sys.exit(1 if found else 0)


@main.group()
def keys():
    """List or pin the citation keys kept in a lock."""


LOCK_OPTION = click.option("--lock", "lock_file", type=click.Path(dir_okay=False, path_type=Path), default=project.FILE_NAME,
                           show_default=True, help="The lockfile.")  # fmt: skip


@keys.command(name="list")
@LOCK_OPTION
@domain_errors
def keys_list(lock_file):
    """One line per paper: key, key state, title."""
    for paper in sorted(_existing_lock(lock_file).papers, key=lambda p: p.key):
        click.echo(f"{paper.key:<28} {paper.key_state:<11} {paper.row.title}")


@keys.command(name="pin")
@click.argument("names", nargs=-1, required=True, metavar="KEY...")
@LOCK_OPTION
@domain_errors
def keys_pin(names, lock_file):
    """Keep these keys for good: not even authors arriving will replace them."""
    _set_pins(lock_file, names, True)


@keys.command(name="unpin")
@click.argument("names", nargs=-1, required=True, metavar="KEY...")
@LOCK_OPTION
@domain_errors
def keys_unpin(names, lock_file):
    """Let these keys follow the rules again (a provisional key becomes the author key)."""
    _set_pins(lock_file, names, False)


def _existing_lock(path: Path):
    lock = project.read(path)
    if lock is None:
        raise UsageError(f"there is no lock at {path} (give --lock FILE, or run `prune2bib export` first)")
    return lock


def _set_pins(path: Path, names, pinned: bool) -> None:
    lock = project.keys.pin(_existing_lock(path), names, pinned)
    project.lockfile.write(path, lock)
    click.echo(f"prune2bib: {len(names)} key(s) {'pinned' if pinned else 'unpinned'} in {path}", err=True)


@main.group()
def cache():
    """Inspect or clear the record cache."""


@cache.command()
@domain_errors
def info():
    """Where the cache is, its size, and what it holds."""
    click.echo(settings.open_cache().info_text())


@cache.command()
@click.confirmation_option(prompt="Delete every cached record?")
@domain_errors
def clear():
    """Delete every cached record."""
    removed = settings.open_cache().clear()
    click.echo(f"prune2bib: removed {removed} cached records")
