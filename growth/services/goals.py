"""Writes for goals: one named action per change, in one transaction, with its activity record."""
