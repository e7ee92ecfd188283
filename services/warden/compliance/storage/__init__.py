"""Compliance storage: the tables and what reads and writes them."""
