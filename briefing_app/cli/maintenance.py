"""Looking after the store: ``backup``, ``restore`` and ``check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app import paths
from briefing_app.cli.common import PROG, add_command, open_store, print_json
from briefing_app.errors import UserError

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands


def cmd_backup(args: argparse.Namespace) -> int:
    paths.store_file(args.db, "backup")
    services = open_store(args)
    try:
        result = services.maintenance.backup(Path(args.out))
    finally:
        services.close()
    if args.format == "json":
        print_json(result.to_dict())
    else:
        print(f"Backed up {result.store} to {result.path} ({result.size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    # the store is not opened first: restoring must work when it no longer opens
    from briefing_app.services.maintenance import restore_store
    from briefing_app.store.engine import Store, detect_read_only, is_encrypted

    store_path = paths.store_file(args.db, "restore")
    if not store_path.is_file():
        raise UserError(f"{store_path}: no store here (run 'briefing-app init' to create one)")
    if args.read_only or detect_read_only(store_path):
        raise UserError(f"{store_path}: the store is read-only (write-protected location); "
                        "changes are disabled")
    if is_encrypted(store_path):
        raise UserError(f"{store_path}: the store is encrypted; restore is not supported yet "
                        "(copy the backup file over it)")
    result = restore_store(store_path, Path(args.file), paths.backups_dir())
    Store(store_path, create=False).close()  # migrates an older backup to the newest schema
    if args.format == "json":
        print_json(result.to_dict())
    else:
        kept = (f"; the replaced store is kept as {result.previous_store_backup}"
                if result.previous_store_backup else "")
        print(f"Restored {result.store} from {result.restored_from}{kept}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    services = open_store(args)
    try:
        report = services.maintenance.check()
    finally:
        services.close()
    if args.format == "json":
        print_json(report.to_dict())
        return 0 if report.ok else 1
    for check in report.checks:
        print(f"{check.name}: {'ok' if check.ok else 'PROBLEMS'} ({check.checked})")
        for problem in check.problems:
            print(f"  {problem}")
    if not report.ok:
        failed = ", ".join(c.name for c in report.checks if not c.ok)
        print(f"{PROG}: {report.store}: the check found problems ({failed}); restore a backup "
              "('briefing-app restore FILE')", file=sys.stderr)
        return 1
    print(f"{report.store}: no problems found")
    return 0


def add_commands(commands: Commands) -> None:
    backup = add_command(commands, "backup", "write a consistent copy of the store to a file",
                         cmd_backup, ("table", "json"))
    backup.add_argument("--out", required=True, metavar="FILE",
                        help="the backup file to write (replaced if it exists)")
    restore = add_command(commands, "restore", "replace the store with a backup (checked "
                          "first; the replaced store is kept in the backups folder)",
                          cmd_restore, ("table", "json"))
    restore.add_argument("file", metavar="FILE")
    add_command(commands, "check",
                "check the store: integrity, references, search index, citations", cmd_check,
                ("table", "json"))
