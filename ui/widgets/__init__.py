"""Briefing App desktop front end (PySide6)."""
