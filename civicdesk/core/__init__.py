"""Pure-Python domain helpers (no Django): ROC dates, working days, identifiers, masking, reference and case numbers."""
