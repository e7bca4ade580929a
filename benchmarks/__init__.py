"""Benchmarks: each ``bench_*.py`` module measures one capability against a baseline in one run."""
