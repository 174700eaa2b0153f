"""``python -m briefing_app`` runs the command line."""

from briefing_app.cli import main

raise SystemExit(main())
