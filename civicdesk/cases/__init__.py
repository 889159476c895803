"""Enforcement cases: intake, receipt and assignment registers, rotation, reconciliation (勾稽), warnings. A2.5."""
