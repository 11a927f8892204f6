"""Errors of the database layer. Each keeps its English sentence and the values that fill it, so that the
interface can show it in the officer's language (db/ imports nothing from workflow/)."""
from __future__ import annotations


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue, which gathers every ``N_()`` literal of the source."""
    return message


class DatabaseError(Exception):
    """The database cannot be used."""

    message = ""

    def __init__(self, **values):
        super().__init__(self.message.format(**values))
        self.values = values


class NotADatabaseURL(DatabaseError):
    message = N_("{url} is not a database URL; give sqlite:///PATH, a file path, or postgresql://USER@HOST/NAME.")


class NoDriver(DatabaseError):
    message = N_("No driver for {url}; PostgreSQL needs psycopg: pip install 'psycopg[binary]'.")


class NewerSchema(DatabaseError):
    message = N_("The database {url} has schema revision {revision}, newer than this kerjasama knows; upgrade "
                 "kerjasama.")


class Unavailable(DatabaseError):
    message = N_("Cannot use the database {url}: {reason}")


class OlderSchema(DatabaseError):
    message = N_("The database {url} has schema revision {revision}, older than this kerjasama; a command that records "
                 "(such as kerjasama init) upgrades it, or ask the administrator.")


class NoSchema(DatabaseError):
    message = N_("This database has no region yet; run kerjasama init first.")  # as workflow's RegionNotSetUp


class ReadOnly(DatabaseError):
    message = N_("The database {url} can only be read here; run the commands that record where it can be written.")
