"""Pure rules of the business: no I/O, no imports from the rest of bizops."""
