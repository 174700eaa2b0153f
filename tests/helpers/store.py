"""Look at a store file the way a test needs to: every row of every table."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

SEED_DIR = Path(__file__).resolve().parents[2] / "db" / "seed"

LETTER_004 = "004_cf1bbf6e59ff8afe.txt"  # 26 January 2023, 15 operational measures
LETTER_000 = "000_cda2641d4a6d3011.txt"  # Johansson to Karner, 15/3/2024
LETTER_001 = "001_bb79dbfcc4653c62.txt"  # DG HOME to Austria's Permanent Representative
LETTER_002 = "002_fa0ddd568e2ff008.txt"  # joint letter of 15 ministers
LETTER_003 = "003_690175d95a8f5997.txt"  # 14 October 2024, 10 points of action


def seed_text(name: str) -> str:
    return (SEED_DIR / name).read_text(encoding="utf-8")


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ordinary table, in a stable order."""
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'paragraph_fts%' ORDER BY name")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(),
                              key=repr)
                for table in tables}
    finally:
        connection.close()


def sql_dump(path: Path) -> list[str]:
    """Every table's content as SQL, the FTS index's shadow tables included."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()
