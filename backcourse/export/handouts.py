"""Printable handouts per notebook and an exercise card per exercise (`backcourse handouts`)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from backcourse.content.load import load_course
from backcourse.export.run import copy_assets, export_config, fan_out, run_notebook
from backcourse.infra.files import folder
from backcourse.render import html as render
from backcourse.render.pages import page, trusted


@dataclasses.dataclass(frozen=True)
class Handout:
    title: str
    path: Path


def page_exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(config=export_config(), template_name="offline_handout")  # type: ignore[no-untyped-call]


def notebook_handout(path: Path, out: Path) -> Handout:
    """Run a notebook against an empty journal and write it as a printable page."""
    with tempfile.TemporaryDirectory(prefix="backcourse-handout-") as work:
        nb = run_notebook(path, Path(work) / "learner")
    body, _ = page_exporter().from_notebook_node(nb)
    target = out / f"{path.stem}.handout.html"
    target.write_text(body, encoding="utf-8")
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
        body = render.wrap(render.exercise_card(x, course, animate=False), render.evidence_table(
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
    """Print one page to PDF with headless Chromium (no TeX needed)."""
    target = page.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--no-first-run",
                        f"--user-data-dir={profile}", "--virtual-time-budget=5000",
                        "--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
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
    copy_assets(out)
    made, failed = fan_out(notebooks, lambda p: notebook_handout(p, out), jobs, on_done)
    cards = exercise_cards(out)
    write_index(made, cards, out)
    if pdf:
        for page in [h.path for h in made] + [c.path for c in cards]:
            to_pdf(page, browser)
    return made + cards, failed
