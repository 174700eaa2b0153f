"""Make the bundle's shared libraries smaller without changing what they do.

Two things, both Linux-only and both done on copies under PyInstaller's work
folder (the virtual environment is never touched):

- **Strip symbol tables** that some binaries still carry (Python's own
  extension modules, SQLAlchemy's, Pillow's, Qt's ICU libraries):
  ``strip --strip-unneeded`` keeps the dynamic symbols the loader needs. (Not
  the libraries auditwheel vendors into wheels: see the spec's ``slimmed``.)
- **Trim Qt's ICU data.** PySide6's ``libicudata.so.NN`` is 32 MB: the whole
  CLDR (names of languages, regions, currencies and units in 800 locales,
  break-iterator dictionaries, transliterators…). QtCore asks ICU for four
  things only (the ICU symbols ``libQt6Core`` imports, listed with ``nm -D``):
  character-set converters (``ucnv_*``), collation (``ucol_*``), case mapping
  (built into ``libicuuc``, no data) and time zones (``ucal_*``). Converters,
  collation and the time-zone rules are kept whole; display names stay in
  English only (the app's interface language); everything else goes.
  ``icupkg`` (Debian's ``icu-devtools``) removes the items and refuses to
  drop one that a kept item depends on; ``as`` and ``ld`` (binutils) turn the
  package back into a library with the same soname and data symbol.

Run it by hand to see the effect on one library::

    python3 packaging/slim.py icu LIBICUDATA OUTDIR
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# ------------------------------------------------------------------------ ELF reading

_SHT_SYMTAB = 2
_SHT_DYNAMIC = 6
_SHT_DYNSYM = 11
_DT_NEEDED = 1


@dataclass(frozen=True)
class Section:
    name: str
    kind: int
    address: int
    offset: int
    size: int
    link: int


def sections(path: Path) -> list[Section]:
    """The section headers of a 64-bit little-endian ELF file; [] for anything else."""
    with open(path, "rb") as handle:
        ident = handle.read(64)
        if len(ident) < 64 or ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
            return []
        shoff, = struct.unpack_from("<Q", ident, 0x28)
        entsize, count, names_index = struct.unpack_from("<HHH", ident, 0x3A)
        handle.seek(shoff)
        table = handle.read(entsize * count)
        raw = [struct.unpack_from("<IIQQQQII", table, i * entsize) for i in range(count)]
        if not raw or names_index >= count:
            return []
        handle.seek(raw[names_index][4])
        names = handle.read(raw[names_index][5])
    result = []
    for name_at, kind, _flags, address, offset, size, link, _info in raw:
        name = names[name_at:names.index(b"\0", name_at)].decode("ascii", "replace")
        result.append(Section(name, kind, address, offset, size, link))
    return result


def has_symbol_table(path: Path) -> bool:
    """Whether the file is an ELF binary that still carries ``.symtab`` (not stripped)."""
    return any(section.kind == _SHT_SYMTAB for section in sections(path))


def needed(path: Path) -> list[str]:
    """The libraries an ELF binary names as its own dependencies (``DT_NEEDED``).

    Only the direct ones, unlike ``ldd``, which lists the whole tree."""
    found = sections(path)
    dynamic = next((s for s in found if s.kind == _SHT_DYNAMIC), None)
    if dynamic is None or dynamic.link >= len(found):
        return []
    strings = found[dynamic.link]
    with open(path, "rb") as handle:
        handle.seek(dynamic.offset)
        entries = handle.read(dynamic.size)
        handle.seek(strings.offset)
        names = handle.read(strings.size)
    result = []
    for at in range(0, len(entries) - 15, 16):
        tag, value = struct.unpack_from("<qQ", entries, at)
        if tag == _DT_NEEDED:
            result.append(names[value:names.index(b"\0", value)].decode("ascii", "replace"))
    return result


def icu_data(library: Path) -> tuple[str, bytes]:
    """The name (``icudt73``) and the bytes of the ICU common data a library exports."""
    found = sections(library)
    dynsym = next((s for s in found if s.kind == _SHT_DYNSYM), None)
    if dynsym is None:
        raise ValueError(f"{library}: not an ELF library with dynamic symbols")
    blob = library.read_bytes()
    strings = found[dynsym.link]
    symbols = blob[dynsym.offset:dynsym.offset + dynsym.size]
    for at in range(0, len(symbols), 24):
        name_at, _info, _other, index, value, size = struct.unpack_from("<IBBHQQ", symbols, at)
        start = strings.offset + name_at
        name = blob[start:blob.index(b"\0", start)].decode("ascii", "replace")
        match = re.fullmatch(r"(icudt\d+)_dat", name)
        if match and size and index < len(found):
            holder = found[index]
            begin = holder.offset + value - holder.address
            return match.group(1), blob[begin:begin + size]
    raise ValueError(f"{library}: no icudtNN_dat symbol with a size")


# ---------------------------------------------------------------------- ICU trimming

#: Trees dropped whole: break-iterator rules and dictionaries (Qt finds word and
#: line boundaries with its own tables), transliterators, number spell-out rules.
DROPPED_TREES = ("brkitr", "translit", "rbnf")
#: Trees of display names (languages, regions, currencies, units, time zones)
#: and the main tree of locale data (calendars, number formats): English stays,
#: with the root, each tree's index and its key pool.
NAME_TREES = ("lang", "region", "curr", "unit", "zone")
KEPT_IN_TREES = ("root.res", "en.res", "res_index.res", "pool.res")
#: Top-level items nothing in Qt reaches: Unicode character names, the spoof
#: checker's confusables; and the StringPrep profiles (``*.spp``) of IDNA2003.
DROPPED_ITEMS = ("unames.icu", "confusables.cfu")
_LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]+)*\.res")


def icu_item_dropped(item: str) -> bool:
    """Whether the bundle leaves out this item of an ICU package (an ``icupkg -l`` name)."""
    tree, _, name = item.rpartition("/")
    if tree in DROPPED_TREES:
        return True
    if tree in NAME_TREES:
        return name not in KEPT_IN_TREES
    if tree:
        return False  # coll/ (collation) and any tree not named above stay whole
    if name in DROPPED_ITEMS or name.endswith(".spp"):
        return True
    return bool(_LOCALE.fullmatch(name)) and name not in KEPT_IN_TREES


def icu_items_to_drop(items: list[str]) -> list[str]:
    return [item for item in items if icu_item_dropped(item)]


@dataclass(frozen=True)
class Trimmed:
    library: Path
    items_before: int
    items_after: int
    bytes_before: int
    bytes_after: int


def icu_tools_missing() -> list[str]:
    return [tool for tool in ("icupkg", "as", "ld") if shutil.which(tool) is None]


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def trim_icu(library: Path, target: Path) -> Trimmed:
    """Write to ``target`` a copy of ``library`` whose ICU data keeps only what Qt uses.

    The copy has the original's file name (its soname) and exports the same
    ``icudtNN_dat`` symbol, 16-byte aligned as ICU requires. Raises
    RuntimeError when a tool fails (a kept item needing a dropped one, say)."""
    missing = icu_tools_missing()
    if missing:
        raise RuntimeError("missing tools: " + ", ".join(missing))
    name, data = icu_data(library)
    with tempfile.TemporaryDirectory(prefix="slim-icu-") as scratch:
        work = Path(scratch)
        # The package's file name is its item prefix: "icudt73l" (l: little-endian,
        # ASCII), in and out alike, or ICU finds none of the items.
        package = f"{name}l.dat"
        (work / "full").mkdir()
        (work / "full" / package).write_bytes(data)
        items = _run(["icupkg", "-l", f"full/{package}"], work).split()
        drop = icu_items_to_drop(items)
        (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="ascii")
        _run(["icupkg", "-r", "drop.txt", f"full/{package}", package], work)
        kept = _run(["icupkg", "-l", package], work).split()
        source = work / "data.s"
        source.write_text(
            "\t.section .rodata\n"
            "\t.balign 16\n"
            f"\t.globl {name}_dat\n"
            f"\t.type {name}_dat, %object\n"
            f"{name}_dat:\n"
            f'\t.incbin "{package}"\n'
            f"\t.size {name}_dat, . - {name}_dat\n"
            '\t.section .note.GNU-stack,"",%progbits\n',
            encoding="ascii",
        )
        _run(["as", "-o", "data.o", "data.s"], work)
        target.parent.mkdir(parents=True, exist_ok=True)
        _run(["ld", "-shared", "-s", "-soname", library.name, "-z", "noexecstack",
              "-o", str(target), "data.o"], work)
        trimmed = (work / package).read_bytes()
    if icu_data(target) != (name, trimmed):
        raise RuntimeError(f"{target}: the rebuilt library does not hold the trimmed data")
    return Trimmed(target, len(items), len(kept), len(data), len(trimmed))


def strip_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` and strip the copy's symbol table."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    subprocess.run(["strip", "--strip-unneeded", str(target)], check=True)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "icu":
        print(__doc__, file=sys.stderr)
        return 2
    library = Path(argv[1])
    try:
        result = trim_icu(library, Path(argv[2]) / library.name)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"slim.py: {exc}", file=sys.stderr)
        return 1
    print(f"{result.library}: {result.items_before} → {result.items_after} items, "
          f"{result.bytes_before / 2**20:.1f} → {result.bytes_after / 2**20:.1f} MB of data")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
