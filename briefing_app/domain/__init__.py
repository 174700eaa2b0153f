"""Domain vocabulary and value rules (no I/O)."""
