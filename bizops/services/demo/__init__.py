"""The demo data set: a team, customers, history and contracts.

Everything is played through the real services, day by day over about three months that end
on ``today``: customers are added, contacted and moved along the pipeline, follow-ups are
logged on time or late, contracts are drafted from the template library, submitted, approved,
signed, performed, amended, disputed, completed, terminated and archived. So the audit chain,
the numbering, the follow-up schedule and every invariant are the ones real use produces.

The scenario lives in ``bizops/library/demo/`` (team, customers, contracts, what the reps
write); the choices made on top of it (when a customer was first contacted, how late a
follow-up was) come from a random generator started from a fixed number. Every date is
relative to ``today``, so the same ``today`` gives the same data.

- ``scenario``: the files, the choices and the timeline; ``builder``: the state of a build;
- ``team``, ``customers``, ``contracts``: the demo's parts; ``summary``: what it holds;
- ``build``: ``build_demo``, which plays them all and checks where they end.
"""

from bizops.services.demo.build import build_demo
from bizops.services.demo.scenario import load_scenario
from bizops.services.demo.summary import DemoSummary, stage_counts, summarize

__all__ = ["DemoSummary", "build_demo", "load_scenario", "stage_counts", "summarize"]
