"""Speed measurements, one module per feature: `make bench` runs them all."""
