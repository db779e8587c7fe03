"""Benchmarks for versioning_app; run with ``make bench`` (``python -m benchmarks``)."""
