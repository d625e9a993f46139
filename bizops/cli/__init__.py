"""The command line: Typer apps, one module per command group, and the output layer."""
