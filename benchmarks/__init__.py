"""Benchmarks on the real corpora in ../shared/corpora; run as ``python -m benchmarks.NAME``."""
