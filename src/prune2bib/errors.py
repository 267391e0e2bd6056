"""Domain errors. The CLI turns each into a one-line message and its exit code (see README).

The first paragraph of the docstring of the class that sets an `exit_code` is what that code means:
`prune2bib --help` lists them (`exit_codes()`), and a test holds the README's table to the same.
"""


class Prune2bibError(Exception):
    """Base class: anything the user can act on. `exit_code` is documented in the README."""

    exit_code = 1


class UsageError(Prune2bibError):
    """Usage: a bad or conflicting option, a bad PRUNE2BIB_* value, an output path that cannot
    be written, or filters that select no row (nothing is written)."""

    exit_code = 2


class ReadmeError(Prune2bibError):
    """The README could not be read or holds no paper table."""

    exit_code = 3


class NetworkError(Prune2bibError):
    """A service could not be reached after the retry budget."""

    exit_code = 4


class CacheError(Prune2bibError):
    """The record cache is unreadable or locked."""

    exit_code = 5


class LockError(Prune2bibError):
    """The lockfile is broken or unreadable (it is left as it is)."""

    exit_code = 6


class FrozenError(Prune2bibError):
    """`--frozen`: the list has rows the lock does not cover, or there is no lock (nothing is written)."""

    exit_code = 7


class OutputError(UsageError):
    """An output path cannot be written (checked before any work; see outputs.py)."""


class NothingSelected(UsageError):
    """The filters (or --resolved-only) leave no entry to write; nothing is written."""


EXIT_UNRESOLVED = 8  # `export --strict` with rows left unresolved

# Exit statuses of runs that end without raising one of the errors above (they come first).
OTHER_EXIT_CODES = {
    0: "Done.",
    1: "`check` found problems in the list.",
    4: "No service could be reached (no network); the output is still written from the README's data and the cache.",
    EXIT_UNRESOLVED: "`export --strict`: some rows were left unresolved (the output is still written; --report says why).",
    130: "Interrupted (Ctrl-C); what was fetched stays cached.",
}


def exit_codes() -> dict[int, str]:
    """{exit code: meaning} of every status the tool exits with, in order."""
    codes = dict(OTHER_EXIT_CODES)
    todo = list(Prune2bibError.__subclasses__())
    while todo:
        kind = todo.pop()
        todo += kind.__subclasses__()
        if "exit_code" in vars(kind) and kind.exit_code not in codes:
            codes[kind.exit_code] = " ".join((kind.__doc__ or kind.__name__).strip().split("\n\n")[0].split())
    return dict(sorted(codes.items()))
