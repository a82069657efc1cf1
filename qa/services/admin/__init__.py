"""Administration: users, API tokens, company settings, demo data."""
