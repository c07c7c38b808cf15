"""curricula."""
