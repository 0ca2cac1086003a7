"""`backcourse handouts`: printable pages per notebook, exercise cards, optional PDFs."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from offline import external_loads

from backcourse import cli
from backcourse.content.load import load_course
from backcourse.export.handouts import build_handouts, exercise_cards, to_pdf
from backcourse.export.slides import find_notebooks
from backcourse.infra import notebooks as ipynb


def need_pdf_tools() -> None:
    """Chromium prints the PDFs and poppler's pdftotext reads them (.ci/run installs both)."""
    for tool in ("chromium", "pdftotext"):
        if not shutil.which(tool):
            if os.environ.get("CI"):
                pytest.fail(f"CI must install {tool} for the PDF handouts")
            pytest.skip(f"{tool} is not installed here")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every notebook's handout, with PDFs."""
    need_pdf_tools()
    out = tmp_path_factory.mktemp("handouts")
    made, failed = build_handouts(find_notebooks([]), out, pdf=True)
    assert failed == {} and len(made) == 10 + len(load_course().exercises)
    return out


def words(text: str) -> str:
    """Text as a reader sees it: Markdown links and emphasis dropped, spaces collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`]", "", text).split()).lower()


def headings(notebook: Path) -> list[str]:
    """Every Markdown heading a learner reads (instructor notes are not in the handout)."""
    return [words(line.lstrip("#")) for cell in ipynb.markdown(notebook, notes=False)
            for line in cell.source.splitlines() if re.match(r"#{1,6} ", line)]


def html_text(page: Path) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"),
                  flags=re.S)
    return words(html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.slow
@pytest.mark.parametrize("notebook", find_notebooks([]), ids=lambda p: p.stem)
def test_every_heading_of_a_notebook_is_in_its_handout_and_its_pdf(pages: Path,
                                                                   notebook: Path) -> None:
    page = pages / f"{notebook.stem}.handout.html"
    pdf = subprocess.run(["pdftotext", str(page.with_suffix(".pdf")), "-"], check=True,
                         capture_output=True, text=True).stdout
    # pdftotext joins a word hyphenated at a line break ("self-" / "check"): drop hyphens
    on_paper = words(pdf).replace("-", "")
    on_screen = html_text(page)
    wanted = headings(notebook)
    assert len(wanted) >= 5
    assert [h for h in wanted if h not in on_screen] == []
    assert [h for h in wanted if h.replace("-", "") not in on_paper] == []


@pytest.mark.slow
def test_handouts_print_no_widget_notes_or_empty_learner(pages: Path) -> None:
    """No instructor notes, no widget state; 08 shows an example plan, a quiz its questions."""
    for page in pages.glob("*.handout.html"):
        text = page.read_text(encoding="utf-8")
        assert "Instructor notes" not in text and "widget-state+json" not in text, page.name
        assert "No safety check on record yet" not in text, page.name
        assert 'aria-hidden="true" focusable="false"' not in text, page.name  # no animation:
        # on paper it would be a still of the first frame, as if the move had a third step
    card = (pages / "05_core_endurance.handout.html").read_text(encoding="utf-8")
    assert card.count('<div class="bc-figures bc-row"') >= 9  # every move's key frames
    assert "<figcaption>2. Hold</figcaption>" in card  # captions as text under each frame
    plan = html_text(pages / "08_my_program.handout.html")
    assert "what to do next session" in plan and "made-up example learner" in plan
    course = load_course()
    for question in course.quiz_for("08"):
        assert words(question.question) in plan


@pytest.mark.slow
def test_handouts_are_printable_offline_pages_without_code(pages: Path) -> None:
    for name in ("04_hanging.handout.html", "08_my_program.handout.html"):
        text = (pages / name).read_text(encoding="utf-8")
        assert 'href="assets/print.css"' in text and (pages / "assets" / "print.css").is_file()
        assert external_loads(text) == []
        assert "lesson.exercise" not in text and "journal_home = None" not in text
    assert "Traction" in (pages / "04_hanging.handout.html").read_text(encoding="utf-8")
    assert "@media print" in (pages / "assets" / "print.css").read_text(encoding="utf-8")


@pytest.mark.slow
def test_handouts_bring_only_the_shared_files_their_pages_load(pages: Path) -> None:
    """Not the slides' reveal.js, jQuery and widget manager (2 MB the pages never load)."""
    linked = {name for page in pages.rglob("*.html") for name in re.findall(
        r'(?:src|href)="(?:\.\./)*assets/([^"/?#]+)', page.read_text(encoding="utf-8"))}
    assert linked == {"print.css", "require.js"}
    assert {p.name for p in (pages / "assets").iterdir()} == linked | {"licenses"}
    assert sum(p.stat().st_size for p in (pages / "assets").rglob("*") if p.is_file()) < 200_000


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
    assert 'href="cards/psoas-march.html"' in index and "04_hanging.handout.html" in index


@pytest.mark.slow
def test_a_handouts_first_page_speaks_of_a_lesson_and_prints_citations_in_brackets(
        pages: Path) -> None:
    for name in ("03_hip_flexor_strength", "05_core_endurance"):
        text = html_text(pages / f"{name}.handout.html")
        intro = text[text.index(" · "):text.index("time needed")]  # after the page title
        assert "this lesson" in intro and "notebook" not in intro, name
    text = html_text(pages / "03_hip_flexor_strength.handout.html")
    assert "two-leg work ( ratamess 2009 )." in text  # the link's tags leave the spaces
    assert "work ratamess 2009." not in text


def test_a_printed_citation_run_gets_brackets_once() -> None:
    import nbformat

    from backcourse.export.handouts import printable

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "Two-leg work [Ratamess 2009](#ref-ratamess2009). Best [Hayden 2021b](#ref-hayden2021b),"
        " [NICE 2016](#ref-nice2016). Kept ([Wegner 2013](#ref-wegner2013)); [a link](#refs)."),
        nbformat.v4.new_code_cell("x = '[A 2001](#ref-a2001)'")]
    printed = printable(nb)
    assert printed.cells[0].source == (
        "Two-leg work ([Ratamess 2009](#ref-ratamess2009)). Best ([Hayden 2021b]"
        "(#ref-hayden2021b), [NICE 2016](#ref-nice2016)). Kept ([Wegner 2013]"
        "(#ref-wegner2013)); [a link](#refs).")
    assert printed.cells[1].source == "x = '[A 2001](#ref-a2001)'"


def test_cards_escape_their_text(tmp_path: Path) -> None:
    (card, *_) = exercise_cards(tmp_path)
    assert "<script" not in card.path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_pdfs_through_chromium(pages: Path) -> None:
    """PDFs come from headless Chromium (installed by .ci/run); no TeX."""
    pdf = pages / "09_review.handout.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert (pages / "cards" / "dead-hang.pdf").is_file()


@pytest.mark.slow
def test_a_page_given_by_a_relative_path_prints(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`--out reports` (relative, as people type it) prints PDFs too."""
    need_pdf_tools()
    monkeypatch.chdir(tmp_path)
    Path("page.html").write_text("<h1>Relative</h1>", encoding="utf-8")
    pdf = to_pdf(Path("page.html"), shutil.which("chromium") or "")
    assert pdf == Path("page.pdf") and "Relative" in subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_cli_writes_handouts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["handouts", "09", "--out", str(tmp_path), "--jobs", "1"]) == 0
    assert "Wrote 5 page(s)" in capsys.readouterr().out


def test_the_checker_catches_cdn_loads() -> None:
    page = ('<script src="https://unpkg.com/x.js"></script><a href="https://doi.org/1">ok</a>'
            "<style>@import url('https://fonts.googleapis.com/css');</style>")
    assert external_loads(page) == ["https://unpkg.com/x.js", "https://fonts.googleapis.com/css"]
