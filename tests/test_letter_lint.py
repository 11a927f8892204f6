"""letter lint: a template's front matter checked against its schema, every template rendered against the sample
cases a real case resembles (each state it claims, an imported agreement, an institution without an action plan),
and every fault one line ``file:line: problem``, never a traceback."""
from __future__ import annotations

from datetime import date

import pytest

from workflow.config import Config
from workflow.letters import LetterError, environment, lint, sample_config, tanggal, template_info
from workflow.letters.filters import FilterMisuse, PartialDay, kata_tanggal, on_date

CONFIG = sample_config(Config())


def write(folder, name: str, header: str, body: str = "<p>ok</p>") -> str:
    path = folder / name
    path.write_text("{#\n" + header + "#}\n" + body + "\n", encoding="utf-8")
    return str(path)


def test_a_wrong_signer_or_stage_is_refused_naming_the_file_the_key_and_what_is_allowed(tmp_path):
    path = write(tmp_path, "wrong.html", 'document = "X"\nsigner = "kabag"\nstages = ["in_forc", "dormant"]\n'
                 'kop = 3\nsignr = "head"\n[options]\nx = "1"\n[help]\ny = "what y is"\n')
    problems = [p for p in lint(CONFIG, tmp_path) if "wrong.html" in p]
    assert problems[0] == f"{path}:3: signer = 'kabag' is not allowed; use one of head, sekda, bureau_head"
    assert problems[1].startswith(f"{path}:4: stages: 'in_forc' is not allowed; use one of initiated, exploring, ")
    assert "in_force" in problems[1] and "dormant" not in problems[1].split("is not allowed")[0]
    assert problems[2] == f"{path}:5: kop must be text in quotes"
    assert problems[3].startswith(f"{path}:6: signr is not a key of a template's front matter; the keys are document")
    assert problems[4] == f"{path}:10: [help] y explains no option; the options are x"
    assert len(problems) == 5
    with pytest.raises(LetterError, match="signer = 'kabag' is not allowed"):  # refused by render and issue too
        template_info(environment(tmp_path), "wrong.html")


@pytest.mark.parametrize("source,message", [
    ("{{ 5 | tanggal }}", "tanggal prints a date; it was given 5 (int)"),
    ("{{ none | tanggal }}", "tanggal prints a date; it was given None (NoneType)"),  # Babel would print today
    ("{{ 'lima' | rupiah }}", "rupiah prints a number; it was given 'lima' (str)"),
    ("{{ letter.date | terbilang }}", "terbilang prints a number; it was given datetime.date(2026, 1, 12) (date)"),
    ("{{ 0 | roman }}", "roman prints a whole number from 1; it was given 0"),
    ("{{ (letter.date - case.ref) }}", "TypeError: unsupported operand type(s) for -"),
], ids=["int-date", "none-date", "text-money", "date-words", "zero-roman", "arithmetic"])
def test_a_filter_misuse_is_one_line_with_file_and_line(tmp_path, source, message):
    path = write(tmp_path, "misuse.html", 'document = "X"\n', "<p>ok</p>\n<p>" + source + "</p>")
    problems = [p for p in lint(CONFIG, tmp_path) if "misuse.html" in p]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:5: {message}") and "\n" not in problems[0], problems[0]


def test_a_template_that_computes_with_a_signing_date_fails_lint_on_a_date_known_to_the_month(tmp_path):
    """A signing may be known only to its month (an imported agreement, ``--on 2025-05``): a template that takes its
    day (or counts the days since) would invent one, and fails lint rather than the first letter of such a case."""
    path = write(tmp_path, "days.html", 'document = "X"\nstages = ["in_force"]\n',
                 '{% set signed = events.agreement_signed %}\n<p>{{ (letter.date - signed.on).days }} hari</p>')
    problems = [p for p in lint(CONFIG, tmp_path) if "days.html" in p]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:6: TypeError: ") and "PartialDay" in problems[0]
    assert problems[0].endswith("(with the sample case in in_force, its dates known only to the month)")
    only_imported = write(tmp_path, "days.html", 'document = "X"\nstages = ["in_force"]\n',
                          '{% set signed = events.agreement_signed %}\n<p>{{ signed.data.term_years + 1 }}</p>')
    assert [p for p in lint(CONFIG, tmp_path) if "days.html" in p] == [
        f"{only_imported}:6: 'dict object' has no attribute 'term_years' (with an imported agreement in in_force)"]


def test_a_template_is_rendered_in_each_state_it_claims(tmp_path):
    """The LoI's date exists from loi_signed on: a template claiming an earlier state that prints it unguarded
    passes the sample case in force and fails in that state."""
    path = write(tmp_path, "early.html", 'document = "X"\nstages = ["exploring", "in_force"]\n',
                 "<p>{{ events.loi_signed.on | tanggal }}</p>")
    problems = [p for p in lint(CONFIG, tmp_path) if "early.html" in p]
    assert problems == [f"{path}:5: 'dict object' has no attribute 'loi_signed' (with the sample case in exploring)"]


def test_a_table_header_outside_thead_is_reported(tmp_path):
    path = write(tmp_path, "table.html", 'document = "X"\n',
                 '<table class="grid">\n  <tr><th>No.</th></tr>\n  <tr><td>1</td></tr>\n</table>')
    assert [p for p in lint(CONFIG, tmp_path) if "table.html" in p] == [
        f"{path}:5: the header row of this table is not in <thead>; put it there, so that it is repeated on every "
        "page"]


def test_a_date_known_to_the_month_or_year_prints_as_such():
    march = PartialDay(date(2014, 3, 1), "month")
    year = PartialDay(date(2014, 1, 1), "year")
    assert (tanggal(march), tanggal(year)) == ("Maret 2014", "2014")
    assert (kata_tanggal(date(2014, 3, 5)), kata_tanggal(march), kata_tanggal(year)) == (
        "tanggal 5 Maret 2014", "bulan Maret 2014", "tahun 2014")
    assert (on_date(date(2014, 3, 5)), on_date(march), on_date(year)) == ("on 5 March 2014", "in March 2014",
                                                                          "in 2014")
    with pytest.raises(FilterMisuse):
        tanggal("2014-03")
