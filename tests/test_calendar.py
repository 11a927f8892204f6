"""Working days around Idul Fitri and cuti bersama, and the region's overrides."""
from __future__ import annotations

from datetime import date, timedelta

import json
import subprocess
import sys

import holidays
import pytest

from tests.helpers import advance, case_in, open_deadline
from workflow.calendar import HolidayCache, WorkingCalendar
from workflow.config import load_config
from workflow.errors import ConfigError

CAL = WorkingCalendar()


def test_idul_fitri_2024_and_its_cuti_bersama_are_not_working_days():
    # 10-11 April 2024 Idul Fitri; 8, 9, 12 and 15 April cuti bersama (SKB 2024).
    for day in (8, 9, 10, 11, 12, 15):
        assert not CAL.is_working_day(date(2024, 4, day)), day
    assert any(word in CAL.holiday_name(date(2024, 4, 8)) for word in ("Joint Holiday", "Cuti Bersama"))  # by locale
    assert CAL.is_working_day(date(2024, 4, 5)) and CAL.is_working_day(date(2024, 4, 16))


def test_the_first_working_day_after_a_friday_receipt_before_idul_fitri_is_after_the_holidays():
    assert CAL.add_working_days(date(2024, 4, 5), 1) == date(2024, 4, 16)


def test_the_dprd_window_of_45_working_days_counts_every_holiday_of_2024():
    # Counted by hand: 16 Apr is day 1; 1 May, 9-10 May, 23-24 May, 17-18 June are holidays or cuti bersama.
    assert CAL.add_working_days(date(2024, 4, 5), 45) == date(2024, 6, 26)
    assert CAL.working_days_between(date(2024, 4, 5), date(2024, 6, 26)) == 45
    assert CAL.working_days_between(date(2024, 6, 26), date(2024, 4, 5)) == -45


def test_idul_fitri_2025_with_nyepi_cuti_bersama():
    # 28 March 2025 cuti bersama Nyepi; 31 March-1 April Idul Fitri; 2, 3, 4 and 7 April cuti bersama.
    assert CAL.add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)
    # Without the "government" category of the holidays package the cuti bersama days would count.
    public_only = holidays.country_holidays("ID", categories=("public",))
    assert date(2025, 3, 28) not in public_only and CAL.holiday_name(date(2025, 3, 28))


def test_a_receipt_on_a_weekend_counts_from_monday():
    assert CAL.add_working_days(date(2024, 2, 3), 1) == date(2024, 2, 5)


def test_region_overrides_add_holidays_and_working_days():
    local = WorkingCalendar({date(2024, 4, 16): "Hari jadi"}, {date(2024, 4, 15)})
    assert local.add_working_days(date(2024, 4, 12), 1) == date(2024, 4, 15)  # cuti bersama worked
    assert local.add_working_days(date(2024, 4, 15), 1) == date(2024, 4, 17)  # local holiday skipped
    assert local.holiday_name(date(2024, 4, 16)) == "Hari jadi"


def test_the_dprd_deadline_row_uses_the_calendar(bureau):
    ref = case_in(bureau, "plan_drafting")
    advance(bureau, ref, "dprd_request_received", on=date(2024, 4, 5))
    deadline = open_deadline(bureau, ref, "dprd_decision")
    assert (deadline.starts_on, deadline.due) == (date(2024, 4, 5), date(2024, 6, 26))
    with pytest.raises(Exception, match="until 2024-06-26"):
        advance(bureau, ref, "dprd_deemed_approved", on=date(2024, 6, 26))
    assert advance(bureau, ref, "dprd_deemed_approved", on=date(2024, 6, 27)).state == "kemendagri_verification"


def test_config_file_overrides(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[calendar]\nholidays = { 2026-04-24 = "Hari jadi Kota Padang" }\nworking_days = [2026-12-24]\n')
    config = load_config(path)
    assert config.extra_holidays == {date(2026, 4, 24): "Hari jadi Kota Padang"}
    assert config.extra_working_days == {date(2026, 12, 24)}
    assert load_config(tmp_path / "missing.toml").extra_holidays == {}


@pytest.mark.parametrize("text,message", [
    ("[calendar\n", "Cannot read the config file"),
    ('[calendar]\nholidays = { tomorrow = "x" }\n', "'tomorrow' is not a date"),
    ("[calendar]\nworking_days = 5\n", "working_days must be a list of dates"),
    ('calendar = "2026-12-24"\n', r"\[calendar\] must be a table"),
    ("reminders = 5\n", r"\[reminders\] must be a table"),
    ('[reminders.steps]\ndprd_decision = "10wd"\n', "one table per deadline kind"),
    ('[contacts]\nofficers = "siti@padang.go.id"\n', r"\[contacts.officers\] must be a table"),
    ('smtp = "smtp.padang.go.id"\n', r"\[smtp\] must be a table"),
    ("letters = []\n", r"\[letters\] must be a table"),
    ('[reminders.steps.signing_report]\noverdue_every = "0d"\n', "'0d' is not a step"),
])
def test_a_bad_config_file_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_working_days_between_counts_after_start_up_to_end():
    monday = date(2024, 1, 8)
    assert CAL.working_days_between(monday, monday) == 0
    assert CAL.working_days_between(monday, monday + timedelta(days=7)) == 5


def test_the_fast_count_agrees_with_counting_day_by_day():
    local = WorkingCalendar({date(2025, 2, 3): "Hari jadi"}, {date(2025, 4, 5), date(2024, 4, 8)})
    start = date(2023, 12, 20)
    for calendar in (CAL, local):
        for span in (0, 1, 6, 7, 30, 200, 800):
            end = start + timedelta(days=span)
            by_day = sum(1 for n in range(1, span + 1) if calendar.is_working_day(start + timedelta(days=n)))
            assert calendar.working_days_between(start, end) == by_day, (span, calendar)


def test_a_cached_year_counts_as_the_package_does_without_importing_it(tmp_path):
    cache = tmp_path / "holidays.json"
    cold = WorkingCalendar(cache=cache)
    assert cold.add_working_days(date(2024, 4, 5), 45) == date(2024, 6, 26)
    assert json.loads(cache.read_text())["years"]["2024"]["2024-04-10"]  # Idul Fitri was written down
    warm = WorkingCalendar(cache=cache)
    assert warm.add_working_days(date(2024, 4, 5), 45) == date(2024, 6, 26)
    assert warm.working_days_between(date(2024, 1, 1), date(2024, 12, 31)) == \
        CAL.working_days_between(date(2024, 1, 1), date(2024, 12, 31))
    assert warm.holiday_name(date(2024, 4, 10)) == CAL.holiday_name(date(2024, 4, 10))
    assert warm._holidays is None  # answered from the file alone


def test_a_new_process_reads_cached_years_without_the_holidays_package(tmp_path):
    cache = tmp_path / "holidays.json"
    WorkingCalendar(cache=cache).add_working_days(date(2024, 4, 5), 45)
    probe = ("import sys; from datetime import date; from pathlib import Path; "
             "from workflow.calendar import WorkingCalendar; "
             f"c = WorkingCalendar(cache=Path({str(cache)!r})); "
             "print(c.add_working_days(date(2024, 4, 5), 45), 'holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["2024-06-26", "False"]


@pytest.mark.parametrize("content", [
    json.dumps({"holidays": "holidays-0.1.dist-info", "years": {"2024": {}}}),  # another package version
    "{not json", json.dumps({"holidays": None, "years": {"2024": {"not a date": 1}}}), json.dumps([1, 2]),
])
def test_a_cache_of_another_package_version_or_damaged_is_not_believed(tmp_path, content):
    cache = tmp_path / "holidays.json"
    cache.write_text(content)
    calendar = WorkingCalendar(cache=cache)
    assert not calendar.is_working_day(date(2024, 4, 10))  # Idul Fitri, from the package
    assert calendar.add_working_days(date(2024, 4, 5), 45) == date(2024, 6, 26)
    assert json.loads(cache.read_text())["holidays"] == HolidayCache.package_version()  # and rewritten


def test_an_unwritable_cache_only_costs_the_computation(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    calendar = WorkingCalendar(cache=blocked / "holidays.json")  # its directory is a file
    assert calendar.add_working_days(date(2024, 4, 5), 45) == date(2024, 6, 26)
