"""Bundled files are found from the source tree, a frozen bundle and an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefing_app import paths

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_lookup() -> None:
    paths._data_root.cache_clear()
    yield
    paths._data_root.cache_clear()


def test_source_tree() -> None:
    assert paths.resources_dir() == REPO / "resources"
    assert paths.seed_dir() == REPO / "db" / "seed"
    assert (paths.migrations_dir() / "env.py").is_file()
    assert paths.resource("fonts", "DejaVuSans.ttf").is_file()


def test_frozen_bundle_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources" / "fonts").mkdir(parents=True)
    (tmp_path / "db" / "seed").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.seed_dir() == tmp_path / "db" / "seed"


def test_store_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_APP_DB", str(tmp_path / "env.sqlite3"))
    assert paths.store_path(tmp_path / "flag.sqlite3") == tmp_path / "flag.sqlite3"
    assert paths.store_path(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv("BRIEFING_APP_DB")
    assert paths.store_path(None) == paths.user_data_dir() / "briefing.sqlite3"


def test_the_wheel_carries_resources_seed_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    [wheel] = tmp_path.glob("briefing_app-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "briefing_app/_data/db/seed/004_cf1bbf6e59ff8afe.txt",
        "briefing_app/_data/db/seed/partner_countries.json",
        "briefing_app/_data/db/migrations/env.py",
        "briefing_app/_data/db/migrations/versions/0001_baseline.py",
        "briefing_app/_data/resources/fonts/DejaVuSans.ttf",
        "briefing_app/_data/resources/fonts/LICENSE-DejaVu.txt",
        "briefing_app/paths.py",
        "ui/app.py",
    ):
        assert expected in names, expected
