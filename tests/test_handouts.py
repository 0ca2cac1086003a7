"""`backcourse handouts`: printable pages per notebook, exercise cards, optional PDFs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from offline import external_loads

from backcourse import cli
from backcourse.content.load import load_course
from backcourse.export.handouts import build_handouts, exercise_cards
from backcourse.export.slides import find_notebooks


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    made, failed = build_handouts(find_notebooks(["04", "08"]), out)
    assert failed == {} and len(made) == 2 + len(load_course().exercises)
    return out


@pytest.mark.slow
def test_handouts_are_printable_offline_pages_without_code(pages: Path) -> None:
    for name in ("04_decompression.handout.html", "08_my_program.handout.html"):
        text = (pages / name).read_text(encoding="utf-8")
        assert 'href="assets/print.css"' in text and (pages / "assets" / "print.css").is_file()
        assert external_loads(text) == []
        assert "lesson.exercise" not in text and "journal_home = None" not in text
    assert "Traction" in (pages / "04_decompression.handout.html").read_text(encoding="utf-8")
    assert "@media print" in (pages / "assets" / "print.css").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_card_per_exercise_with_dose_stop_rules_and_references(pages: Path) -> None:
    course = load_course()
    for x in course.exercises:
        text = (pages / "cards" / f"{x.id}.html").read_text(encoding="utf-8")
        assert external_loads(text) == []
        assert "../assets/print.css" in text and "<h3>References</h3>" in text
        for rung in x.rungs:
            assert rung.moves[0].dose.describe() in text
        assert "Stop and rest if:" in text
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert 'href="cards/psoas-march.html"' in index and "04_decompression.handout.html" in index


def test_cards_escape_their_text(tmp_path: Path) -> None:
    (card, *_) = exercise_cards(tmp_path)
    assert "<script" not in card.path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_pdfs_through_chromium(tmp_path: Path) -> None:
    """PDFs come from headless Chromium (installed by .ci/run); no TeX."""
    if not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium for the PDF handouts")
        pytest.skip("chromium is not installed here")
    made, failed = build_handouts(find_notebooks(["09"]), tmp_path, jobs=1, pdf=True)
    pdf = tmp_path / "09_review.handout.pdf"
    assert failed == {} and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert (tmp_path / "cards" / "dead-hang.pdf").is_file()


@pytest.mark.slow
def test_cli_writes_handouts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["handouts", "09", "--out", str(tmp_path), "--jobs", "1"]) == 0
    assert "Wrote 5 page(s)" in capsys.readouterr().out


def test_the_checker_catches_cdn_loads() -> None:
    page = ('<script src="https://unpkg.com/x.js"></script><a href="https://doi.org/1">ok</a>'
            "<style>@import url('https://fonts.googleapis.com/css');</style>")
    assert external_loads(page) == ["https://unpkg.com/x.js", "https://fonts.googleapis.com/css"]
