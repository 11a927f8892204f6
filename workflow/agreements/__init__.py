"""The agreements and LoIs of a region: their register, loading those a bureau already has, backup and restore.

- listing: the register (``kerjasama register``), each agreement's status, CSV and Excel output
- rows: reading and checking the rows of an agreement list: unknowns kept, irregular facts flagged
- spreadsheet: Excel workbooks written with typed cells, and read as the CSV import reads a file
- importing: ``kerjasama import``; the engine writes the cases
- indicator_table, indicator_import: the agreements' indicators as a sheet or CSV beside the register, and loading it
- backup: the whole database as one JSON document and back (``kerjasama export`` and ``import``)
"""
from workflow.agreements.backup import FORMAT, TABLES, export_all, import_all
from workflow.agreements.importing import STATE_OF_STATUS, ImportRefused, import_agreements, import_file
from workflow.agreements.listing import agreement_list, as_csv, indicator_csv, register, register_workbook
from workflow.partial_dates import PartialDate, in_indonesian, partial_date
from workflow.agreements.rows import COLUMNS, MAX_TERM_YEARS, check_rows, read_rows

__all__ = ["COLUMNS", "FORMAT", "MAX_TERM_YEARS", "STATE_OF_STATUS", "TABLES", "ImportRefused", "PartialDate",
           "agreement_list", "as_csv", "check_rows", "export_all", "import_agreements", "import_all", "import_file",
           "in_indonesian", "indicator_csv", "partial_date", "read_rows", "register", "register_workbook"]
