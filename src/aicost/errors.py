"""One exception base for everything a user can get wrong, and the exit codes it maps to.

The CLI boundary is the only place that turns these into a message on stderr and an exit status.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_REMOTE = 3
EXIT_INTERNAL = 70


class AicostError(Exception):
    """An error the user can fix; its message is one line naming the place and the fix."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(AicostError):
    """A workload, catalog, option or log that cannot be used as given."""


class UnknownModelError(InputError):
    """A model id or alias that the catalog does not know."""


class UnpricedError(InputError):
    """A cost that needs a price the catalog does not give (unknown is never $0)."""


class RemoteError(AicostError):
    """A network or remote-data failure; the local catalog is left unchanged."""

    exit_code = EXIT_REMOTE
