"""Benchmarks run by `make bench`: one module per feature, each with a `main()`."""
