"""What the tests share: factories that go through the services, throw-away databases, the
command line in-process and in child processes, and the checks every database state passes.

No tests live here; see tests/README.md for the map of the suite.
"""
