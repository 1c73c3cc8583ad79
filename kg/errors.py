"""Every exception vetkg raises on purpose, in one place.

Each says what went wrong in a sentence that names the file, query or folder concerned;
the CLI prints it and exits with the code its class carries, never with a traceback.
"""

from __future__ import annotations

from pathlib import Path


class VetkgError(Exception):
    """Base of vetkg's own errors; ``exit_code`` is what the CLI returns for it."""

    exit_code = 2


class DocumentError(VetkgError):
    """A document that cannot be read; the message names the file and the problem."""

    exit_code = 1

    def __init__(self, path: str | Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = message


class QueryError(VetkgError):
    """A query that cannot run: bad syntax (with line and column), unknown name, missing
    parameter, unreachable endpoint."""


class GraphNotFound(QueryError):
    """A folder that holds no built graph."""


class StoreError(VetkgError):
    """The store could not be loaded or opened (the graph files stand)."""


class ViewError(VetkgError, ValueError):
    """A view that does not exist or matches nothing."""
