"""Shared building blocks: database base, errors, permissions, API helpers and templating."""
