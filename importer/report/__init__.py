"""Report: per-row CSVs, ``summary.json``, the printed table and ``report.html`` of a run folder."""
