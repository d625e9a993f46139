"""What the tests share: factories that go through the services, throw-away databases, the
command line in-process and in child processes, and the checks every database state passes.

No tests live here; docs/development.md ("Tests") has the map of the suite.
"""

from datetime import date

TODAY = date(2026, 11, 27)  # a Friday: the "today" of every test that does not choose its own
