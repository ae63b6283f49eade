"""Benchmarks: scripts that print figures (not tests). See docs/operations/throughput.md."""
