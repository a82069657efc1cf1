"""Training code and hand-written training data for the scoring models."""
