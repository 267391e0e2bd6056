"""Everything an export checks before any work: options that cannot all be honoured, the
output format, and every path it will write (outputs.py). Stage: the CLI's, before the README
is read or any service asked; each problem is a usage error (exit 2; the cache's location exit 5).
"""

from __future__ import annotations

from pathlib import Path

from prune2bib import citekeys, outputs, settings, writers
from prune2bib.errors import CacheError, UsageError
from prune2bib.lists.columns import parse_overrides


def stdout_or_file(output: Path | None, split: Path | None) -> Path | None:
    """-o's file, or None for stdout ('-' is stdout, never a file named '-'); not with --split."""
    if split is not None and output is not None:
        raise UsageError("--split DIR writes one file per group; it cannot be combined with -o FILE")
    return None if output == Path("-") else output


def check_export(*, fmt, output, split, report, keyfile, lock_file, lock_path, no_lock, frozen, jabref_groups, ascii_only,
                 offline, refresh, no_resolve, resolved_only, strict, mailto, type_names, columns) -> str:  # fmt: skip
    """Raise for the first problem; the format to write otherwise. `lock_path`: the lock this run
    writes (None when it writes none)."""
    _refuse_lock_conflicts(no_lock=no_lock, frozen=frozen, keyfile=keyfile, lock_file=lock_file, refresh=refresh)
    _check_outputs(output, split, report, keyfile, lock_path)
    if not (no_resolve or frozen):
        check_cache()
    fmt = _choose_format(fmt, output)
    _refuse_conflicts(fmt, jabref_groups=jabref_groups, ascii_only=ascii_only, offline=offline, refresh=refresh,
                     no_resolve=no_resolve, resolved_only=resolved_only, strict=strict)  # fmt: skip
    settings.check_mailto(mailto or "")
    _check_type_name_form(type_names)
    parse_overrides(columns)
    return fmt


BIBTEX_ONLY = ("--jabref-groups", "--ascii")


def _refuse_lock_conflicts(*, no_lock, frozen, keyfile, lock_file, refresh) -> None:
    if no_lock and (frozen or keyfile or lock_file):
        flag = "--frozen" if frozen else ("--keys" if keyfile else "--lock")
        raise UsageError(f"--no-lock reads and writes no lock; it cannot be combined with {flag}")
    if frozen and refresh:
        raise UsageError("--frozen asks no service and --refresh asks them all again: choose one")


def _refuse_conflicts(fmt: str, *, jabref_groups, ascii_only, offline, refresh, no_resolve, resolved_only, strict=False) -> None:
    """Options that cannot all be honoured are a usage error, never silently ignored."""
    for flag, given in zip(BIBTEX_ONLY, (jabref_groups, ascii_only)):
        if given and fmt != "bibtex":
            raise UsageError(f"{flag} is for BibTeX; it cannot be used with --format {fmt}")
    if offline and refresh:
        raise UsageError("--offline reads only the cache and --refresh ignores it: choose one")
    if no_resolve and (refresh or resolved_only or strict):
        flag = "--refresh" if refresh else "--resolved-only" if resolved_only else "--strict"
        raise UsageError(f"--no-resolve resolves no row; it cannot be combined with {flag}")


def _check_outputs(output: Path | None, split: Path | None, report: Path | None, keyfile: Path | None, lock: Path | None) -> None:
    """Every path this run will write, checked now, before any work (see outputs.py). `--keys` is
    only read: an unreadable one is an error now, not after resolving."""
    outputs.check_distinct({"-o": output, "--report": report, "--keys": keyfile, "the lock": lock})
    if output is not None:
        outputs.check_file(output, "-o")
    if split is not None:
        outputs.check_directory(split, "--split")
    if report is not None:
        outputs.check_file(report, "--report")
    if lock is not None:
        outputs.check_file(lock, "the lock, --lock")
    if keyfile is not None:
        if not keyfile.is_file():
            raise UsageError(f"--keys {keyfile}: there is no such key file")
        citekeys.load_keyfile(keyfile)


def check_cache() -> None:
    """The cache is written as rows resolve: a location that cannot hold it stops the run now
    (exit 5, the cache's code), not after the README was fetched."""
    try:
        outputs.check_file(settings.cache_file(), f"the cache, ${settings.CACHE_DIR_ENV}", create_parents=True)
    except UsageError as err:
        raise CacheError(str(err)) from None


def _check_type_name_form(pairs: tuple[str, ...]) -> None:
    """CODE=NAME, before any work; whether CODE is one of the list's is known once it is read."""
    for pair in pairs:
        code, sep, name = pair.partition("=")
        if not (sep and code.strip() and name.strip()):
            raise UsageError(f"--type-name takes CODE=NAME, e.g. 'F=channel pruning', not {pair!r}")


def _choose_format(fmt: str | None, output: Path | None) -> str:
    """--format, else -o's suffix, else bibtex; both given must agree."""
    inferred = writers.format_for_path(output) if output is not None else None
    if fmt and inferred and fmt != inferred:
        raise UsageError(f"--format {fmt} does not match the suffix of '{output.name}' ({inferred}): drop one or rename the file")
    if fmt:
        return fmt
    if output is None:
        return "bibtex"
    if inferred is None:
        raise UsageError(f"cannot tell the format from '{output.name}': use --format or a .bib/.json/.ris name")
    return inferred
