"""The adviser's tracking preferences, kept in the user's settings folder.

One setting today: after how many months without newer evidence an item is
flagged *stale* (default nine). A missing file means the defaults; a file
that cannot be read is ignored with a logged reason naming it, never fatal.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from briefing_app import paths
from briefing_app.errors import InvalidInput

log = logging.getLogger(__name__)

FILE_NAME = "tracking.json"
STALE_KEY = "stale_after_months"
DEFAULT_STALE_MONTHS = 9
#: The longest threshold a person may set (ten years).
MAX_STALE_MONTHS = 120


@dataclass(frozen=True)
class TrackingPreferences:
    stale_after_months: int = DEFAULT_STALE_MONTHS


def preferences_path() -> Path:
    return paths.user_config_dir() / FILE_NAME


def check_stale_months(value: object) -> int:
    """A threshold as given (a whole number of months, 1 to :data:`MAX_STALE_MONTHS`)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(f"{STALE_KEY}: give a whole number of months")
    try:
        months = int(value)
    except ValueError:
        raise InvalidInput(f"{STALE_KEY}: {value!r} is not a whole number of months") from None
    if not 1 <= months <= MAX_STALE_MONTHS:
        raise InvalidInput(f"{STALE_KEY}: {months} is outside 1 to {MAX_STALE_MONTHS} months")
    return months


def load_preferences(path: Path | None = None) -> TrackingPreferences:
    """The preferences in force; never raises (a bad file is logged and ignored)."""
    path = path or preferences_path()
    try:
        if path.stat().st_size > 64 * 1024:
            raise InvalidInput(f"{path}: larger than 64 KB; not a preferences file")
        document = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(document, dict):
            raise InvalidInput(f"{path}: expected a JSON object")
        months = check_stale_months(document.get(STALE_KEY, DEFAULT_STALE_MONTHS))
    except FileNotFoundError:
        return TrackingPreferences()
    except (OSError, ValueError, InvalidInput) as exc:
        log.warning("%s: ignored (%s)", path, exc)
        return TrackingPreferences()
    return TrackingPreferences(months)


def save_preferences(preferences: TrackingPreferences, path: Path | None = None) -> Path:
    """Write the preferences (checked first; the file is replaced whole)."""
    path = path or preferences_path()
    months = check_stale_months(preferences.stale_after_months)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({STALE_KEY: months}, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
