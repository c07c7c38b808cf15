"""Excel (.xlsx) of participants: the template, reading an upload, the import's bulk writes and exports."""
