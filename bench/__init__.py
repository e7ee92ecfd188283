"""Warden's benchmark: `make bench` (python -m bench.run). Not a test: it prints figures."""
