"""The evaluation corpus (tests/corpus): its letters, truth files and seed renderings."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from briefing_app.read_models import ActionPointRead, LetterDetail, MeasureRead
from briefing_app.services import Services
from briefing_app.store.engine import Store

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
LETTERS = CORPUS / "letters"
LETTER_SUFFIXES = (".txt", ".md")


def render_seed_module() -> ModuleType:
    from tests.corpus import render_seed

    return render_seed


def stored_letters() -> list[Path]:
    return sorted(p for p in LETTERS.iterdir() if p.suffix in LETTER_SUFFIXES)


def truth_files() -> list[Path]:
    return sorted(LETTERS.glob("*.truth.json"))


def load_truth(name: str) -> dict[str, Any]:
    return json.loads((LETTERS / name).read_text(encoding="utf-8"))


def open_store(path: Path, *, create: bool = False) -> Services:
    """Services over a store, without the automatic daily backup (tests own no user folder)."""
    return Services(Store(path, create=create, backup_dir=None))


@dataclass(frozen=True)
class Imported:
    """What the app read from one letter imported into an empty store of its own."""

    letter: LetterDetail
    measures: list[MeasureRead]
    action_points: list[ActionPointRead]


def empty_store(folder: Path) -> Path:
    template = folder / "empty.sqlite3"
    if not template.exists():
        open_store(template, create=True).close()
    return template


def import_alone(path: Path, folder: Path) -> Imported:
    """Import ``path`` into a copy of an empty store; read it back."""
    store = folder / f"{path.name}.sqlite3"
    shutil.copyfile(empty_store(folder), store)
    services = open_store(store)
    try:
        result = services.letters.import_file(path)
        assert result.letter_id is not None, result
        return Imported(services.letters.get(result.letter_id),
                        [m for m in services.tracking.measures()
                         if m.letter_id == result.letter_id],
                        [a for a in services.tracking.action_points()
                         if a.letter_id == result.letter_id])
    finally:
        services.close()
