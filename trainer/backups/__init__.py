"""Backups of the whole database: `flask backup -o FILE` and `flask restore FILE --yes`."""
