"""The channels a reminder is delivered through: the console, a JSON-lines log file, and e-mail over SMTP.

A channel only sends; the outbox (workflow/reminders/outbox.py) decides when, and records what happened.
"""
from __future__ import annotations

import json
import smtplib
import ssl
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
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


class MailError(Exception):
    """A failed SMTP delivery. The outbox records only the first line of the text, so it starts with the server."""


class EmailChannel:
    """Sends reminders over SMTP to the addresses of the case's roles (config [contacts]).

    :param bureau_name: and ``region_name``: the sender's display name, "Bagian Kerja Sama Kota Padang".
    :param installation: a short stable token (letters and digits) that differs per database; it keeps the
        Message-IDs of two installations that share a mail domain apart.
    """

    name = "email"

    def __init__(self, smtp, contacts, timeout: float = 30, *, bureau_name: str = "", region_name: str = "",
                 installation: str = ""):
        self.smtp = smtp
        self.contacts = contacts
        self.timeout = timeout
        self.installation = installation
        display_name, self.sender = parseaddr(smtp.sender)
        # A name written in [smtp] from wins; otherwise the bureau and its region, as on the letters.
        self.display_name = display_name or " ".join(filter(None, (bureau_name, region_name)))
        _local, at, domain = self.sender.rpartition("@")
        self.domain = domain if at else "kerjasama"

    def addresses(self, recipients: list[str]) -> list[str]:
        found, missing = [], []
        for role in recipients:
            address = address_of(self.contacts, role)
            (found if address else missing).append(address or role)
        if not found:
            raise LookupError(_("no e-mail address for {roles}; add them to [contacts] in the config")
                              .format(roles=", ".join(missing)))
        return found

    def message_id(self, *parts) -> str:
        """``<parts.installation@domain>``: the same parts give the same id, so a retry keeps it."""
        return f"<{'.'.join(str(p) for p in (*parts, self.installation) if p != '')}@{self.domain}>"

    def thread_id(self, reminder: Reminder) -> str:
        """The id every reminder of one deadline (or one budget window of one case) replies to."""
        if reminder.deadline_id is not None:
            return self.message_id("deadline", reminder.deadline_id)
        return self.message_id("budget", reminder.kind, "case", reminder.case_id)

    def compose(self, reminder: Reminder) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = reminder.subject
        # Address encodes a non-ASCII display name (RFC 2047) when the message is written out.
        message["From"] = Address(self.display_name, addr_spec=self.sender) if self.display_name else self.sender
        message["To"] = ", ".join(self.addresses(reminder.recipients))
        message["Date"] = format_datetime(datetime.now().astimezone())
        message["Message-ID"] = self.message_id(*reminder.key.split(":"))
        # Every reminder replies to a root id that is never sent itself: threading then needs no memory of which
        # reminder went first, and survives one that failed, was deleted or arrived out of order on a retry.
        message["In-Reply-To"] = self.thread_id(reminder)
        message["References"] = self.thread_id(reminder)
        # No out-of-office or other automatic replies to a machine (RFC 3834; the second for Exchange/Outlook).
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
        message.set_content(reminder.body)
        return message

    def deliver(self, reminder: Reminder) -> None:
        message = self.compose(reminder)
        # The server's certificate is checked (smtplib's default context checks nothing) before the password goes.
        try:
            tls = ssl.create_default_context(cafile=self.smtp.ca_file) if self.smtp.security != "none" else None
            if self.smtp.security == "ssl":
                client = smtplib.SMTP_SSL(self.smtp.host, self.smtp.port, timeout=self.timeout, context=tls)
            else:
                client = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.timeout)
            with client:
                if self.smtp.security == "starttls":
                    client.starttls(context=tls)
                if self.smtp.user:
                    client.login(self.smtp.user, self.smtp.password or "")
                client.send_message(message)
        except OSError as err:  # smtplib.SMTPException is an OSError too
            raise MailError(f"{self.smtp.host}:{self.smtp.port}: {_reason(err)}") from err


def _reason(err: OSError) -> str:
    """The reason of an SMTP or connection error on one line, without Python's tuple and errno wrapping."""
    if isinstance(err, smtplib.SMTPResponseException):
        reason = f"{err.smtp_code} {_text(err.smtp_error)}"
    elif isinstance(err, smtplib.SMTPRecipientsRefused):
        reason = "; ".join(f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in err.recipients.items())
    else:
        reason = err.strerror or str(err) or type(err).__name__
    return " ".join(reason.split())


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def channels_for(config: Config, echo: Callable[[str], None], *, region_name: str = "",
                 installation: str = "") -> dict[str, Channel]:
    """The channels the config names, ready to deliver; ``region_name`` and ``installation`` as for EmailChannel."""
    made = {"console": lambda: ConsoleChannel(echo), "log": lambda: LogChannel(config.log_file),
            "email": lambda: EmailChannel(config.smtp, config.contacts, bureau_name=config.letters.bureau_name,
                                          region_name=region_name, installation=installation)}
    return {name: made[name]() for name in config.channels}


def reminder_channels(bureau, config: Config, echo: Callable[[str], None]) -> dict[str, Channel]:
    """The channels the config names, for this database's region: its name signs the mail, its installation token
    makes every Message-ID its own."""
    from workflow.store import load_region

    with bureau.db.session() as session:
        region = load_region(session)
    return channels_for(config, echo, region_name=region.name, installation=region.installation())


def address_of(contacts, recipient: str) -> str | None:
    """The e-mail address of a reminder's recipient (``officer:siti``, ``opd:Dinas Pariwisata``, ``head_of_bureau``)
    in the config's [contacts], or None."""
    kind, _sep, name = recipient.partition(":")
    return {"officer": contacts.officers.get(name), "opd": contacts.opd.get(name),
            "head_of_bureau": contacts.head_of_bureau}.get(kind)
