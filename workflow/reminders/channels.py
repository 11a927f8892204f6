"""The channels a reminder is delivered through: the console, a JSON-lines log file, and e-mail over SMTP.

A channel only sends; the outbox (workflow/reminders/outbox.py) decides when, and records what happened.
"""
from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Protocol

from db.models import Reminder
from workflow.config import Config
from workflow.i18n import _


class Channel(Protocol):
    name: str

    def deliver(self, reminder: Reminder) -> None:
        """Send ``reminder``; raise on failure."""


class ConsoleChannel:
    """Prints reminders for a person reading the terminal or the service's journal."""

    name = "console"

    def __init__(self, echo: Callable[[str], None]):
        self.echo = echo

    def deliver(self, reminder: Reminder) -> None:
        self.echo(f"{reminder.subject}\n" + "\n".join("    " + line for line in reminder.body.splitlines()))


class LogChannel:
    """Appends one JSON line per reminder to a file that other tools can follow."""

    name = "log"

    def __init__(self, path: Path):
        self.path = path

    def deliver(self, reminder: Reminder) -> None:
        line = json.dumps({"key": reminder.key, "case_id": reminder.case_id, "kind": reminder.kind,
                           "step": reminder.step, "due": reminder.due.isoformat(), "recipients": reminder.recipients,
                           "subject": reminder.subject, "body": reminder.body,
                           "recorded_at": reminder.recorded_at.isoformat()}, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write per line in append mode: lines of several sweeps at once interleave whole.
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


class EmailChannel:
    """Sends reminders over SMTP to the addresses of the case's roles (config [contacts])."""

    name = "email"

    def __init__(self, smtp, contacts, timeout: float = 30):
        self.smtp = smtp
        self.contacts = contacts
        self.timeout = timeout

    def addresses(self, recipients: list[str]) -> list[str]:
        found, missing = [], []
        for role in recipients:
            kind, _sep, name = role.partition(":")
            address = {"officer": self.contacts.officers.get(name), "opd": self.contacts.opd.get(name),
                       "head_of_bureau": self.contacts.head_of_bureau}.get(kind)
            (found if address else missing).append(address or role)
        if not found:
            raise LookupError(_("no e-mail address for {roles}; add them to [contacts] in the config")
                              .format(roles=", ".join(missing)))
        return found

    def deliver(self, reminder: Reminder) -> None:
        message = EmailMessage()
        message["Subject"] = reminder.subject
        message["From"] = self.smtp.sender
        message["To"] = ", ".join(self.addresses(reminder.recipients))
        message["Message-ID"] = f"<{reminder.key.replace(':', '.')}@kerjasama>"  # a resent copy is recognisable
        message.set_content(reminder.body)
        smtp_class = smtplib.SMTP_SSL if self.smtp.security == "ssl" else smtplib.SMTP
        with smtp_class(self.smtp.host, self.smtp.port, timeout=self.timeout) as client:
            if self.smtp.security == "starttls":
                client.starttls()
            if self.smtp.user:
                client.login(self.smtp.user, self.smtp.password or "")
            client.send_message(message)


def channels_for(config: Config, echo: Callable[[str], None]) -> dict[str, Channel]:
    """The channels the config names, ready to deliver."""
    made = {"console": lambda: ConsoleChannel(echo), "log": lambda: LogChannel(config.log_file),
            "email": lambda: EmailChannel(config.smtp, config.contacts)}
    return {name: made[name]() for name in config.channels}
