"""Every write to the 1:1 domain: one function, one transaction, one activity record."""
