"""The GUI's operations, one module per area (after Anki's qt/aqt/operations/).

An operation asks for what it needs (a file, a confirmation), runs the work off
the GUI thread as an :class:`~ui.tasks.Op` and returns it; what it changed
reaches the window through its :class:`~ui.shell.Shell`. Views and menus call
operations; they never build an Op for a write themselves.
"""
