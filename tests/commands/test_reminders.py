"""kerjasama remind and scheduler: a sweep from the CLI, and sweep processes killed, run four at once, or stopped."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Delivery, Event, Reminder
from tests.conftest import PG_URL
from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, at, carry, count, dprd_case, error_line, log_config, logged, open_case, run

ROOT = Path(__file__).resolve().parents[2]


def test_remind_from_the_cli(run, tmp_path):
    ref = open_case(run, "--as", "siti")
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])  # DPRD received 2014-01-06
    dry = run("remind", "--now", "2014-02-27", "--dry-run")
    assert f"would remind: {ref} dprd_decision before:10wd" in dry.stdout
    report = json_of(run("remind", "--now", "2014-02-27", "--json").stdout)
    assert [r["step"] for r in report["recorded"]] == ["before:10wd"] and report["pending"] == 0
    assert report["recorded"][0]["recipients"] == ["officer:siti"]  # opened --as siti under the system login
    text = run("remind", "--now", "2014-03-20")
    assert f"[{ref}] DPRD decision on the cooperation plan" in text.stdout
    # One message: the timer's notice (deemed approval), standing for the overdue reminder before it.
    assert "See what follows: kerjasama case show" in text.stdout and "Sweep at 2014-03-20T00:00+07:00" in text.stderr
    assert text.stdout.count(f"[{ref}] DPRD decision on the cooperation plan") == 2  # its subject, and the one named
    calendar = run("deadlines", "--ics").stdout
    assert calendar.startswith("BEGIN:VCALENDAR") and f"SUMMARY:{ref}: " in calendar
    assert json_of(run("deadlines", "recompute", "--json").stdout) == {"applied": False, "moves": []}


def test_a_bad_now_is_one_line(run):
    result = run("remind", "--now", "yesterday", ok=False)
    assert result.exit_code == 1 and "--now yesterday is not a date or time" in error_line(result)


def cli_command(db_url: str, config_path: Path, *args) -> list[str]:
    return [sys.executable, "-c", "from cli import cli; cli()", "--db", db_url, "--config", str(config_path), *args]


def test_a_process_killed_between_recording_and_delivering_loses_nothing(db_url, tmp_path):
    from tests.conftest import close_bureau, make_bureau
    bureau = make_bureau(db_url)
    try:
        dprd_case(bureau)
        fifo = tmp_path / "blocked.jsonl"
        os.mkfifo(fifo)  # opening it for writing blocks until a reader comes: the sweep hangs in delivery
        config_path = tmp_path / "config.toml"
        config_path.write_text(f'[reminders]\nchannels = ["log"]\nlog_file = "{fifo}"\n')
        process = subprocess.Popen(cli_command(db_url, config_path, "remind", "--now", "2024-06-21T07:30+07:00"),
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while count(bureau, Delivery, status="sending") == 0:
            assert time.monotonic() < deadline and process.poll() is None, "the sweep never reached delivery"
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert count(bureau, Reminder) == 1  # recorded before the kill
        config = log_config(tmp_path)
        time.sleep(1.2)  # the killed process's claim, never renewed, runs out
        report = run(bureau, config, at("2024-06-21", "07:50"), lease=timedelta(seconds=1))
        assert report.recorded == [] and len(report.sent) == 1
        assert [line["step"] for line in logged(config)] == ["before:3wd"]
    finally:
        close_bureau(bureau)


@pytest.mark.postgres
def test_four_sweeps_at_once_send_one_message_for_each_of_200_deadlines(tmp_path):
    if not PG_URL:
        pytest.skip("KERJASAMA_TEST_POSTGRES_URL is not set")
    from tests.conftest import close_bureau, make_bureau, make_url
    url, drop = make_url("postgresql", tmp_path)
    bureau = make_bureau(url, council_silence="escalate")
    try:
        # 3 reminders recorded each (due, for 10wd and 3wd; the timer's notice; overdue:1), one message sent
        refs = [dprd_case(bureau) for _ in range(200)]
        log_file = tmp_path / "reminders.jsonl"
        config_path = tmp_path / "config.toml"
        config_path.write_text(f'[reminders]\nchannels = ["log"]\nlog_file = "{log_file}"\ncatch_up_days = 365\n')
        command = cli_command(url, config_path, "remind", "--now", "2024-07-03T07:30+07:00", "--json")
        processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(4)]
        outputs = [p.communicate(timeout=600) for p in processes]
        assert [p.returncode for p in processes] == [0, 0, 0, 0], [err.decode()[-500:] for _, err in outputs]
        reports = [json_of(out) for out, _ in outputs]
        assert sum(len(r["recorded"]) for r in reports) == 600
        assert sum(len(r["sent"]) for r in reports) == 200
        lines = [json.loads(line) for line in log_file.read_text().splitlines()]
        assert len(lines) == len({line["key"] for line in lines}) == 200
        assert count(bureau, Delivery, status="sent") == 200 and count(bureau, Reminder) == 600
        assert count(bureau, Delivery, status="superseded") == 400
        with bureau.db.session() as s:
            lapses = s.exec(select(Event.case_id).where(Event.name == "dprd_deadline_lapsed")).all()
        assert len(lapses) == len(set(lapses)) == len(refs)
    finally:
        close_bureau(bureau)
        drop()


def test_the_scheduler_sweeps_at_start_and_stops_on_sigterm(db_url, tmp_path):
    from tests.conftest import close_bureau, make_bureau
    close_bureau(make_bureau(db_url))
    config_path = tmp_path / "config.toml"
    config_path.write_text('[scheduler]\ncron = "30 7 * * mon-fri"\n')
    process = subprocess.Popen(cli_command(db_url, config_path, "scheduler"), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 60
    while not any(line.startswith("Next sweep: ") for line in lines):
        assert time.monotonic() < deadline and process.poll() is None, lines
        lines.append(process.stderr.readline().strip())
    assert any(line.startswith("Sweep at") for line in lines)
    assert lines[-1].endswith(("T07:30+07:00.", "T07:30+08:00.", "T07:30+09:00."))  # the cron's, in the region's zone
    process.send_signal(signal.SIGTERM)
    _out, rest = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Stopping on SIGTERM." in rest and "Scheduler stopped." in rest and "Traceback" not in rest


def test_remind_says_who_has_no_address_and_exits_1(run, tmp_path):
    ref = open_case(run, "--as", "siti")
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])  # DPRD received 2014-01-06
    (tmp_path / "config.toml").write_text('[reminders]\nchannels = ["email"]\n[smtp]\nhost = "127.0.0.1"\n'
                                          'port = 9\nsecurity = "none"\nfrom = "kerjasama@padang.go.id"\n')
    result = run("remind", "--now", "2014-02-27", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"no e-mail address for officer:siti ({ref}, " in result.stderr
    assert "not delivered: deadline:" in result.stderr  # and the delivery that had nobody to go to
