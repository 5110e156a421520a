"""Dead-letter redrive: `python -m tools.dlq --help` (docs/runbooks/dead-letters.md)."""
