"""Run: one command's work from input to reports: settings, the run loop, batches, Ctrl-C, logs."""
