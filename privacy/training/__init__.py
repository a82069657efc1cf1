"""Training of the personal-data token classifier (not imported at run time)."""
