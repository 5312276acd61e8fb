"""Views: Altair chart builders, the HTML report, safe CSV exports and the cuts of large grids."""
