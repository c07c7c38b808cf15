"""The reporting cycle of Project 6: annual plans, periodic reports, their review and the period locks."""
