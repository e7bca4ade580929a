"""Read: a user's table (CSV or Excel) as text rows, streamed and numbered as the user sees them."""

from importer.read._cells import EXCEL_ERRORS, ErrorCells
from importer.read._records import Finding
from importer.read._table import EXTRA, Table, open_table

__all__ = ["EXCEL_ERRORS", "EXTRA", "ErrorCells", "Finding", "Table", "open_table"]
