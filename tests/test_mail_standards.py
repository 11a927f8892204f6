"""Reminders as standard e-mail (RFC 5322, RFC 3834) through a real SMTP server on loopback, and the deadlines
as a standard calendar (RFC 5545)."""
from __future__ import annotations

import email
import email.policy
import socket
from datetime import date, datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from db.models import Reminder
from tests.helpers import at, dprd_case
from tests.test_reminders import Mailbox
from workflow.cases import upcoming_deadlines
from workflow.config import Config, Contacts, Smtp
from workflow.ics import deadlines_calendar
from workflow.reminders import EmailChannel, sweep
from workflow.reminders.channels import MailError

CONTACTS = Contacts(head_of_bureau="kabag@padang.go.id", officers={"tester": "siti@padang.go.id"})


def free_port() -> int:
    """A port on loopback that nothing listens on (until someone binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_on(port: int) -> Smtp:
    return Smtp(host="127.0.0.1", port=port, security="none", user=None, password=None,
                sender="kerjasama@padang.go.id")


@pytest.fixture
def mailbox():
    """A real SMTP server on loopback that accepts everything; ``mailbox.port`` is where it listens."""
    box = Mailbox()
    box.refuse = False
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


def channel(port: int, installation: str = "a1b2", **names) -> EmailChannel:
    names = {"bureau_name": "Bagian Kerja Sama", "region_name": "Kota Padang"} | names
    return EmailChannel(smtp_on(port), CONTACTS, timeout=10, installation=installation, **names)


def reminder(key: str = "deadline:72:overdue:9", deadline_id: int | None = 72, kind: str = "dprd_decision",
             case_id: int = 7) -> Reminder:
    return Reminder(key=key, case_id=case_id, deadline_id=deadline_id, kind=kind, step=key.rsplit(":", 1)[-1],
                    due=date(2024, 6, 26), recipients=["officer:tester"], subject="[KS-2024-0001] DPRD decision",
                    body="Due 2024-06-26.")


def received(mailbox) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(m.content, policy=email.policy.SMTP) for m in mailbox.messages]


def test_a_reminder_is_a_standard_message(mailbox):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    channel(mailbox.port).deliver(reminder())
    [envelope] = mailbox.messages
    [message] = received(mailbox)
    assert envelope.mail_from == "kerjasama@padang.go.id" and envelope.rcpt_tos == ["siti@padang.go.id"]
    assert message.defects == [] and all(not message[h].defects for h in message.keys())
    sent = message["Date"].datetime
    assert sent.tzinfo is not None and before <= sent <= datetime.now(timezone.utc) + timedelta(seconds=1)
    assert message["Auto-Submitted"] == "auto-generated" and message["X-Auto-Response-Suppress"] == "All"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Bagian Kerja Sama Kota Padang", "kerjasama@padang.go.id")
    assert message["Message-ID"] == "<deadline.72.overdue.9.a1b2@padang.go.id>"
    assert message["In-Reply-To"] == message["References"] == "<deadline.72.a1b2@padang.go.id>"
    assert message.get_content().strip() == "Due 2024-06-26."


def test_a_non_ascii_sender_name_is_encoded(mailbox):
    channel(mailbox.port, bureau_name="Biro Kerja Sama", region_name="Provinsi Nanggroe Aceh – Banda Aceh").deliver(
        reminder())
    [envelope] = mailbox.messages
    envelope.content.decode("ascii")  # RFC 2047 encoded words, not raw UTF-8 the server has to accept
    [message] = received(mailbox)
    assert message["From"].addresses[0].display_name == "Biro Kerja Sama Provinsi Nanggroe Aceh – Banda Aceh"


def test_a_name_in_the_configured_sender_wins_and_no_name_gives_a_bare_address(mailbox):
    named = Smtp("127.0.0.1", mailbox.port, "none", None, None, '"Kerja Sama Padang" <kerjasama@padang.go.id>')
    EmailChannel(named, CONTACTS, bureau_name="Bagian Kerja Sama", region_name="Kota Padang").deliver(reminder())
    EmailChannel(smtp_on(mailbox.port), CONTACTS).deliver(reminder())
    first, second = received(mailbox)
    assert first["From"].addresses[0].display_name == "Kerja Sama Padang"
    assert str(second["From"]) == "kerjasama@padang.go.id"


def test_message_ids_are_stable_on_a_retry_and_differ_between_installations(mailbox):
    padang = channel(mailbox.port, installation="a1b2")
    padang.deliver(reminder())
    padang.deliver(reminder())  # a retry after a failure the sender could not see (e.g. a lost 250 reply)
    channel(mailbox.port, installation="c3d4").deliver(reminder())  # another database, same mail domain
    channel(mailbox.port, installation="").deliver(reminder())
    ids = [m["Message-ID"] for m in received(mailbox)]
    assert ids[0] == ids[1] and len(set(ids[1:])) == 3
    assert ids[3] == "<deadline.72.overdue.9@padang.go.id>"  # no token: still qualified by the sender's domain


def test_the_reminders_of_one_deadline_are_one_thread(bureau, mailbox):
    config = Config(channels=("email",), smtp=smtp_on(mailbox.port), contacts=CONTACTS)
    dprd_case(bureau)
    for day in ("2024-06-10", "2024-06-21"):  # 10 and 3 working days before the DPRD's 26 June
        sweep(bureau, config, at(day), {"email": channel(mailbox.port)})
    first, second = received(mailbox)
    root = first["In-Reply-To"]
    assert root.startswith("<deadline.") and root.endswith(".a1b2@padang.go.id>")
    assert second["In-Reply-To"] == first["References"] == second["References"] == root
    assert len({first["Message-ID"], second["Message-ID"], root}) == 3


def test_budget_reminders_thread_by_case_and_window(mailbox):
    budget = reminder("budget:2026:kua_ppas_submission:case:7", deadline_id=None, kind="kua_ppas_submission")
    channel(mailbox.port).deliver(budget)
    [message] = received(mailbox)
    assert message["Message-ID"] == "<budget.2026.kua_ppas_submission.case.7.a1b2@padang.go.id>"
    assert message["References"] == "<budget.kua_ppas_submission.case.7.a1b2@padang.go.id>"


def test_a_refused_connection_names_the_server():
    port = free_port()  # closed: nothing listens there
    with pytest.raises(MailError, match=rf"^127\.0\.0\.1:{port}: Connection refused$") as failure:
        channel(port).deliver(reminder())
    assert isinstance(failure.value.__cause__, ConnectionRefusedError)  # the original error stays attached


def test_an_smtp_refusal_names_the_server_in_the_outbox(bureau, mailbox):
    mailbox.refuse = True
    config = Config(channels=("email",), smtp=smtp_on(mailbox.port), contacts=CONTACTS)
    dprd_case(bureau)
    report = sweep(bureau, config, at("2024-06-10"), {"email": channel(mailbox.port)})
    assert [f["error"] for f in report.failed] == [f"127.0.0.1:{mailbox.port}: 451 4.3.0 mailbox busy, try later"]


def calendar_on(bureau, today: date, **kwargs) -> Calendar:
    calendar = Calendar.from_ical(deadlines_calendar(upcoming_deadlines(bureau, today), **kwargs))
    calendar.validate()  # PRODID, VERSION and at least one component
    return calendar


def test_the_calendar_has_the_properties_rfc_5545_requires(bureau):
    ref = dprd_case(bureau)
    exported = datetime(2024, 4, 8, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    calendar = calendar_on(bureau, date(2024, 4, 8), now=exported, installation="a1b2", domain="padang.go.id")
    events = calendar.walk("VEVENT")
    assert events
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART"):
            assert name in event, name
        assert event.decoded("dtstamp") == datetime(2024, 4, 8, 2, 30, tzinfo=timezone.utc)
        assert event.to_ical().decode().count("DTSTAMP:20240408T023000Z") == 1  # UTC, as RFC 5545 requires
        assert str(event["uid"]).startswith("deadline-") and str(event["uid"]).endswith(".a1b2@padang.go.id")
        for alarm in event.walk("VALARM"):
            assert str(alarm["action"]) == "DISPLAY" and str(alarm["description"]) == str(event["summary"])
            assert alarm.decoded("trigger") < timedelta(0)  # relative to the start: before the day
    assert len({str(e["uid"]) for e in events}) == len(events)
    dprd = next(e for e in events if str(e["summary"]) == f"{ref}: DPRD decision on the cooperation plan")
    assert dprd.decoded("dtstart") == date(2024, 6, 26) and dprd.decoded("dtend") == date(2024, 6, 27)
    assert [a.decoded("trigger") for a in dprd.walk("VALARM")] == [timedelta(days=-7), timedelta(days=-1)]


def test_calendar_uids_differ_between_installations_and_default_to_the_old_form(bureau):
    dprd_case(bureau)

    def uids(**kwargs) -> list[str]:
        return [str(e["uid"]) for e in calendar_on(bureau, date(2024, 4, 8), **kwargs).walk("VEVENT")]

    padang, other = (uids(installation=token, domain="padang.go.id") for token in ("a1b2", "c3d4"))
    assert padang and not set(padang) & set(other)
    old = uids()
    assert all(uid.startswith("deadline-") and uid.endswith("@kerjasama") and "." not in uid for uid in old)


def test_alarms_already_past_are_left_out(bureau):
    ref = dprd_case(bureau)  # due 26 June 2024: on 21 June the week's alarm is past, the day's not yet
    calendar = calendar_on(bureau, date(2024, 6, 21))
    dprd = next(e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith(f"{ref}: DPRD"))
    assert [a.decoded("trigger") for a in dprd.walk("VALARM")] == [timedelta(days=-1)]
