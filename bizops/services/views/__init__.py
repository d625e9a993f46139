"""The shapes services return where they become JSON: listing rows and `show` objects.

Each is declared once (a TypedDict: its keys, in the order the JSON has them) and re-exported
by its service. They live apart from the use cases, and import nothing but the standard
library, so that a CLI module can declare its listings without loading the database stack.
"""
