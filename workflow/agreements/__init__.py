"""The agreements a region has: their register, loading those a bureau already has, and backup and restore."""
from workflow.agreements.backup import export_all, import_all
from workflow.agreements.importing import (as_csv, check_rows, import_agreements, import_file, in_indonesian,
                                           partial_date, read_rows, register)

__all__ = ["as_csv", "check_rows", "export_all", "import_agreements", "import_all", "import_file", "in_indonesian",
           "partial_date", "read_rows", "register"]
