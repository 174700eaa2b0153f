"""Briefing App core: the Qt-free store, corpus, services and reporting.

Nothing in this package imports PySide6 or :mod:`ui` (a test enforces it);
the only bridge is the ``gui`` subcommand of :mod:`briefing_app.cli`, which
imports :mod:`ui.app` lazily.
"""

__version__ = "0.1.0"
