"""The agreements and LoIs of a region: their register, loading those a bureau already has, backup and restore.

- partial_dates: dates known to the day, the month or only the year, and how they read in Indonesian
- listing: the register (``kerjasama register``), each agreement's status, CSV output
- importing: reading and checking agreement lists (``kerjasama import``); the engine writes the cases
- backup: the whole database as one JSON document and back (``kerjasama export`` and ``import``)
"""
from workflow.agreements.backup import FORMAT, TABLES, export_all, import_all
from workflow.agreements.importing import (COLUMNS, MAX_TERM_YEARS, STATE_OF_STATUS, check_rows, import_agreements,
                                           import_file, read_rows)
from workflow.agreements.listing import as_csv, register
from workflow.agreements.partial_dates import PartialDate, in_indonesian, partial_date

__all__ = ["COLUMNS", "FORMAT", "MAX_TERM_YEARS", "STATE_OF_STATUS", "TABLES", "PartialDate", "as_csv",
           "check_rows", "export_all", "import_agreements", "import_all", "import_file", "in_indonesian",
           "partial_date", "read_rows", "register"]
