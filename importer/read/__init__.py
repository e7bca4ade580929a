"""Read: a user's table (CSV or Excel) as text rows, streamed and numbered as the user sees them."""
