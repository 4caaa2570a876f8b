"""Every write of clients, groups and their activity log (the API, the admin, the
CSV import and the commands all call these)."""
