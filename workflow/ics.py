"""Deadlines as an iCalendar file, for Outlook, Google Calendar or Thunderbird."""
from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar, Event

from workflow.i18n import _


def deadlines_calendar(report: dict) -> bytes:
    """An all-day event per open deadline of ``report`` (from :func:`workflow.cases.upcoming_deadlines`)."""
    calendar = Calendar()
    calendar.add("prodid", "-//kerjasama//deadlines//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Cooperation deadlines"))
    for row in report["deadlines"]:
        due = date.fromisoformat(row["due"])
        event = Event()
        event.add("uid", f"deadline-{row['id']}@kerjasama")  # stable: a re-import updates, not duplicates
        event.add("summary", f"{row['ref']}: {row['label']}")
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("description", "\n".join([
            _("Case {ref}, deadline {kind}").format(ref=row["ref"], kind=row["kind"]),
            _("Legal basis: {basis}").format(basis=row["basis"]),
            _("See the case: kerjasama case show {ref}").format(ref=row["ref"]),
        ]))
        event.add("categories", [row["ref"], row["kind"]])
        calendar.add_component(event)
    return calendar.to_ical()
