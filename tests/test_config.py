"""The config file is checked whole when it is loaded: every problem in one ConfigError, each with its key and
line; no value of the wrong shape ends in a traceback, and none that passes can hang or break the reminder job."""
from __future__ import annotations

import re
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from workflow.config import KEYS, Config, Contacts, Smtp, config_problems, load_config
from workflow.config_template import TEMPLATES
from workflow.errors import ConfigError

EXAMPLE = """\
[calendar]
holidays = { 2026-04-24 = "Hari jadi Kota Padang" }   # local holiday, or a newer cuti bersama decree
working_days = [2026-12-24]                           # a cuti bersama day the region works anyway

[reminders]
channels = ["console", "log", "email"]                # default: console only
log_file = "/var/log/kerjasama/reminders.jsonl"
catch_up_days = 30                                    # after downtime, steps older than this are not sent

[reminders.steps.dprd_decision]                       # override the default steps of one deadline kind
before = ["10wd", "3wd"]                              # wd working days, d days, m months
on_due = true
overdue_every = "5wd"

[smtp]
host = "smtp.padang.go.id"
port = 587
security = "starttls"                                 # starttls, ssl or none
user = "kerjasama"
password_env = "KERJASAMA_SMTP_PASSWORD"              # or password = "..."
from = "kerjasama@padang.go.id"
ca_file = "/etc/kerjasama/mail-ca.pem"                # only for a server whose certificate no public CA signed

[contacts]
head_of_bureau = "kabag.kerjasama@padang.go.id"
officers = { siti = "siti@padang.go.id" }             # by the name officers record with (--as)
opd = { "Dinas Pariwisata" = "dispar@padang.go.id" }

[scheduler]
cron = "30 7 * * mon-fri"                             # in the region's time zone

[budget_calendar]
lead_days = 30                                        # remind OPDs this many days before each window
windows = { kua_ppas_submission = "07-14" }           # override a window's yearly date (MM-DD)

[letters]                                             # what letters say about the region
templates = "/etc/kerjasama/templates"                # your templates; same name overrides a built-in one
paper = "A4"                                          # or F4
bilingual_layout = "columns"                          # or "sequential"
number_pattern = "{classification}/{sequence}/{unit}" # add /{year} if the region prints it
unit = "Kerja Sama"
city = "Padang"                                       # place in the date line; "" to leave it out
head_name = "Dr. H. Fulan, S.H., M.H."                # with academic titles
head_name_plain = "Fulan"                             # without titles, for acting heads and decrees
head_acting = ""                                      # "", "Plt.", "Pj." or "Plh."
sekda_name = "..."                                    # also sekda_rank, sekda_nip
bureau_name = "Bagian Kerja Sama"                     # also bureau_head_name, bureau_head_rank, bureau_head_nip
address = "Jalan Bagindo Aziz Chan No. 1, Padang"     # also phone, email, website
emblem_national = "/etc/kerjasama/garuda.png"         # images for the kop; optional
emblem_region = "/etc/kerjasama/logo-padang.png"
[letters.classification]                              # archive codes (Permendagri 83/2022) by letter kind
default = "000.3"
"""  # a full config, with a value for every table


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    """The problem lines of the error the file gives, after the count line."""
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    head, *lines = str(caught.value).splitlines()
    assert head == (f"1 problem in {tmp_path / 'config.toml'}:" if len(lines) == 1
                    else f"{len(lines)} problems in {tmp_path / 'config.toml'}:")
    return [line.removeprefix("  ") for line in lines]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_a_full_example_loads_with_its_values(tmp_path, monkeypatch):
    monkeypatch.setenv("KERJASAMA_SMTP_PASSWORD", "secret")
    config = load(tmp_path, EXAMPLE)
    assert config.extra_holidays == {date(2026, 4, 24): "Hari jadi Kota Padang"}
    assert config.extra_working_days == {date(2026, 12, 24)}
    assert config.channels == ("console", "log", "email")
    assert config.log_file == Path("/var/log/kerjasama/reminders.jsonl") and config.catch_up_days == 30
    assert config.steps == {"dprd_decision": {"before": ["10wd", "3wd"], "on_due": True, "overdue_every": "5wd"}}
    assert config.smtp == Smtp("smtp.padang.go.id", 587, "starttls", "kerjasama", "secret", "kerjasama@padang.go.id",
                               "/etc/kerjasama/mail-ca.pem")
    assert config.contacts == Contacts("kabag.kerjasama@padang.go.id", {"siti": "siti@padang.go.id"},
                                       {"Dinas Pariwisata": "dispar@padang.go.id"})
    assert config.cron == "30 7 * * mon-fri"
    assert (config.budget_lead_days, config.budget_windows) == (30, {"kua_ppas_submission": "07-14"})
    letters = config.letters
    assert letters.templates == Path("/etc/kerjasama/templates") and (letters.paper, letters.bilingual_layout) == (
        "A4", "columns")
    assert (letters.number_pattern, letters.unit, letters.city, letters.head_acting) == (
        "{classification}/{sequence}/{unit}", "Kerja Sama", "Padang", "")
    assert (letters.head_name, letters.head_name_plain) == ("Dr. H. Fulan, S.H., M.H.", "Fulan")
    assert (letters.sekda_name, letters.bureau_name) == ("...", "Bagian Kerja Sama")
    assert letters.emblem_region == "/etc/kerjasama/logo-padang.png" and letters.classification == {"default": "000.3"}
    assert config.language is None


def test_values_at_the_edges_of_what_is_allowed_load(tmp_path):
    config = load(tmp_path, textwrap.dedent("""\
        language = "en"
        [reminders]
        catch_up_days = 0
        [reminders.steps.signing_report]
        before = ["999m", "1d"]
        on_due = false
        overdue_every = ""                # no reminders once overdue
        [smtp]
        host = "h"
        from = "f"
        port = 65535
        [budget_calendar]
        lead_days = 365
        windows = { rkpd_input = "12-31", kua_ppas_submission = "02-28", kua_ppas_agreement = "03-01" }
        [scheduler]
        cron = "0 7 29 2 *"               # only in leap years, but it does come
        [letters]
        number_pattern = "{classification}/{sequence}/{unit}/{year}"
        templates = ""
        """))
    assert (config.language, config.catch_up_days, config.smtp.port, config.budget_lead_days) == ("en", 0, 65535, 365)
    assert config.steps["signing_report"]["overdue_every"] == "" and config.letters.templates is None


LEAP = "use \"02-28\" or \"03-01\""
BAD = [  # a file, and what its one problem says: the key named, and the line it is on
    ('calendar = "x"\n', 1, "[calendar] must be a table"),
    ("[reminder]\nchannels = []\n", 1, "reminder is not a known table or key; use one of calendar, reminders, smtp"),
    ("[letters]\nfont = 3\n", 2, "[letters] font is not a known key; use one of templates, paper"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nsender = \"x\"\n", 4, "[smtp] sender is not a known key; use one of host"),
    ("[reminders.steps.dprd_decison]\nbefore = [\"3wd\"]\n", 1, "[reminders.steps] dprd_decison is not a known key"),
    ("[reminders.steps.dprd_decision]\nevery = \"5wd\"\n", 2,
     "[reminders.steps.dprd_decision] every is not a known key; use one of before, on_due, overdue_every"),
    ("[budget_calendar]\nwindows = { kua_ppas = \"07-14\" }\n", 2,
     "[budget_calendar.windows] kua_ppas is not a known key; use one of rkpd_input"),
    ("[letters]\ntemplates = 5\n", 2, "[letters] templates must be text"),
    ("letters.templates = 5\n", 1, "[letters] templates must be text"),
    ("[letters]\ncity = [\"Padang\"]\n", 2, "[letters] city must be text"),
    ("[calendar]\nholidays = { 2026-04-24 = 5 }\n", 2, "[calendar.holidays] 2026-04-24 must be text"),
    ("[calendar]\nholidays = 5\n", 2, "[calendar] holidays must be a table of date = \"name\""),
    ("[calendar.holidays]\n2026-04-24 = \"x\"\ntomorrow = \"y\"\n", 3,
     "[calendar] holidays.tomorrow: 'tomorrow' is not a date; write it as YYYY-MM-DD"),
    ("[calendar]\nworking_days = [\"not a date\"]\n", 2,
     "[calendar] working_days: 'not a date' is not a date; write it as YYYY-MM-DD"),
    ("[calendar]\nworking_days = [2026-12-24T08:00:00]\n", 2,
     "[calendar] working_days: '2026-12-24 08:00:00' is not a date"),
    ("[calendar]\nworking_days = [{ day = 2026-12-24 }]\n", 2, "[calendar] working_days: \"{'day'"),
    ("[reminders]\nchannels = \"email\"\n", 2, "[reminders] channels must be a list"),
    ("[reminders]\nchannels = [\"sms\"]\n", 2, "[reminders] channels: sms is not one of console, log, email"),
    ("[reminders]\nchannels = [[\"log\"]]\n", 2, "[reminders] channels: ['log'] is not one of console, log, email"),
    ("[reminders]\nchannels = [\"log\"]\nlog_file = 5\n", 3, "[reminders] log_file must be text"),
    ("[reminders]\nchannels = [\"log\"]\n", 1, "[reminders] the log channel needs log_file"),
    ("[reminders]\nchannels = [\"email\"]\n", 2, "[reminders] the email channel needs an [smtp] table"),
    ("[reminders]\ncatch_up_days = \"30\"\n", 2, "[reminders] catch_up_days must be a whole number from 0 to 365"),
    ("[reminders]\ncatch_up_days = -1\n", 2, "[reminders] catch_up_days must be a whole number from 0 to 365"),
    ("[reminders]\ncatch_up_days = 100000000000\n", 2, "[reminders] catch_up_days must be a whole number"),
    ("[reminders]\ncatch_up_days = true\n", 2, "[reminders] catch_up_days must be a whole number"),
    ("[reminders]\nsteps = 5\n", 2, "[reminders.steps] must hold one table per deadline kind"),
    ("[reminders.steps]\ndprd_decision = [\"3wd\"]\n", 2, "[reminders.steps] must hold one table per deadline kind"),
    ("[reminders.steps.dprd_decision]\nbefore = \"10wd\"\n", 2,
     "[reminders.steps.dprd_decision] before must be a list of steps, such as [\"10wd\", \"3wd\"]"),
    ("[reminders.steps.dprd_decision]\nbefore = [\"0wd\"]\n", 2,
     "[reminders.steps.dprd_decision] before: '0wd' is not a step; write 1 to 999 followed by wd"),
    ("[reminders.steps.dprd_decision]\nbefore = [10]\n", 2, "[reminders.steps.dprd_decision] before: 10 is not a step"),
    ("[reminders.steps.dprd_decision]\nbefore = [\"1000d\"]\n", 2, "before: '1000d' is not a step"),
    ("[reminders.steps.dprd_decision]\noverdue_every = \"0d\"\n", 2,
     "[reminders.steps.dprd_decision] overdue_every: '0d' is not a step"),
    ("[reminders.steps.dprd_decision]\noverdue_every = \"-5wd\"\n", 2, "overdue_every: '-5wd' is not a step"),
    ("[reminders.steps.dprd_decision]\noverdue_every = false\n", 2, "overdue_every: False is not a step"),
    ("[reminders.steps.dprd_decision]\non_due = \"yes\"\n", 2,
     "[reminders.steps.dprd_decision] on_due must be true or false"),
    ("[reminders.steps.dprd_decision]\non_due = 1\n", 2, "on_due must be true or false"),
    ("[budget_calendar]\nwindows = { kua_ppas_submission = \"02-30\" }\n", 2,
     "[budget_calendar] windows.kua_ppas_submission must be a day of the year written \"MM-DD\""),
    ("[budget_calendar.windows]\nkua_ppas_submission = \"13-01\"\n", 2, "windows.kua_ppas_submission must be a day"),
    ("[budget_calendar.windows]\nkua_ppas_submission = \"7-14\"\n", 2, "windows.kua_ppas_submission must be a day"),
    ("[budget_calendar.windows]\nkua_ppas_submission = 714\n", 2, "windows.kua_ppas_submission must be a day"),
    ("[budget_calendar.windows]\nkua_ppas_submission = 2026-07-14\n", 2, "windows.kua_ppas_submission must be a day"),
    ("[budget_calendar.windows]\nrkpd_input = \"02-29\"\n", 2,
     "[budget_calendar] windows.rkpd_input: \"02-29\" is not a day in most years; " + LEAP),
    ("[budget_calendar]\nwindows = [\"07-14\"]\n", 2, "[budget_calendar] windows must be a table"),
    ("[budget_calendar]\nlead_days = 400\n", 2, "[budget_calendar] lead_days must be a whole number from 0 to 365"),
    ("[budget_calendar]\nlead_days = 3.5\n", 2, "[budget_calendar] lead_days must be a whole number from 0 to 365"),
    ("budget_calendar = { lead_days = -3 }\n", 1, "[budget_calendar] lead_days must be a whole number"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nport = 0\n", 4, "[smtp] port must be a whole number from 1 to 65535"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nport = 70000\n", 4, "[smtp] port must be a whole number from 1 to 65535"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nport = \"587\"\n", 4, "[smtp] port must be a whole number"),
    ("[smtp]\nhost = 5\nfrom = \"f\"\n", 2, "[smtp] host must be text"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nuser = []\n", 4, "[smtp] user must be text"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\npassword_env = 1\n", 4, "[smtp] password_env must be text"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nsecurity = \"tls\"\n", 4, "[smtp] security must be starttls, ssl or none"),
    ("[smtp]\nhost = \"h\"\nfrom = \"f\"\nsecurity = {}\n", 4, "[smtp] security must be starttls, ssl or none"),
    ("[smtp]\nport = 25\n", 1, "[smtp] needs host and from"),
    ("smtp = \"smtp.padang.go.id\"\n", 1, "[smtp] must be a table"),
    ("[contacts]\nofficers = 3\n", 2, "[contacts.officers] must be a table"),
    ("[contacts]\nofficers = { siti = 3 }\n", 2, "[contacts.officers] siti must be text"),
    ("[contacts.opd]\n\"Dinas Pariwisata\" = [\"a@b\"]\n", 2, "[contacts.opd] Dinas Pariwisata must be text"),
    ("[contacts]\nhead_of_bureau = 5\n", 2, "[contacts] head_of_bureau must be text"),
    ("contacts = []\n", 1, "[contacts] must be a table"),
    ("[scheduler]\ncron = 730\n", 2, "[scheduler] cron must be a crontab line"),
    ("[scheduler]\ncron = \"30 7 * *\"\n", 2, "[scheduler] cron '30 7 * *' is not a crontab line: "),
    ("[scheduler]\ncron = \"99 7 * * *\"\n", 2, "[scheduler] cron '99 7 * * *' is not a crontab line: "),
    ("[scheduler]\ncron = \"30 7 * * monday\"\n", 2, "is not a crontab line"),
    ("[scheduler]\ncron = \"0 7 30 2 *\"\n", 2, "[scheduler] cron '0 7 30 2 *' never runs; check its day and month"),
    ("scheduler = \"30 7 * * *\"\n", 1, "[scheduler] must be a table"),
    ("[letters]\nclassification = { default = 3 }\n", 2, "[letters.classification] default must be text"),
    ("[letters]\nclassification = \"000.3\"\n", 2, "[letters.classification] must be a table"),
    ("[letters]\npaper = \"Letter\"\n", 2, "[letters] paper must be A4 or F4"),
    ("[letters]\npaper = 4\n", 2, "[letters] paper must be A4 or F4"),
    ("[letters]\nbilingual_layout = true\n", 2, "[letters] bilingual_layout must be columns or sequential"),
    ("[letters]\nhead_acting = \"Plt\"\n", 2, "[letters] head_acting must be empty or one of Plt., Pj., Plh., Pjs."),
    ("[letters]\nhead_acting = 5\n", 2, "[letters] head_acting must be text"),
    ("[letters]\nnumber_pattern = \"{classification}/{nomor}\"\n", 2,
     "[letters] number_pattern '{classification}/{nomor}' cannot be filled in; it may use {classification}, "
     "{sequence}, {unit} and {year}"),
    ("[letters]\nnumber_pattern = \"{sequence:03d}\"\n", 2, "[letters] number_pattern '{sequence:03d}' cannot be"),
    ("[letters]\nnumber_pattern = \"{classification\"\n", 2, "[letters] number_pattern '{classification' cannot be"),
    ("[letters]\nnumber_pattern = \"{0}\"\n", 2, "[letters] number_pattern '{0}' cannot be filled in"),
    ("letters = []\n", 1, "[letters] must be a table"),
    ("language = 5\n", 1, "language must be \"id\" or \"en\""),
    ("language = \"de\"\n", 1, "language must be \"id\" or \"en\""),
    ("reminders = 5\n", 1, "[reminders] must be a table"),
]


@pytest.mark.parametrize("text,line,problem", BAD)
def test_each_wrong_value_is_one_problem_naming_its_key_and_line(tmp_path, text, line, problem):
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(f"line {line}, ") and problem in found[0], found


def test_every_problem_is_in_one_error_in_the_order_of_the_file(tmp_path):
    text = textwrap.dedent("""\
        language = "de"
        [calendar]
        working_days = ["24 Desember"]
        [reminders]
        channels = ["log", "sms"]               # and no log_file
        catch_up_days = -1
        [reminders.steps.dprd_decision]
        before = ["10wd", "0wd"]
        overdue_every = "0d"
        [smtp]
        host = "smtp.padang.go.id"
        from = "kerjasama@padang.go.id"
        port = 0
        [contacts]
        officers = { siti = 3 }
        [scheduler]
        cron = "30 7 * *"
        [budget_calendar]
        windows = { kua_ppas_submission = "02-30", rkpd_input = "02-29" }
        [letters]
        templates = 5
        [reminder]
        """)
    found = problems(tmp_path, text)
    assert [problem.split(",")[0] for problem in found] == [
        f"line {n}" for n in (1, 3, 4, 5, 6, 8, 9, 13, 15, 17, 19, 19, 21, 22)]
    assert found[0] == "line 1, language must be \"id\" or \"en\""
    assert found[-1].startswith("line 22, reminder is not a known table or key")
    assert "line 4, [reminders] the log channel needs log_file" in found
    assert "line 21, [letters] templates must be text" in found


def test_lines_are_found_in_the_full_example(tmp_path):
    """Broken values in the docstring's example: each problem is on the line of its key, or of its table when the
    key is inside an inline table or missing."""
    text = (EXAMPLE.replace("port = 587", "port = 0").replace('"5wd"', '"0wd"')
            .replace('"siti@padang.go.id"', "3").replace('paper = "A4"', 'paper = "A5"')
            .replace('default = "000.3"', "default = 3").replace('host = "smtp.padang.go.id"', "")
            .replace('lead_days = 30', 'lead_days = "30"'))
    found = problems(tmp_path, text)
    assert found == sorted(found, key=lambda problem: int(problem.split(",")[0].removeprefix("line ")))
    expected = {
        ("overdue_every =", "[reminders.steps.dprd_decision] overdue_every: '0wd' is not a step"),
        ("[smtp]", "[smtp] needs host and from"),
        ("port =", "[smtp] port must be a whole number from 1 to 65535"),
        ("officers =", "[contacts.officers] siti must be text"),
        ("lead_days =", "[budget_calendar] lead_days must be a whole number from 0 to 365"),
        ("paper =", "[letters] paper must be A4 or F4"),
        ("default =", "[letters.classification] default must be text"),
    }
    assert len(found) == len(expected)
    for start, problem in expected:
        assert any(line.startswith(f"line {line_of(text, start)}, {problem}") for line in found), (problem, found)


@pytest.mark.parametrize("text,line", [
    ('[letters]\n"templates" = 5\n', 2),  # a quoted key
    ("[ letters ]   # comment\n\n\ntemplates   =   5\n", 4),  # spaces around the name and the =
    ("[letters.classification]\n[letters]\ntemplates = 5\n", 3),
    ('x = """\ntemplates = 5\n"""\n[letters]\n\ntemplates = 5\n', 6),  # a look-alike inside a multi-line string
    ("letters . templates = 5\n", 1),  # a dotted key
    ("[letters]\nclassification.default = 3\n", 2),
])
def test_lines_of_keys_written_in_other_ways(tmp_path, text, line):
    found = [problem for problem in problems(tmp_path, text) if "must be text" in problem]
    assert len(found) == 1 and found[0].startswith(f"line {line}, "), found


def test_a_file_that_is_not_toml_is_still_one_read_error(tmp_path):
    with pytest.raises(ConfigError, match="Cannot read the config file"):
        load(tmp_path, "[calendar\n")


def uncommented(template: str) -> str:
    """The config template with every key set to the value it shows: the lines "#key = ..." and "#[table]"."""
    return re.sub(r"^#(?=[\[a-z])", "", template, flags=re.MULTILINE)


def settings_of(template: str) -> list[str]:
    """The commented-out keys and table headers of a template, in order."""
    return re.findall(r"^#(?:\[[a-z_.]+\]|[a-z_]+ = .*)$", template, flags=re.MULTILINE)


def test_the_indonesian_and_english_files_set_the_same_keys_to_the_same_values():
    indonesian, english = ((TEMPLATES / f"config.{language}.toml").read_text(encoding="utf-8")
                           for language in ("id", "en"))
    assert settings_of(indonesian) == settings_of(english) and len(settings_of(english)) > 50
    assert "Berkas konfigurasi kerjasama" in indonesian and "kerjasama config file" in english


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_template_config_init_writes_changes_nothing_and_names_every_key(tmp_path, language):
    template = (TEMPLATES / f"config.{language}.toml").read_text(encoding="utf-8")
    assert load(tmp_path, template) == replace(Config(), path=tmp_path / "config.toml")  # all commented out
    text = uncommented(template)
    tables = {}  # the keys set under each table header
    table = ()
    for line in text.splitlines():
        if line.startswith("["):
            table = tuple(line.strip("[]").split("."))
            tables.setdefault(table[:1], set()).update(table[1:2])  # [letters.classification]: a key of [letters]
        elif re.match(r"[a-z_]+ =", line):
            tables.setdefault(table[:1], set()).add(line.split(" =")[0])
    for name, keys in KEYS.items():
        assert set(keys) <= tables[(name,)], (name, set(keys) - tables[(name,)])
    assert "language" in tables[()]
    config = load(tmp_path, text)  # every key set to the value the template shows: all of them valid
    assert config.letters.classification["dprd"] == "000.3" and config.steps["dprd_decision"]["before"] == [
        "10wd", "3wd"]


def test_config_problems_lists_every_problem_with_its_key_and_the_files_that_are_not_there(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)
    text = textwrap.dedent(f"""\
        [smtp]
        port = "x"
        password_env = "NO_SUCH_VARIABLE"
        ca_file = "{tmp_path / 'no-ca.pem'}"
        [letters]
        paper = "B5"
        emblem_national = "{tmp_path / 'garuda.png'}"
        templates = "{tmp_path / 'no-templates'}"
        signr = "x"
        """)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    config, found = config_problems(path)
    assert config is not None
    expected = [(1, "[smtp] needs host and from"), (2, "[smtp] port must be a whole number"),
                (3, "[smtp] password_env: the environment variable NO_SUCH_VARIABLE is not set here"),
                (4, "[smtp] ca_file: the file"), (6, "[letters] paper must be A4 or F4"),
                (7, "[letters] emblem_national: the image"), (8, "[letters] templates: the folder"),
                (9, "[letters] signr is not a known key")]
    assert len(found) == len(expected), found
    for (line, start), problem in zip(expected, found):
        assert problem.startswith(f"{path}:{line}: {start}"), (problem, start)
    assert config_problems(tmp_path / "x.toml")[0] is None  # a file that cannot be read: one line, no config
