"""Branches, units, subdivisions (股), staff, roles and permissions."""
