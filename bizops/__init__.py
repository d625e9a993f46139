"""bizops: a business department's standard workflows on the command line."""

__version__ = "0.2.0"
