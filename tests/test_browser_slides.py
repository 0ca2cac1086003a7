"""Real browser: exported decks opened from file:// with every network request blocked; every
slide and fragment of every deck fits the 1280x720 deck with its figures in view, and their
captions are big enough to read from the back of a room."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_page, need_chromium, output_dir

from backcourse.export.slides import HEIGHT, WIDTH, build_slides, find_notebooks

pytestmark = pytest.mark.browser

# What is wrong with the slide on screen: taller than the deck, a figure (picture, drawing,
# chart) not wholly inside the window, or words or a figure under the navigation arrows. What a
# closed <details> holds (a thumbnail's "Show every step") is not shown, though Chromium still
# gives it a box just below the summary.
PROBLEMS = """([width, height]) => {
  const slide = Reveal.getCurrentSlide();
  const problems = [];
  if (slide.scrollHeight > height + 1) {
    problems.push(`content is ${slide.scrollHeight} px tall, more than ${height}`);
  }
  const hidden = e => e.closest('aside, details:not([open]) > :not(summary)');
  for (const e of slide.querySelectorAll('img, svg, canvas, figure')) {
    if (hidden(e) || (e.parentElement && e.parentElement.closest('svg'))) continue;
    const box = e.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    if (box.top < -1 || box.left < -1 || box.bottom > innerHeight + 1 || box.right > innerWidth + 1)
      problems.push(`${e.tagName} out of view at ${Math.round(box.left)},${Math.round(box.top)}`);
  }
  const arrows = [...document.querySelectorAll('.reveal .controls button')]
    .map(b => b.getBoundingClientRect()).filter(b => b.width > 0);
  const under = b => arrows.some(a => b.right > a.left && b.left < a.right
                                      && b.bottom > a.top && b.top < a.bottom);
  const walk = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    const e = t.parentElement;
    if (!t.textContent.trim() || hidden(e) || getComputedStyle(e).visibility !== 'visible'
        || +getComputedStyle(e).opacity === 0) continue;
    const words = document.createRange();
    words.selectNodeContents(t);
    if ([...words.getClientRects()].some(under))
      problems.push(`under the arrows: ${t.textContent.trim().slice(0, 40)}`);
  }
  for (const e of slide.querySelectorAll('img, svg, canvas')) {
    if (!hidden(e) && e.getClientRects().length && under(e.getBoundingClientRect()))
      problems.push(`a ${e.tagName} under the arrows`);
  }
  return problems;
}"""

# Every figure caption in view smaller than a room can read (slide px): text captions, and any
# caption drawn inside a figure's picture (SVG text, which shrinks with the picture). A closed
# <details> (a thumbnail's "Show every step") shows only its summary.
MIN_CAPTION_PX = 24
SMALL_CAPTIONS = """(least) => {
  const slide = Reveal.getCurrentSlide();
  const seen = e => e.getClientRects().length > 0
    && !e.closest('aside, details:not([open]) > :not(summary)');
  const small = [];
  for (const c of slide.querySelectorAll('.bc-figures figcaption')) {
    const px = parseFloat(getComputedStyle(c).fontSize);
    if (seen(c) && px < least) small.push(`${c.textContent.trim()}: ${px} px`);
  }
  for (const i of slide.querySelectorAll('.bc-figures img')) {
    const svg = i.src.startsWith('data:image/svg+xml;base64,') ? atob(i.src.split(',')[1]) : '';
    const text = svg.match(/font-size="([\\d.]+)"/);
    const box = svg.match(/viewBox="[\\d. ]+ ([\\d.]+)"/);
    const px = text && box ? +text[1] * i.clientHeight / +box[1] : least;
    if (seen(i) && px < least) small.push(`caption in a picture: ${px.toFixed(1)} px`);
  }
  for (const t of slide.querySelectorAll('.bc-figures svg text')) {
    const svg = t.closest('svg'), scale = svg.clientHeight / svg.viewBox.baseVal.height;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (seen(svg) && px < least) small.push(`${t.textContent.trim()}: ${px.toFixed(1)} px`);
  }
  return small;
}"""

# Any words on a slide (outside pictures, whose text scales with them) smaller than this can
# not be read from the back of a room: the evidence table's "how sure" notes, a source line.
MIN_TEXT_PX = 16
SMALL_TEXT = """(least) => {
  const slide = Reveal.getCurrentSlide();
  const small = [];
  const walk = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    const e = t.parentElement;
    if (!t.textContent.trim() || e.closest('svg, aside, details:not([open]) > :not(summary)')
        || !e.getClientRects().length) continue;
    const px = parseFloat(getComputedStyle(e).fontSize);
    if (px < least) small.push(`${t.textContent.trim().slice(0, 40)}: ${px} px`);
  }
  return small;
}"""

# What a slide shows on arrival, before any fragment: visible words or a picture other than
# its "(continued)" line (a slide split before a fragment used to open blank)
SHOWS = """() => {
  const slide = Reveal.getCurrentSlide();
  const seen = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible'
    && +getComputedStyle(e).opacity > 0;
  const own = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  return [...slide.querySelectorAll('*')].some(
    e => seen(e) && !e.closest('.bc-continued, aside, script, style')
      && (e.matches('img, svg, canvas, button, select') || own(e)));
}"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    need_chromium()
    out = tmp_path_factory.mktemp("slides")
    built, failed = build_slides(find_notebooks([]), out, jobs=2)
    assert not failed
    return sorted(d.path for d in built)


def test_slides_work_offline_and_step_with_the_keyboard(
        decks: list[Path], request: pytest.FixtureRequest) -> None:
    shots = output_dir(request)
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.goto(decks[0].as_uri())
        page.wait_for_selector(".reveal.ready", timeout=20_000)
        first = page.evaluate("location.hash")
        title = page.inner_text(".reveal .slides > section.present")
        page.screenshot(path=str(shots / "1-title.png"))
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"location.hash !== {first!r}", timeout=5_000)
        assert "start here" in title.lower()
        assert page.inner_text(".reveal .slides > section.present") != title
        assert page.locator(".widget-toggle-buttons").count() > 0  # embedded widget state
        page.screenshot(path=str(shots / "2-next.png"))
    assert watch.problems() == ([], [], [])


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(10)])
def test_every_slide_and_fragment_fits_the_deck(decks: list[Path], number: str,
                                               request: pytest.FixtureRequest) -> None:
    """Step through the deck as a presenter would, one fragment at a time: every slide fits,
    shows something on arrival, has nothing under the arrows, every figure caption in view is
    at least 24 px and every other word at least 16 px."""
    (deck,) = [d for d in decks if d.name.startswith(number)]
    shots = output_dir(request)
    seen: dict[str, list[str]] = {}
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        page.goto(deck.as_uri())
        page.wait_for_selector("body[data-bc-fitted=yes]", timeout=30_000)
        page.evaluate("Reveal.configure({transition: 'none'})")
        for step in range(2000):
            where = page.evaluate("JSON.stringify(Reveal.getIndices())")
            problems = page.evaluate(PROBLEMS, [WIDTH, HEIGHT])
            problems += page.evaluate(SMALL_CAPTIONS, MIN_CAPTION_PX)
            problems += page.evaluate(SMALL_TEXT, MIN_TEXT_PX)
            if page.evaluate("Reveal.getIndices().f === undefined || Reveal.getIndices().f < 0") \
                    and not page.evaluate(SHOWS):
                problems.append("opens blank: nothing shows before a key press")
            if problems:
                seen[where] = problems
                page.screenshot(path=str(shots / f"step-{step}.png"))
            if page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
                break
            page.evaluate("Reveal.next()")
        slides = page.evaluate("Reveal.getTotalSlides()")
    assert seen == {}
    assert slides >= 5 and watch.problems() == ([], [], [])
