"""Errors an officer may see, each one line naming what was wrong and what is allowed.

A class that always says the same kind of thing builds its sentence from its arguments, as
``CaseNotFound(ref="KS-2026-0007")``; its ``message`` is the English text, translated when the error is shown, so
the language chosen on the command line applies. The broad classes (``InvalidInput``, ``ConfigError``) take the
finished sentence of the rule that refused.
"""
from __future__ import annotations

from workflow.i18n import N_, _


class KerjasamaError(Exception):
    """Base of every error the CLI turns into one line and exit code 1."""

    message = ""
    named: dict[str, str] = {}  # values that are codes (of a workflow/vocabulary.py vocabulary), shown by name

    def __init__(self, text: str | None = None, **values):
        self.text, self.values = text, values
        super().__init__(text if text is not None else self.message.format(**values))

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        from workflow.vocabulary import name

        values = dict(self.values)
        for key, vocabulary in self.named.items():
            if isinstance(values.get(key), str):  # a list of codes comes joined by ", "
                values[key] = ", ".join(name(vocabulary, code) for code in values[key].split(", "))
        return _(self.message).format(**values)


class ConfigError(KerjasamaError):
    """The config file cannot be used: unreadable, or a value of the wrong shape."""


class ProcedureError(KerjasamaError):
    """A request the procedure refuses."""


class RegionNotSetUp(ProcedureError):
    message = N_("This database has no region yet; run kerjasama init first.")


class CaseNotFound(ProcedureError):
    message = N_("No case {ref}; kerjasama case list shows the cases.")


class UnknownEvent(ProcedureError):
    message = N_("Unknown event {event}; kerjasama procedure lists the events.")


class EventNotAllowed(ProcedureError):
    """The event is not allowed from the case's state, or a guard refused it."""

    message = N_("{event} is not allowed for {ref} in state {state}; allowed now: {allowed}.")
    named = {"event": "event", "state": "state", "allowed": "event"}


class RecordedByCommand(EventNotAllowed):
    message = N_("{event} is recorded with {command}, which also keeps what it records.")


class GuardRefused(EventNotAllowed):
    message = N_("{event} refused for {ref}: {reason} Allowed now: {allowed}.")


class MachineRefused(EventNotAllowed):
    """The table and the guards disagree: a defect, never silently ignored."""

    message = N_("{event} refused for {ref} by the procedure machine.")


class LateEntryRefused(EventNotAllowed):
    """A fact dated before the case's last event that the procedure did not allow on its day."""

    message = N_("{event} cannot take its place on {on} in the history of {ref}: {reason}")


class LaterEventConflict(EventNotAllowed):
    """A late entry or a correction would leave an event after it that the procedure no longer allows."""

    message = N_("{change} would leave #{seq} {event} of {on} out of place: {reason} If #{seq} is the mistake, "
                 "correct it first (kerjasama case correct {ref} {seq} --note ...); otherwise check the date.")


class InvalidInput(ProcedureError):
    """A value the procedure cannot take: a date in the future, a missing note, a bad datum."""


class NotEligible(ProcedureError):
    """An eligibility rule of PP 28/2018 Pasal 27 refused the case."""

    message = N_("Cannot open the case: {problems}")


class ConcurrentChange(ProcedureError):
    """Another officer changed the case between reading and writing it; nothing was written."""

    message = N_("Case {ref} was changed by someone else at the same moment; nothing was recorded. Show the case "
                 "again and retry.")


class StaleVersion(ConcurrentChange):
    message = N_("Case {ref} changed since version {expected} (now {version}); show it again and retry.")


class ConcurrentOpening(ConcurrentChange):
    message = N_("Another case was opened at the same moment; nothing was recorded. Retry.")
