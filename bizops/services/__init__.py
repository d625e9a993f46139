"""Use cases: each takes a Session and keyword arguments, enforces the rules, audits writes."""
