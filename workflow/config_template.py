"""The commented config file ``kerjasama config init`` writes, and ``kerjasama config check``.

TEMPLATE holds every key workflow/config.py reads, each commented out with its default and what it does, so that a
new file changes nothing until an administrator sets a key. ``check`` lists the file's problems (load_config's, and
files it names that are not there) and, apart, the letter settings still unset: a letter whose signer's name is
missing is refused when it is made, and the bureau learns it then, one key at a time.
"""
from __future__ import annotations

from pathlib import Path

from workflow.config import Config, config_problems
from workflow.errors import InvalidInput
from workflow.i18n import _

TEMPLATE = """\
# kerjasama config file (TOML), written by `kerjasama config init`.
#
# Every key kerjasama reads is below, commented out: as it stands this file changes nothing, and each value
# shown after a key is its default. To set a key, remove the "#" before it (and before its [table] line) and
# write the value. `kerjasama config check` lists every problem of the file at once, each naming its key.
# The region itself (name, level, procedure settings) is in the database: `kerjasama init`.

# The language of messages and of what the reminder job writes: "id" (Bahasa Indonesia) or "en".
# Default: --lang, KERJASAMA_LANG, then the locale; Indonesian when none says.
#language = "id"

#[calendar]
# Local holidays, or a cuti bersama decree newer than the holidays package: date = "name".
#holidays = { 2026-04-24 = "Hari jadi Kota Padang" }
# Days of cuti bersama the region works anyway.
#working_days = [2026-12-24]

#[reminders]
# Where reminders go: any of "console", "log" (needs log_file) and "email" (needs [smtp]).
#channels = ["console"]
# The JSON-lines file of the "log" channel; its folder must exist.
#log_file = "/var/log/kerjasama/reminders.jsonl"
# After downtime, reminder steps older than this many days (0 to 365) are recorded but not sent.
#catch_up_days = 30

# The steps of one kind of deadline (`kerjasama procedure` lists the kinds and their default steps):
# before the due date ("10wd" working days, "7d" days, "3m" months; 1 to 999), on the day itself, and
# how often once overdue ("" for never).
#[reminders.steps.dprd_decision]
#before = ["10wd", "3wd"]
#on_due = true
#overdue_every = "5wd"

#[smtp]
# The mail server of the "email" channel; host and from are needed when this table is set.
#host = "smtp.padang.go.id"
# Default 587, or 465 with security = "ssl".
#port = 587
# "starttls", "ssl" or "none"; the server's certificate is checked.
#security = "starttls"
#user = "kerjasama"
# The password: better the name of an environment variable that holds it than the password itself.
#password_env = "KERJASAMA_SMTP_PASSWORD"
#password = ""
#from = "kerjasama@padang.go.id"
# Only for a server whose certificate no public authority signed: the certificate authority's file.
#ca_file = "/etc/kerjasama/mail-ca.pem"

#[contacts]
# Who receives reminders by e-mail: the head of the bureau (overdue steps), each officer by the name cases
# are owned under (case open --owner, case assign), and the OPDs by name.
#head_of_bureau = "kabag.kerjasama@padang.go.id"
#officers = { siti = "siti@padang.go.id" }
#opd = { "Dinas Pariwisata" = "dispar@padang.go.id" }

#[scheduler]
# When `kerjasama scheduler` runs the reminder job: a crontab line in the region's time zone.
#cron = "30 7 * * mon-fri"

#[budget_calendar]
# Remind the OPDs this many days (0 to 365) before each budget window.
#lead_days = 30
# Move a yearly window ("MM-DD"): rkpd_input 05-31, kua_ppas_submission 07-14,
# kua_ppas_change_submission 08-07, kua_ppas_agreement 08-14, apbd_change_decision 09-30.
#windows = { kua_ppas_submission = "07-14" }

#[letters]
# What letters say about the region and how they look (docs/templates.md). A letter is refused while the
# name of its signer is not set: head_name for the letters the head signs, sekda_name for those the Sekda
# signs for the head, bureau_head_name, bureau_head_rank and bureau_head_nip for the bureau's reports.
#
# A folder of your own templates: a file there with a built-in template's name replaces it.
#templates = "/etc/kerjasama/templates"
# "A4", or "F4" (215 x 330 mm) where the region still uses it.
#paper = "A4"
# Bilingual documents (LoI, MoU, notice of termination): "columns" side by side, or "sequential".
#bilingual_layout = "columns"
# The letter number; may use {classification}, {sequence}, {unit} and {year}: add /{year} if the region
# prints it.
#number_pattern = "{classification}/{sequence}/{unit}"
# The drafting unit in the number.
#unit = "Kerja Sama"
# The place in the date line ("Padang, 5 Januari 2026"); empty leaves it out.
#city = ""
# The head of the region with academic titles, as letters print it, e.g. "Dr. H. Fulan, S.H., M.H.".
#head_name = ""
# The same name without titles, for an acting head and for decrees, e.g. "Fulan".
#head_name_plain = ""
# "" for the head, or "Plt.", "Pj.", "Plh.", "Pjs." while an acting head signs.
#head_acting = ""
# The Sekda, who signs routine letters for the head: name with titles, rank, NIP.
#sekda_name = ""
#sekda_rank = ""
#sekda_nip = ""
# The cooperation bureau and its head, who signs the monitoring and evaluation report.
#bureau_name = "Bagian Kerja Sama"
#bureau_head_name = ""
#bureau_head_rank = ""
#bureau_head_nip = ""
# The government kop's address line and contacts.
#address = ""
#phone = ""
#email = ""
#website = ""
# Images for the kop, PNG or SVG: the Garuda for letters the head signs, the region's emblem for the
# government kop. A file named here that does not exist is reported when a letter is made.
#emblem_national = ""
#emblem_region = ""

#[letters.classification]
# Archive codes (Permendagri 83/2022) by kind of letter; a template names its kind (classification =
# "dprd"), and a kind not listed here takes the default.
#default = "000.3"
#kerja_sama = "000.3"
#dprd = "000.3"
#perjanjian = "000.3"

#[documents]
# Where the files archived with `kerjasama doc add` are kept, each once, as <first 2 letters of its SHA-256>/<SHA-256>:
# a folder every officer's machine reaches at this same path (the bureau's shared store, for a PostgreSQL database).
# Not set: in the database itself. A relative path is read from this file's folder.
#folder = "/srv/kerjasama/arsip"
"""


def write_template(path: Path, force: bool = False) -> None:
    """Write TEMPLATE to ``path`` (and the folders it needs).

    :raises InvalidInput: the file exists and ``force`` is not given.
    """
    if path.exists() and not force:
        raise InvalidInput(_("{path} exists; kerjasama config check checks it, --force replaces it.")
                           .format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE, encoding="utf-8")


def check(path: Path) -> tuple[list[str], list[str]]:
    """The problems of the config file at ``path`` (one line each, naming the key), and the letter settings it does
    not set that some letters need (one line per key, with the letters refused without it); all at once."""
    from workflow.letters import environment, template_info, template_names
    from workflow.letters.context import needed_settings

    config, problems = config_problems(path) if path.exists() else (Config(), [])
    if config is None:
        return problems, []
    folder = config.letters.templates
    env = environment(folder if folder and folder.is_dir() else None)
    needing: dict[str, list[str]] = {}
    for name in template_names(env):
        for key in needed_settings(template_info(env, name)):
            if not getattr(config.letters, key):
                needing.setdefault(key, []).append(name)
    return problems, [_("[letters] {key} is not set: {templates} cannot be issued without it.").format(
        key=key, templates=", ".join(names)) for key, names in needing.items()]
