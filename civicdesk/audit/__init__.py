"""Tamper-evident append-only ledgers and the log of staff look-ups of personal data."""
