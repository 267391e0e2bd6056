"""The `prune2bib` command line (click). No business logic: it parses options, calls the
pipeline, prints, and turns domain errors into one-line messages with documented exit codes:

    0 ok · 1 `check` found errata · 2 usage · 3 README unreadable · 4 network · 5 cache · 130 interrupted
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from prune2bib import __version__, errata, pipeline, readme_source, settings, writers
from prune2bib.errors import Prune2bibError, UsageError
from prune2bib.readme import ParsedList, read_list
from prune2bib.taxonomy import Taxonomy

EXIT_INTERRUPTED = 130


def domain_errors(func):
    """Turn every domain error into 'prune2bib: <message>' and its exit code; keep tracebacks for bugs."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Prune2bibError as err:
            click.echo(f"prune2bib: {err}", err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("prune2bib: interrupted; records fetched so far are kept in the cache", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper


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
        click.option("--venue", "venues", multiple=True, help="Only this venue, e.g. CVPR (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _row_filter(parsed: ParsedList, types, years, since, until, venues) -> pipeline.RowFilter:
    return pipeline.RowFilter(_codes(parsed.taxonomy, types, "--type"), tuple(years), since, until, tuple(venues))


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
    text, origin = readme_source.load(readme_spec, offline=offline)
    click.echo(f"prune2bib: reading {origin}", err=True)
    parsed = read_list(text, columns)
    click.echo(f"prune2bib: {parsed.summary()}", err=True)
    return parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="prune2bib")
def main():
    """Turn the Awesome-Pruning paper list into BibTeX, CSL-JSON or RIS with real metadata."""


@main.command()
@readme_option
@filter_options
@click.option("-f", "--format", "fmt", type=click.Choice(writers.FORMATS), help="Output format (default: from -o's suffix, else bibtex).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--split", type=click.Path(file_okay=False, path_type=Path), help="Write one file per group into this folder.")
@click.option("--group-by", type=click.Choice(["type", "year", "venue", "none"]), default="type", show_default=True,
              help="Sections of the output (a row with two types appears once, under the first).")
@click.option("--jabref-groups", is_flag=True, help="Add a JabRef groups block (Zotero turns it into collections).")
@click.option("--ascii", "ascii_only", is_flag=True, help="BibTeX with LaTeX accents instead of UTF-8.")
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
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write one JSON line per row here.")
@click.option("--keys", "keyfile", type=click.Path(dir_okay=False, path_type=Path), help="Citation key file (default: in the user data dir).")
@domain_errors
def export(readme_spec, columns, types, years, since, until, venues, fmt, output, split, group_by, jabref_groups,
           ascii_only, venue_style, type_names, offline, refresh, no_resolve, resolved_only, prefer, mailto, report, keyfile):
    """Export the list (or the rows you select) as a bibliography."""
    fmt = _choose_format(fmt, output)
    parsed = _load_list(readme_spec, offline or no_resolve, columns)
    row_filter = _row_filter(parsed, types, years, since, until, venues)
    names = _type_names(parsed.taxonomy, type_names)
    rows = pipeline.select_rows(list(parsed.entries), row_filter)
    resolve_settings = None if no_resolve else settings.resolve_settings(offline=offline, refresh=refresh, mailto=mailto)
    with settings.progress_bar(len(rows)) as progress:
        outcomes = pipeline.resolve_rows(rows, resolve_settings, prefer=prefer, progress=progress)
    outcomes = pipeline.assign_keys(outcomes, keyfile or settings.default_keyfile())
    options = writers.WriteOptions(
        group_by=group_by,
        selected_types=row_filter.types or parsed.taxonomy.codes,
        ascii=ascii_only,
        jabref_groups=jabref_groups,
        venue_style=venue_style,
        type_names=names,
        type_order=parsed.taxonomy.codes,
    )
    exported = [o for o in outcomes if o.status in pipeline.RESOLVED_STATUSES] if resolved_only else outcomes
    _write_output([o.record for o in exported], fmt, options, output, split)
    if report:
        _write_atomic(report, "".join(o.report_line() + "\n" for o in outcomes))
    click.echo(f"prune2bib: {pipeline.summary(outcomes)}", err=True)
    click.echo(f"prune2bib: {_export_summary(parsed, len(exported))}", err=True)


def _export_summary(parsed: ParsedList, exported: int) -> str:
    left_out = len(parsed.entries) - exported
    why = f", {left_out} left out by the filters or --resolved-only" if left_out else ""
    return f"{parsed.rows_seen} table rows seen: {exported} exported{why}, {len(parsed.skipped)} skipped"


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


def _choose_format(fmt: str | None, output: Path | None) -> str:
    if fmt:
        return fmt
    if output is None:
        return "bibtex"
    inferred = writers.format_for_path(output)
    if inferred is None:
        raise UsageError(f"cannot tell the format from '{output.name}': use --format or a .bib/.json/.ris name")
    return inferred


def _write_output(records, fmt, options, output: Path | None, split: Path | None) -> None:
    if split:
        split.mkdir(parents=True, exist_ok=True)
        for name, text in writers.render_split(records, fmt, options).items():
            _write_atomic(split / name, text)
        return
    text = writers.render(records, fmt, options)
    if output:
        _write_atomic(output, text)
    else:
        sys.stdout.write(text)


def _write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path` and rename: a killed run never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


@main.command(name="list")
@readme_option
@filter_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")
@domain_errors
def list_rows(readme_spec, columns, types, years, since, until, venues, as_json):
    """Print the parsed rows as a table (or JSON lines)."""
    parsed = _load_list(readme_spec, offline=False, columns=columns)
    rows = pipeline.select_rows(list(parsed.entries), _row_filter(parsed, types, years, since, until, venues))
    if as_json:
        for entry, ident in rows:
            click.echo(json.dumps(_entry_json(entry, ident), ensure_ascii=False, sort_keys=True))
        return
    table = [("LINE", "YEAR", "VENUE", "TYPE", "IDENTIFIER", "TITLE")]
    table += [(str(e.line), str(e.year or "-"), e.venue or "-", ",".join(e.types) or "-", str(i), e.title) for e, i in rows]
    widths = [max(len(r[c]) for r in table) for c in range(5)]
    for row in table:
        cells = [row[0].rjust(widths[0])] + [row[c].ljust(widths[c]) for c in range(1, 5)] + [row[5]]
        click.echo("  ".join(cells))


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
    parsed = _load_list(readme_spec, offline=offline, columns=columns)
    entries = list(parsed.entries)
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
