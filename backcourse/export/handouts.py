"""Printable handouts per notebook and an exercise card per exercise (`backcourse handouts`).

A handout keeps every word a learner reads in the notebook (title, headings, prose, tables,
figures, key points); code, instructor notes and widgets are left out. A notebook that reads
a journal runs on a made-up example learner, so the plan and charts show what they look like.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import stat
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from backcourse.content.load import load_course
from backcourse.export.run import (
    PRINTED,
    copy_assets,
    export_config,
    fan_out,
    frame_figures,
    frame_outputs,
    run_notebook,
)
from backcourse.infra.files import folder
from backcourse.render import html as render
from backcourse.render.pages import page, trusted

WIDGET = "application/vnd.jupyter.widget-view+json"
#: a run of citation links not yet in brackets: on paper a link reads as plain words, so
#: "two-leg work [Ratamess 2009](#ref-ratamess2009)." would print as one broken sentence
_CITE = r"\[[^\]\n]+\]\(#ref-[\w-]+\)"
BARE_CITATIONS = re.compile(rf"(?<!\()({_CITE}(?:[,;] {_CITE})*)(?!\))")
EXAMPLE_WEEKS = 4  # how far into the programme the example learner is
INTERACTIVE = ('<p class="bc-print-note"><em>On screen, this part is something you fill in or '
               "use (a form, a quiz or a player). Open the notebook or the app to use it.</em>"
               "</p>")


@dataclasses.dataclass(frozen=True)
class Handout:
    title: str
    path: Path


def page_exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(config=export_config(), template_name="offline_handout")  # type: ignore[no-untyped-call]


class Pages:
    """One page exporter for a whole run: nbconvert and its templates load and compile
    once (warmed on an empty notebook as it is made), not once per notebook. The jobs'
    threads take turns (an export is Python work that holds the interpreter anyway)."""

    def __init__(self) -> None:
        import nbformat

        self._exporter = page_exporter()
        self._turn = threading.Lock()
        self.html(nbformat.v4.new_notebook())  # type: ignore[no-untyped-call]

    def html(self, nb: Any) -> str:
        """The notebook as a printable page's HTML."""
        with self._turn:
            body, _ = self._exporter.from_notebook_node(nb)
        return str(body)


def example_learner(home: Path) -> None:
    """A made-up learner a few weeks into the programme, in ``home`` as learner "me"."""
    import datetime as dt

    from backcourse.journal.samples import write_persona
    from backcourse.journal.store import Journal, journal_path

    start = dt.date.today() - dt.timedelta(weeks=EXAMPLE_WEEKS)
    with Journal(journal_path("me", home)) as journal:
        write_persona(journal, "alex", start=start, weeks=EXAMPLE_WEEKS)


def printable(nb: Any) -> Any:
    """The notebook as it prints: no instructor notes, no widget state, each widget
    replaced by its printable form (a quiz prints its questions) or a short note, each
    exercise figure as a row of its key frames with text captions (no animation), and
    citations in brackets."""
    nb.metadata.pop("widgets", None)
    nb.cells = [c for c in nb.cells
                if c.metadata.get("slideshow", {}).get("slide_type") != "notes"]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = BARE_CITATIONS.sub(r"(\1)", cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET in data:
                del data[WIDGET]
                data.setdefault("text/html", INTERACTIVE)
    frame_outputs(nb, motion=False)
    return nb


def with_example_note(nb: Any) -> Any:
    """Say, under the title, that a notebook's plan and charts are the example learner's."""
    import nbformat

    if any("journal_home" in c.source for c in nb.cells if "parameters" in
           c.metadata.get("tags", ())):
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
            '<div class="bc-print-note"><p><em>Where this page shows a plan, a log or '
            "charts, they belong to a made-up example learner "
            f"{EXAMPLE_WEEKS} weeks into the programme. Yours come from your own journal."
            "</em></p></div>"))
    return nb


def notebook_handout(path: Path, out: Path, browser: str = "") -> Handout:
    """Run a notebook for the example learner and write it as a printable page (and a PDF
    with ``browser``)."""
    with tempfile.TemporaryDirectory(prefix="backcourse-handout-") as work:
        example_learner(Path(work) / "learner")
        nb = run_notebook(path, Path(work) / "learner")
    body, _ = page_exporter().from_notebook_node(with_example_note(printable(nb)))
    target = out / f"{path.stem}.handout.html"
    target.write_text(body, encoding="utf-8")
    if browser:
        to_pdf(target, browser)
    title = next((c.source.splitlines()[0][2:] for c in nb.cells
                  if c.cell_type == "markdown" and c.source.startswith("# ")), path.stem)
    return Handout(title, target)


def exercise_cards(out: Path) -> list[Handout]:
    """One page per exercise: its ladder with cues, dose, mistakes, when to stop, references."""
    course = load_course()
    cards_folder = folder(out / "cards")
    cards = []
    for x in course.exercises:
        keys = {k for e in x.evidence for k in course.statement(e).refs}
        refs = render.reference_list(course.reference(k) for k in keys)
        card = frame_figures(render.exercise_card(x, course, animate=False), motion=False)
        body = render.wrap(card, render.evidence_table(
            [course.statement(e) for e in x.evidence], course), refs)
        target = cards_folder / f"{x.id}.html"
        target.write_text(page("page.html.j2", title=x.name, stylesheet="../assets/print.css",
                               body=trusted(body)), encoding="utf-8")
        cards.append(Handout(x.name, target))
    return cards


def write_index(notebooks: Sequence[Handout], cards: Sequence[Handout], out: Path) -> Path:
    def links(items: Sequence[Handout]) -> list[dict[str, str]]:
        return [{"href": h.path.relative_to(out).as_posix(), "title": h.title} for h in items]

    index = out / "index.html"
    index.write_text(page("handouts_index.html.j2", title="backcourse handouts",
                          stylesheet="assets/print.css",
                          notebooks=links(sorted(notebooks, key=lambda h: h.path.name)),
                          cards=links(cards)), encoding="utf-8")
    return index


def to_pdf(page: Path, browser: str) -> Path:
    """Print one page to PDF with headless Chromium (no TeX needed), beside the page and
    with its permissions (a private report's PDF is private too)."""
    target = page.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--no-first-run",
                        f"--user-data-dir={profile}", "--virtual-time-budget=5000",
                        "--no-pdf-header-footer", f"--print-to-pdf={target.resolve()}",
                        page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    target.chmod(stat.S_IMODE(page.stat().st_mode))
    return target


def find_browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("PDF needs Chromium: install it (Debian: apt-get install chromium)")


def build_handouts(
    notebooks: Sequence[Path], out: Path, *, jobs: int = 2, pdf: bool = False,
    on_done: Callable[[Path], None] | None = None,
) -> tuple[list[Handout], dict[Path, Exception]]:
    """Handouts for the notebooks, every exercise card and an index; PDFs if asked."""
    browser = find_browser() if pdf else ""
    folder(out)
    copy_assets(out, only=PRINTED)  # what the pages load; not the slides' reveal.js, widgets
    made, failed = fan_out(notebooks, lambda p: notebook_handout(p, out, browser), jobs,
                           on_done)
    cards = exercise_cards(out)
    write_index(made, cards, out)
    if pdf:
        _, broken = fan_out([c.path for c in cards], lambda page: to_pdf(page, browser), jobs)
        for error in broken.values():
            raise error
    return made + cards, failed
