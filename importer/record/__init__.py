"""Record: what survives the process: the job's journal (exactly once), the ledger, the job lock."""
