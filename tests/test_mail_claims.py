"""Claims that hold: several sweeps at once, with a mail server that is slow and refuses now and then, deliver each
reminder exactly once (counted by Message-ID at the server)."""
from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from db.models import Delivery, Reminder
from tests.helpers import at, count, dprd_case, log_config
from workflow.config import Config, Contacts, Smtp
from workflow.reminders import EmailChannel, SweepReport, deliver, sweep


class SlowMailbox:
    """Takes ``delay`` seconds over each message, as a loaded server does, and refuses every ``refuse_every``th."""

    def __init__(self, delay: float, refuse_every: int = 5):
        self.delay, self.refuse_every, self.seen, self.messages = delay, refuse_every, 0, []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.seen += 1  # the handler runs on the server's one event loop: no lock needed
        if self.refuse_every and self.seen % self.refuse_every == 0:
            return "451 4.3.0 mailbox busy, try later"
        self.messages.append(envelope)
        return "250 OK"


@contextmanager
def serving(mailbox, **tls):
    """A real SMTP server on a free port of loopback, handled by ``mailbox``; yields the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **tls)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def test_four_sweeps_with_a_slow_refusing_server_deliver_each_reminder_once(bureau):
    mailbox = SlowMailbox(delay=0.8)
    with serving(mailbox) as port:
        smtp = Smtp(host="127.0.0.1", port=port, security="none", user=None, password=None,
                    sender="kerjasama@padang.go.id")
        contacts = Contacts(officers={"tester": "siti@padang.go.id"})
        config = Config(channels=("email",), smtp=smtp, contacts=contacts)
        cases = [dprd_case(bureau) for _ in range(12)]  # one reminder each on 21 June 2024 (before:3wd)
        # A lease shorter than one message takes: without renewal while sending, the other sweeps would take
        # each message in flight and send it again.
        lease = timedelta(seconds=0.5)

        def one_sweep(now):
            sweep(bureau, config, now, {"email": EmailChannel(smtp, contacts, timeout=10)}, lease=lease)

        sweeps = [threading.Thread(target=one_sweep, args=(at("2024-06-21"),)) for _ in range(4)]
        for thread in sweeps:
            thread.start()
        for thread in sweeps:
            thread.join(timeout=120)
        for minutes in (30, 60, 120, 240, 480):  # later sweeps retry the refused ones after their back-off
            one_sweep(at("2024-06-21") + timedelta(minutes=minutes))
        ids = [message_from_bytes(m.original_content, policy=policy.SMTP)["Message-ID"] for m in mailbox.messages]
        assert len(ids) == len(set(ids)) == len(cases)
        assert mailbox.seen > len(cases)  # some were refused, and sent again later


def test_after_a_week_off_the_mail_server_gets_one_message_per_deadline(bureau):
    mailbox = SlowMailbox(delay=0, refuse_every=0)
    with serving(mailbox) as port:
        smtp = Smtp(host="127.0.0.1", port=port, security="none", user=None, password=None,
                    sender="kerjasama@padang.go.id")
        contacts = Contacts(officers={"tester": "siti@padang.go.id"}, head_of_bureau="kabag@padang.go.id")
        config = Config(channels=("email",), smtp=smtp, contacts=contacts)
        channels = {"email": EmailChannel(smtp, contacts, timeout=10)}
        cases = [dprd_case(bureau) for _ in range(3)]
        sweep(bureau, config, at("2024-06-20"), channels)  # the last day the office PC was on
        before = len(mailbox.messages)
        # Back a week later: for each deadline, the due date, the deemed approval and a step of the deadline it
        # opened came while it was off.
        sweep(bureau, config, at("2024-07-04"), channels)
        threads = [message_from_bytes(m.original_content, policy=policy.SMTP)["In-Reply-To"]
                   for m in mailbox.messages[before:]]
        assert len(threads) == len(set(threads)) == len(cases)  # one message per deadline


@pytest.mark.needs("openssl")
def test_starttls_checks_the_servers_certificate_unless_its_authority_is_given(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    mailbox = SlowMailbox(delay=0, refuse_every=0)
    with serving(mailbox, tls_context=server_tls, require_starttls=True) as port:
        reminder = Reminder(id=1, key="deadline:1:due", case_id=1, deadline_id=1, kind="dprd_decision", step="due",
                            due=date(2024, 6, 26), recipients=["officer:siti"], subject="[KS-2024-0001] due",
                            body="due", recorded_at=at("2024-06-26"))
        contacts = Contacts(officers={"siti": "siti@padang.go.id"})
        unchecked = Smtp(host="127.0.0.1", port=port, security="starttls", user=None, password=None,
                         sender="kerjasama@padang.go.id")
        with pytest.raises(Exception, match=rf"^127\.0\.0\.1:{port}: .*CERTIFICATE_VERIFY_FAILED"):
            EmailChannel(unchecked, contacts, timeout=10).deliver(reminder)  # the password would go to anyone
        assert mailbox.messages == []
        EmailChannel(replace(unchecked, ca_file=str(cert)), contacts, timeout=10).deliver(reminder)
        assert len(mailbox.messages) == 1


class Counting:
    """A channel that takes ``delay`` seconds over each reminder and keeps the keys it delivered, from any thread."""

    name = "log"

    def __init__(self, delay: float = 0):
        self.delay, self.keys, self.lock = delay, [], threading.Lock()

    def deliver(self, reminder):
        time.sleep(self.delay)
        with self.lock:
            self.keys.append(reminder.key)


def test_two_sweeps_claiming_at_the_same_moment_deliver_each_reminder_once(bureau, tmp_path):
    config = log_config(tmp_path)
    for _ in range(30):
        dprd_case(bureau)
    assert len(sweep(bureau, config, at("2024-06-21"), {}).recorded) == 30  # recorded; no channel in this process
    channel, start, reports = Counting(delay=0.01), threading.Barrier(2), []

    def one_sweep():
        start.wait()  # both claim at once: neither has anything left to record
        reports.append(sweep(bureau, config, at("2024-06-21", "07:40"), {"log": channel},
                             lease=timedelta(seconds=0.2)))  # shorter than the sending takes: renewed meanwhile

    sweeps = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in sweeps:
        thread.start()
    for thread in sweeps:
        thread.join(timeout=120)
    assert len(channel.keys) == len(set(channel.keys)) == 30
    assert sorted(s["key"] for r in reports for s in r.sent) == sorted(channel.keys)
    assert count(bureau, Delivery, status="sent") == 30


def test_deliveries_another_sweep_is_claiming_are_not_claimed_again(bureau, tmp_path):
    """Another sweep's claim not yet committed: PostgreSQL passes over its rows at once, SQLite waits for it; either
    way the deliveries it took are not taken again."""
    config = log_config(tmp_path)
    for _ in range(5):
        dprd_case(bureau)
    sweep(bureau, config, at("2024-06-21"), {})
    channel, report = Counting(), SweepReport(at("2024-06-21", "07:40"))
    waiting = threading.Thread(target=deliver, args=(bureau, report.now, {"log": channel}, report))
    with bureau.db.engine.connect() as other:
        other.execute(update(Delivery.__table__).where(Delivery.status == "pending")
                      .values(status="sending", claimed_at=datetime.now(timezone.utc), attempts=1))
        waiting.start()
        if bureau.db.is_sqlite:
            time.sleep(0.5)
        else:
            waiting.join(timeout=30)
            assert not waiting.is_alive()  # it did not wait for the other claim
        other.commit()
    waiting.join(timeout=60)
    assert channel.keys == [] and report.sent == [] and report.pending == 5
