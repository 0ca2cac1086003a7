"""Real browser, pages as printed on A4: the pictures on the home exercise sheet and on the
exercise cards are large enough to follow at home (a physiotherapist found the sheet's old
stacked frames about 2 cm tall; the cards printed each animation as a repeated first frame)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from browser import browser_page, need_chromium, output_dir

from backcourse.content.load import load_course
from backcourse.export.handouts import exercise_cards
from backcourse.journal.samples import PERSONAS, write_persona
from backcourse.journal.store import Journal, journal_path
from backcourse.render.report import STYLE
from backcourse.report import ClientReport

pytestmark = pytest.mark.browser

A4_TEXT_PX = (210 - 2 * 11) * 96 / 25.4  # A4 less the sheet's side margins
CARD_TEXT_PX = (210 - 2 * 14) * 96 / 25.4  # A4 less print.css's side margins
MM = 25.4 / 96
PRINT_CSS = Path(__file__).resolve().parents[1] / "backcourse/export/slide_assets/print.css"


def test_each_move_on_the_home_sheet_has_one_large_picture(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    (tmp_path / "clinic.yaml").write_text("name: Riverside Physiotherapy\ntherapist: Jo Okafor\n"
                                          "contact: 020 7946 0000\n")
    seen = 0
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.set_viewport_size({"width": round(A4_TEXT_PX), "height": 1100})
        page.emulate_media(media="print")
        for persona in PERSONAS:
            with Journal(journal_path(persona, tmp_path)) as journal:
                write_persona(journal, persona, seed=3)
            sheet = ClientReport(persona, str(tmp_path), weeks=6, sessions_per_week=2,
                                 today="2026-04-06",
                                 clinic=str(tmp_path / "clinic.yaml")).home_sheet()
            if not sheet:  # a plan on hold has no sheet
                continue
            target = tmp_path / f"{persona}.html"
            target.write_text(f'<!doctype html><html><head><link rel="stylesheet" '
                              f'href="{PRINT_CSS.as_uri()}"></head><body>{STYLE}{sheet}'
                              "</body></html>", encoding="utf-8")  # as the report links both
            page.goto(target.as_uri())
            page.wait_for_function("[...document.images].every(i => i.complete)")
            page.screenshot(path=str(shots / f"{persona}.png"), full_page=True)
            pictures = page.evaluate(
                "[...document.querySelectorAll('.bc-sheet-figure')].map(i => {"
                "const r = i.getBoundingClientRect(); return [i.alt, i.src, r.width, r.height]})")
            assert len(pictures) == 5, persona  # a move per row: hang, march and the big three
            rows = page.evaluate("[...document.querySelectorAll('.bc-sheet .bc-item')].map("
                                 "i => i.getBoundingClientRect().height)")
            assert sum(rows) * MM < 170, (persona, rows)  # room left on the page for the rules
            for alt, src, width, height in pictures:
                svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
                assert len(re.findall(r'class="bc-frame"', svg)) == 1, alt  # one position
                width, height = width * MM, height * MM
                assert height >= 15 and (height >= 25 or width >= 45), (persona, alt, width,
                                                                        height)
                seen += 1
        assert watch.problems() == ([], [], [])
    assert seen >= 10


def test_every_key_frame_on_an_exercise_card_prints_large_with_its_caption_as_text(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    cards = exercise_cards(tmp_path)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "print.css").write_text(PRINT_CSS.read_text(encoding="utf-8"),
                                                   encoding="utf-8")
    course = load_course()
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.set_viewport_size({"width": round(CARD_TEXT_PX), "height": 1100})
        page.emulate_media(media="print")
        for card in cards:
            page.goto(card.path.as_uri())
            page.wait_for_function("[...document.images].every(i => i.complete)")
            page.screenshot(path=str(shots / f"{card.path.stem}.png"), full_page=True)
            assert page.locator("svg[aria-hidden='true']").count() == 0  # no animation
            frames = page.evaluate(
                "[...document.querySelectorAll('.bc-row')].map(row => [row.dataset.figure, "
                "[...row.querySelectorAll('figure')].map(f => { const r = f.querySelector("
                "'img').getBoundingClientRect(); const c = f.querySelector('figcaption'); "
                "return [r.width, r.height, c.innerText, parseFloat(getComputedStyle(c)"
                ".fontSize)]})])")
            x = next(x for x in course.exercises if x.name == card.title)
            assert [f for f, _ in frames] == [m.id for r in x.rungs for m in r.moves]
            for figure, shown in frames:
                assert len(shown) == len(next(f for f in course.figures
                                              if f.id == figure).frames), figure
                for width, height, caption, size in shown:
                    width, height = width * MM, height * MM
                    assert height >= 15 and (height >= 45 or width >= 50), (figure, width,
                                                                            height)
                    assert caption.strip() and size >= 13, (figure, caption, size)  # 10 pt
        assert watch.problems() == ([], [], [])
