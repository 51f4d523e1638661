"""Writes for feedback: one named action per change, in one transaction, with its activity record."""
