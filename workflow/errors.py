"""Errors an officer may see. Each carries one finished sentence, already translated."""
from __future__ import annotations


class KerjasamaError(Exception):
    """Base of every error the CLI turns into one line and exit code 1."""


class ConfigError(KerjasamaError):
    """The config file cannot be used."""


class ProcedureError(KerjasamaError):
    """A request the procedure refuses."""


class RegionNotSetUp(ProcedureError):
    pass


class CaseNotFound(ProcedureError):
    pass


class UnknownEvent(ProcedureError):
    pass


class EventNotAllowed(ProcedureError):
    """The event is not allowed from the case's state, or a guard refused it."""


class InvalidInput(ProcedureError):
    """A value the procedure cannot take: a date in the future, a missing note, a bad datum."""


class NotEligible(ProcedureError):
    """An eligibility rule of PP 28/2018 Pasal 27 refused the case."""


class ConcurrentChange(ProcedureError):
    """Another officer changed the case between reading and writing it."""
