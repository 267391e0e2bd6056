"""Domain errors. The CLI turns each into a one-line message and its exit code (see README)."""


class Prune2bibError(Exception):
    """Base class: anything the user can act on. `exit_code` is documented in the README."""

    exit_code = 1


class UsageError(Prune2bibError):
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
    """`--frozen`: the list has rows the lock does not cover (nothing is written)."""

    exit_code = 7


class OutputError(UsageError):
    """An output path cannot be written (checked before any work; see outputs.py)."""


class NothingSelected(UsageError):
    """The filters (or --resolved-only) leave no entry to write; nothing is written."""
