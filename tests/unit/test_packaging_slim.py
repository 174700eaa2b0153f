"""packaging/slim.py: the ELF reading and the ICU trimming rules of the bundle build."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.packaging import load

slim = load("slim")

QT = Path(__import__("PySide6").__file__).parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the bundle's binaries are slimmed on Linux only")


def readelf(*args: str | Path) -> str:
    return subprocess.run(["readelf", *map(str, args)], capture_output=True, text=True,
                          check=True).stdout


def test_icu_items_to_drop_keeps_what_qtcore_uses() -> None:
    items = [
        # the main tree (calendars, number formats): root and English stay
        "root.res", "en.res", "de.res", "de_AT.res", "sr_Latn_BA.res", "res_index.res",
        "pool.res",
        # top-level tables ICU itself reads
        "supplementalData.res", "likelySubtags.res", "zoneinfo64.res", "metaZones.res",
        "cnvalias.icu", "nfkc.nrm", "uts46.nrm", "ulayout.icu",
        # converters and collation: whole
        "ibm-5348_P100-1997.cnv", "gb18030.cnv", "coll/root.res", "coll/de.res",
        "coll/zh.res", "coll/ucadata.icu",
        # display names: root, English, index and pool
        "lang/de.res", "lang/en.res", "region/fr.res", "curr/pool.res", "unit/en_GB.res",
        "zone/en.res", "zone/de.res", "zone/root.res", "zone/res_index.res",
        # dropped whole
        "brkitr/root.res", "brkitr/cjdict.dict", "translit/root.res", "rbnf/en.res",
        "unames.icu", "confusables.cfu", "rfc3491.spp",
    ]
    assert slim.icu_items_to_drop(items) == [
        "de.res", "de_AT.res", "sr_Latn_BA.res",
        "lang/de.res", "region/fr.res", "unit/en_GB.res", "zone/de.res",
        "brkitr/root.res", "brkitr/cjdict.dict", "translit/root.res", "rbnf/en.res",
        "unames.icu", "confusables.cfu", "rfc3491.spp",
    ]


@pytest.mark.parametrize("library", ["Qt/lib/libQt6Pdf.so.6", "Qt/lib/libQt6Core.so.6",
                                     "QtWidgets.abi3.so"])
def test_needed_lists_the_direct_dependencies_as_readelf_does(library: str) -> None:
    dynamic = readelf("-d", QT / library)
    expected = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    assert expected  # readelf found some, so the comparison means something
    assert slim.needed(QT / library) == expected


def test_symbol_tables_are_seen_as_readelf_sees_them() -> None:
    numpy = importlib.util.find_spec("numpy")
    assert numpy is not None and numpy.origin is not None
    openblas = sorted((Path(numpy.origin).parents[1] / "numpy.libs").glob("libscipy_openblas*"))
    assert len(openblas) == 1
    libraries = [QT / "Qt/lib/libQt6Core.so.6", QT / "Qt/lib/libicudata.so.73", *openblas]
    for library in libraries:
        has = " .symtab " in readelf("-S", "-W", library)
        assert slim.has_symbol_table(library) is has, library
    # the wheels as pinned: Qt's libraries come stripped, OpenBLAS and ICU's data do not
    assert [slim.has_symbol_table(library) for library in libraries] == [False, True, True]


def test_non_elf_files_have_no_sections(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a library", encoding="utf-8")
    assert slim.sections(text) == []
    assert slim.needed(text) == []
    assert slim.has_symbol_table(text) is False
    with pytest.raises(ValueError, match=r"notes\.txt: not an ELF library"):
        slim.icu_data(text)


def test_icu_data_is_the_exported_symbol() -> None:
    library = QT / "Qt/lib/libicudata.so.73"
    name, data = slim.icu_data(library)
    symbol = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True,
                            check=True).stdout.split()
    assert name == "icudt73" and symbol[3] == "icudt73_dat"
    assert len(data) == int(symbol[1], 16)
    # ICU's data header: its size, then the magic bytes 0xda 0x27; a common-data package
    assert data[2:4] == b"\xda\x27"
    assert data[12:16] == b"CmnD"


def test_trimmed_library_keeps_soname_symbol_and_the_kept_items(tmp_path: Path) -> None:
    library = QT / "Qt/lib/libicudata.so.73"
    result = slim.trim_icu(library, tmp_path / "out" / library.name)
    assert result.library == tmp_path / "out" / "libicudata.so.73"
    assert "Library soname: [libicudata.so.73]" in readelf("-d", result.library)
    name, data = slim.icu_data(result.library)
    assert name == "icudt73" and len(data) == result.bytes_after
    assert result.bytes_after < result.bytes_before / 2
    package = tmp_path / "icudt73l.dat"
    package.write_bytes(data)
    items = subprocess.run(["icupkg", "-l", str(package)], capture_output=True, text=True,
                           check=True).stdout.split()
    assert len(items) == result.items_after
    assert {"coll/de.res", "coll/ucadata.icu", "cnvalias.icu", "zoneinfo64.res",
            "ibm-5348_P100-1997.cnv", "zone/en.res", "root.res"} <= set(items)
    assert not {"lang/de.res", "zone/de.res", "de.res", "unames.icu"} & set(items)
    assert not [item for item in items if item.startswith(("brkitr/", "translit/", "rbnf/"))]


def test_the_command_names_a_file_it_cannot_trim(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a library", encoding="utf-8")
    result = subprocess.run([sys.executable, str(slim.__file__), "icu", str(text),
                             str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"slim.py: {text}: not an ELF library with dynamic symbols\n"
    assert not (tmp_path / "out").exists()
