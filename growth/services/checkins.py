"""Writes for checkins: one named action per change, in one transaction, with its activity record."""
