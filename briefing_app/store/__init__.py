"""The local store: SQLModel tables on SQLite, migrations, search and units of work."""
