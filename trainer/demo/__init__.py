"""Synthetic demo data for trying trainer out and for benchmarks."""
