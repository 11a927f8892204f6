"""``kerjasama case advance REF`` without an event: a numbered menu and one question per value, in a real terminal
(a pseudo-terminal the test types into), and one refusing line when there is no terminal."""
from __future__ import annotations

import os
import pty
import select
import sys
from pathlib import Path

from tests.helpers import json_of
from tests.helpers import error_line, open_case

ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    """The kerjasama command line running in a pseudo-terminal, read and typed into like an officer would."""

    def __init__(self, db_url: str, *args: str, language: str = "en"):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command, its stdin and stdout a terminal
            os.chdir(ROOT)
            os.environ["KERJASAMA_LANG"] = language
            os.execv(sys.executable, [sys.executable, "-c", "from cli import cli; cli()", "--db", db_url,
                                      "--config", os.devnull, *args])
        self.seen = ""

    def expect(self, text: str, timeout: float = 30) -> str:
        while text not in self.seen:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            assert ready, f"waited {timeout} s for {text!r}; the screen holds:\n{self.seen}"
            try:
                chunk = os.read(self.fd, 4096).decode()
            except OSError:  # the command ended
                chunk = ""
            assert chunk, f"the command ended before {text!r}; the screen holds:\n{self.seen}"
            self.seen += chunk.replace("\r\n", "\n")
        return self.seen

    def type(self, answer: str) -> None:
        os.write(self.fd, answer.encode() + b"\n")

    def finish(self) -> tuple[int, str]:
        while True:
            try:
                chunk = os.read(self.fd, 4096).decode()
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk.replace("\r\n", "\n")
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status), self.seen


def last_event(run, ref: str) -> dict:
    return json_of(run("case", "history", ref, "--json").stdout)["events"][-1]


def test_the_menu_numbers_the_next_steps_and_asks_for_the_day_then_records_after_confirming(run, db_url):
    ref = open_case(run)
    terminal = Terminal(db_url, "case", "advance", ref)
    screen = terminal.expect("Number of the step")
    assert "1  exploration_started: Exploration started -> exploring" in screen
    assert "eligibility_failed: Found ineligible -> rejected" in screen and "needs: reason; a note" in screen
    terminal.type("1")
    terminal.expect("Day it happened")
    terminal.type("31 Februari 2013")  # not in the calendar: said, and asked again
    terminal.expect("not in the calendar")
    terminal.type("4 Februari 2013")
    terminal.expect("Note")
    terminal.type("Visit of the Oberbürgermeister")
    terminal.expect("Number of the letter")
    terminal.type("")
    terminal.expect("Record exploration_started for KS-2013-0001, on 2013-02-04? [Y/n]")
    terminal.type("y")
    code, screen = terminal.finish()
    assert code == 0, screen
    assert "KS-2013-0001: exploration_started: initiated -> exploring" in screen
    event = last_event(run, ref)
    assert (event["event"], event["on"]) == ("exploration_started", "2013-02-04")
    assert event["note"] == "Visit of the Oberbürgermeister"


def test_a_needed_value_is_asked_with_its_rule_until_it_is_allowed(run, db_url):
    ref = open_case(run)
    terminal = Terminal(db_url, "case", "advance", ref, language="id")
    screen = terminal.expect("Nomor langkah")
    number = next(line.split()[0] for line in screen.splitlines() if "tidak_memenuhi_syarat:" in line)
    terminal.type(number)
    terminal.expect("Tanggal terjadinya")
    terminal.type("1-2-2013")
    screen = terminal.expect("alasan (")
    assert "bidang_terlarang" in screen  # the allowed values, in the officer's language
    terminal.type("terbang")
    terminal.expect("terbang")
    terminal.expect("alasan (", timeout=30)
    terminal.type("tanpa hubungan diplomatik")
    terminal.expect("Catatan")
    terminal.type("")  # a decision needs its note
    terminal.expect("Wajib diisi untuk langkah ini")
    terminal.type("Kemlu: tidak ada hubungan diplomatik")
    terminal.expect("Nomor surat")
    terminal.type("")
    terminal.expect("[Y/n]")
    terminal.type("y")
    code, screen = terminal.finish()
    assert code == 0, screen
    event = last_event(run, ref)
    assert (event["event"], event["on"], event["data"]) == ("eligibility_failed", "2013-02-01",
                                                            {"reason": "no_diplomatic_relations"})


def test_declining_records_nothing(run, db_url):
    ref = open_case(run)
    terminal = Terminal(db_url, "case", "advance", ref)
    terminal.expect("Number of the step")
    terminal.type("1")
    terminal.expect("Day it happened")
    terminal.type("")
    terminal.expect("Note")
    terminal.type("")
    terminal.expect("Number of the letter")
    terminal.type("")
    terminal.expect("[Y/n]")
    terminal.type("n")
    code, screen = terminal.finish()
    assert code == 1 and "Nothing recorded." in screen
    assert last_event(run, ref)["event"] == "case_opened"


def test_without_a_terminal_it_never_asks_and_names_the_allowed_events(run):
    ref = open_case(run)
    result = run("case", "advance", ref, ok=False)
    assert result.exit_code == 1
    assert error_line(result) == ("Error: Name the event to record for KS-2013-0001; allowed now: exploration_started, "
                                  "eligibility_failed, case_withdrawn, case_suspended, partner_ineligible. In a "
                                  "terminal, leave it out to choose from a menu.")
    assert last_event(run, ref)["event"] == "case_opened"
