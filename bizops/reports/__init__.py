"""Report builders (the daily reminder report and the metrics of the standard), their
Jinja2 templates, and the SMTP mailer. Read-only over the store; no Typer, no Rich."""
