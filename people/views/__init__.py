"""People views: the organization admin pages, the CSV import and a person's own data."""
