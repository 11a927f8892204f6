"""Processes killed (SIGKILL) at random moments of apply, letter issue and the sweep leave a whole record."""
from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select

from db.models import Delivery, Letter, Reminder
from tests.conftest import close_bureau, make_bureau
from tests.helpers import case_in, events_of, get_case
from workflow.audit import verify
from workflow.config import Config
from workflow.reminders import LogChannel, sweep

ROOT = Path(__file__).resolve().parents[1]
LETTERS = '''[letters]
head_name = "Fadly Amran, B.B.A."
city = "Padang"
'''


def killed(args: list[str], delay: float) -> None:
    process = subprocess.Popen([sys.executable, "-c", "from cli import cli; cli()", *args], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_killed_officers_and_sweeps_leave_no_partial_write_no_gap_and_no_lost_reminder(db_url, tmp_path):
    bureau = make_bureau(db_url)
    config_path = tmp_path / "config.toml"
    config_path.write_text(LETTERS + f'[reminders]\nchannels = ["log"]\nlog_file = "{tmp_path / "log.jsonl"}"\n')
    try:
        refs = [case_in(bureau, "plan_drafting") for _ in range(3)]
        chance = random.Random(20261123)
        for n in range(12):
            ref = refs[n % 3]
            base = ["--db", db_url, "--config", str(config_path), "--lang", "en"]
            work = [["letter", "issue", ref, "d09_dprd_request.html", "--on", "2014-01-06"],
                    ["case", "advance", ref, "case_suspended", "--note", "election", "--on", "2014-01-06"],
                    ["case", "advance", ref, "case_resumed", "--on", "2014-01-06"],
                    ["remind", "--now", "2014-12-01"]][n % 4]
            killed(base + work, chance.uniform(0.3, 1.6))  # from start-up to the middle of the transaction
        for ref in refs:  # state agrees with the last event; the seals verify
            assert get_case(bureau, ref).state == events_of(bureau, ref)[-1].to_state
        assert verify(bureau)["broken"] == []
        with bureau.db.engine.connect() as conn:
            sequences = sorted(conn.execute(select(Letter.sequence)).scalars())
            assert sequences == list(range(1, len(sequences) + 1))  # no number gap
            orphans = conn.execute(select(func.count()).select_from(Reminder.__table__)
                                   .where(~Reminder.id.in_(select(Delivery.reminder_id)))).scalar()
            assert orphans == 0  # a reminder is recorded with its deliveries or not at all
        config = Config(channels=("log",), log_file=tmp_path / "after.jsonl")
        later = datetime(2014, 12, 1, 9, 0, tzinfo=timezone.utc)  # past any claim of a killed sweep
        sweep(bureau, config, later, {"log": LogChannel(config.log_file)})
        with bureau.db.engine.connect() as conn:
            waiting = conn.execute(select(func.count()).select_from(Delivery.__table__)
                                   .where(Delivery.status != "sent")).scalar()
        assert waiting == 0  # every recorded reminder was delivered in the end
    finally:
        close_bureau(bureau)
