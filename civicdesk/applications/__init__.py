"""Service catalogue with SOPs, citizen applications, receipts, public progress query. A2.1–A2.4, A4.4."""
