"""The evaluation corpus is well-formed, its seed renderings are what they claim, and the
extraction benchmark runs over it (it asserts no figure: the parser is being rewritten)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.corpus import (
    CORPUS,
    LETTERS,
    REPO,
    load_truth,
    render_seed_module,
    stored_letters,
    truth_files,
)

ISO_3166_ALPHA_2 = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split()) | {"XK"}  # Kosovo: the code the EU uses (see tests/corpus/README.md)

MEMBER_STATES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL "
                          "PL PT RO SE SI SK".split())
ROLES = {"sender", "signatory", "recipient", "attention", "cc"}
TRUTH_KEYS = {"file", "date", "place", "reference", "subject", "salutation", "people",
              "commitments"}
PERSON_KEYS = {"name", "role", "title", "country"}
COMMITMENT_KEYS = {"series_title", "number", "section", "title", "deadline", "due_date",
                   "countries"}
ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")


def _iso_date(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    date.fromisoformat(value)
    return True


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return render_seed_module().render(tmp_path_factory.mktemp("rendered"))


# --------------------------------------------------------------------------- (a) well-formed


def test_every_letter_has_a_truth_file_and_every_truth_file_a_letter() -> None:
    letters = stored_letters()
    assert len(letters) >= 8
    for letter in letters:
        assert (LETTERS / f"{letter.stem}.truth.json").is_file(), letter.name
    render_seed = render_seed_module()
    seeds = {f"seed-{number}.truth.json" for number in render_seed.SEED_FILES}
    assert len(seeds) == 5
    stems = {p.stem for p in letters}
    for truth in truth_files():
        stem = truth.name.removesuffix(".truth.json")
        assert stem in stems or truth.name in seeds, f"{truth.name}: no letter for it"
    assert seeds <= {t.name for t in truth_files()}


@pytest.mark.parametrize("truth_file", [p.name for p in truth_files()])
def test_truth_parses_and_follows_the_schema(truth_file: str) -> None:
    truth = load_truth(truth_file)
    assert set(truth) == TRUTH_KEYS, truth_file
    stem = truth_file.removesuffix(".truth.json")
    assert truth["file"] in (f"{stem}.txt", f"{stem}.md", f"{stem}.*")
    assert truth["date"] is None or _iso_date(truth["date"])
    for key in ("place", "reference", "subject", "salutation"):
        assert truth[key] is None or (isinstance(truth[key], str) and truth[key].strip())
    for person in truth["people"]:
        assert set(person) == PERSON_KEYS, person
        assert person["name"].strip() and person["role"] in ROLES, person
        assert not re.match(r"(?i)(mr|ms|mrs|dr|h\.e\.)\.? ", person["name"]), person
        assert person["country"] is None or person["country"] in MEMBER_STATES, person
        assert person["title"] is None or person["title"].strip(), person
    for item in truth["commitments"]:
        assert set(item) == COMMITMENT_KEYS, item
        assert item["title"].strip() and item["series_title"].strip(), item
        assert item["number"] is None or (isinstance(item["number"], int)
                                          and item["number"] > 0), item
        assert item["section"] is None or ROMAN.match(item["section"]), item
        assert item["due_date"] is None or _iso_date(item["due_date"]), item
        assert (item["due_date"] is None) == (item["deadline"] is None), item
        assert all(c in ISO_3166_ALPHA_2 for c in item["countries"]), item
        assert not set(item["countries"]) & MEMBER_STATES, item


def test_the_readme_lists_every_file() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for letter in stored_letters():
        assert f"`{letter.name}`" in readme, letter.name
    for truth in truth_files():
        assert f"`{truth.name}`" in readme or truth.name.startswith("seed-"), truth.name
    for number in render_seed_module().SEED_FILES:
        assert f"`seed-{number}.truth.json`" in readme
        assert f"rendering of seed letter {number}" in readme
    for letter in stored_letters():
        row = next(line for line in readme.splitlines() if f"`{letter.name}`" in line)
        assert "written for this corpus" in row or "http" in row, row


# --------------------------------------------------------------------------- the renderings


def test_renderings_are_deterministic(rendered: list[Path], tmp_path: Path) -> None:
    again = render_seed_module().render(tmp_path)
    assert [p.name for p in again] == [p.name for p in rendered]
    for first, second in zip(rendered, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_every_seed_letter_has_every_rendering(rendered: list[Path]) -> None:
    names = {p.name for p in rendered}
    for number in ("000", "001", "002", "003", "004"):
        for suffix in (".md", ".txt", ".docx", ".pdf"):
            assert f"seed-{number}{suffix}" in names
    assert "seed-002-noblank.txt" in names
    render_seed = render_seed_module()
    assert {render_seed.truth_name(n) for n in names} == {
        f"seed-{n}.truth.json" for n in ("000", "001", "002", "003", "004")}


def test_plain_text_has_no_markdown_and_is_wrapped(rendered: list[Path]) -> None:
    for path in rendered:
        if path.suffix != ".txt":
            continue
        text = path.read_text(encoding="utf-8")
        assert "**" not in text and not re.search(r"(?m)^#", text), path.name
        assert "*" not in text, path.name
        assert max(len(line) for line in text.splitlines()) <= 80, path.name
    plain = (rendered[0].parent / "seed-004.txt").read_text(encoding="utf-8")
    assert re.search(r"(?m)^12\. The Commission will launch", plain)
    noblank = (rendered[0].parent / "seed-002-noblank.txt").read_text(encoding="utf-8")
    assert "\n\n" not in noblank and "Mari Rantanen" in noblank


def test_docx_uses_real_styles_and_numbering(rendered: list[Path]) -> None:
    import docx

    path = rendered[0].parent / "seed-004.docx"
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("List Number") == 15
    assert "List Bullet 2" in styles and any(s.startswith("Heading") for s in styles)
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert not any(re.match(r"\d+\.", p.text) for p in numbered), "numbers must not be typed"
    assert any(run.bold for p in document.paragraphs for run in p.runs)
    with zipfile.ZipFile(path) as archive:
        assert "word/numbering.xml" in archive.namelist()


def test_pdf_has_bold_faces_headings_furniture_and_hyphens(rendered: list[Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(rendered[0].parent / "seed-004.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3
    assert "Page 1" in text and "Page 2" in text
    assert text.count("Seed letter 004") == len(reader.pages)
    assert re.search(r"[a-z]-\n", text), "no hyphenated line end"
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("Bold" in f for f in fonts) and any("Italic" in f for f in fonts)


# --------------------------------------------------------------------------- (b) the bench


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def test_extraction_bench_prints_the_table() -> None:
    result = _run("bench/extraction.py", "--verbose")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"Extraction benchmark: \d+ letters", out)
    assert "precision" in out and "recall" in out and "misses:" in out
    for field in ("date", "place", "reference", "subject", "salutation", "people names",
                  "people roles", "people titles", "people countries", "commitments",
                  "commitments count", "commitment number", "commitment section",
                  "commitment deadline", "commitment due_date", "commitment countries"):
        assert re.search(rf"(?m)^{re.escape(field)}\s+\d+\s+\d+\s+\d+", out), field
    assert "seed-004.pdf" in out and "fr-objet-propositions.txt" in out


def test_extraction_bench_json() -> None:
    result = _run("bench/extraction.py", "--json", "--letters", "seed-004*")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["letters"] == 4
    assert {r["file"] for r in report["per_letter"]} == {
        "seed-004.md", "seed-004.txt", "seed-004.docx", "seed-004.pdf"}
    assert "commitments_source" in report
    # the bundled seed text itself is read as the seed loader reads it
    markdown = next(r for r in report["per_letter"] if r["file"] == "seed-004.md")
    assert markdown["scores"]["commitments"]["tp"] == 15
    assert markdown["scores"]["date"]["tp"] == 1


def _bench_module() -> Any:
    spec = importlib.util.spec_from_file_location("extraction_bench",
                                                  REPO / "bench" / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_bench_matching_rules() -> None:
    bench = _bench_module()
    assert bench.names_match("D. TUSK", "Donald Tusk")
    assert bench.names_match("Mr Gerhard KARNER", "Gerhard Karner")
    assert bench.names_match("Agnė Bilotaitė", "AGNE BILOTAITE")
    assert not bench.names_match("Gerhard Karner", "Karl Nehammer")
    assert not bench.names_match("Ursula von der Leyen", "EUROPEAN COMMISSION")
    assert bench.loose_match("Joint patrols", "**Joint patrols.** We call for joint patrols")
    assert bench.loose_match("- Accelerate the implementation of the Pact on Migration",
                             "Accelerate the implementation of the Pact on Migration and Asylum")
    assert not bench.loose_match("Readmission", "Visa alignment")
    assert bench.reference_match("Ares(2024)123456", "HOME.C/MK/ae Ares(2024)123456")
    assert bench.reference_match("Ares (2024)2211517", "Ares(2024)2211517")
    assert bench.titles_match("Federal Minister of the Interior",
                              "Federal Minister of the Interior, Republic of Austria")
    assert not bench.titles_match("The Director", "Directorate C - Migration, The Director")
    assert bench.country_code("Hellenic Republic") == "GR"
    assert bench.country_code("Austria") == "AT"
