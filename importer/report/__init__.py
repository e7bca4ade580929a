"""Report: per-row CSVs, ``summary.json``, the printed table and ``report.html`` of a run folder."""

from importer.report._consent import channel_types, count_consent
from importer.report._page import write_page
from importer.report._summary import count_ready, count_settled, format_summary, write_summary
from importer.report._writer import ReportWriter, file_fingerprint, read_settled
from importer.report._xlsx import XLSX_MAX_ROWS, write_errors_xlsx

__all__ = [
    "XLSX_MAX_ROWS",
    "ReportWriter",
    "channel_types",
    "count_consent",
    "count_ready",
    "count_settled",
    "file_fingerprint",
    "format_summary",
    "read_settled",
    "write_errors_xlsx",
    "write_page",
    "write_summary",
]
