"""Deadlines as an iCalendar file, for Outlook, Google Calendar or Thunderbird."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from workflow.i18n import _

ALARM_DAYS = (7, 1)  # Outlook keeps only an event's first alarm: the earlier warning goes first


def deadlines_calendar(report: dict, now: datetime | None = None, installation: str = "",
                       domain: str = "kerjasama") -> bytes:
    """An all-day event per open deadline of ``report`` (from :func:`workflow.cases.upcoming_deadlines`).

    :param now: the moment of the export (DTSTAMP); the system clock when None.
    :param installation: and ``domain``: as for the e-mail channel's Message-IDs, so that the events of two
        installations imported into one calendar do not replace each other.
    """
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    today = date.fromisoformat(report["today"])
    calendar = Calendar()
    calendar.add("prodid", "-//kerjasama//deadlines//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Cooperation deadlines"))
    for row in report["deadlines"]:
        due = date.fromisoformat(row["due"])
        summary = f"{row['ref']}: {row['label']}"
        event = Event()
        # Stable: a re-import updates the event instead of adding a copy.
        event.add("uid", "deadline-" + ".".join(filter(None, (str(row["id"]), installation))) + f"@{domain}")
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("description", "\n".join([
            _("Case {ref}, deadline {kind}").format(ref=row["ref"], kind=row["kind"]),
            _("Legal basis: {basis}").format(basis=row["basis"]),
            _("See the case: kerjasama case show {ref}").format(ref=row["ref"]),
        ]))
        event.add("categories", [row["ref"], row["kind"]])
        for days in ALARM_DAYS:
            # An alarm already past would pop up at import (Thunderbird shows missed ones): leave it out.
            if due - timedelta(days=days) >= today:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", timedelta(days=-days))  # before the start of the all-day event
                event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def deadlines_ics(bureau, config, report: dict) -> bytes:
    """The calendar of ``report`` for this database: uids of its installation, in the mail domain of the config."""
    from workflow.store import load_region

    with bureau.db.session() as session:
        installation = load_region(session).installation()
    domain = config.smtp.sender.rpartition("@")[2].strip(">").strip() if config.smtp else "kerjasama"
    return deadlines_calendar(report, installation=installation, domain=domain or "kerjasama")
