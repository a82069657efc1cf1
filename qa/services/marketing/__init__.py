"""Marketing: ad audits, campaigns, leads and their linking to calls, the dashboard."""
