"""Offline reveal.js slides for the course notebooks (instructor tool behind `backcourse slides`).

Each notebook is executed in a fresh kernel with an empty, throw-away learner folder, so
no one's journal ends up on a slide. The decks share one `assets/` folder, written once.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from backcourse.content.load import instructor_notes
from backcourse.core.errors import BackcourseError
from backcourse.export.run import copy_assets, export_config, fan_out, frame_outputs, run_notebook
from backcourse.infra.files import folder
from backcourse.infra.paths import notebooks_dir
from backcourse.render.pages import page

WIDTH, HEIGHT = 1280, 720  # every slide fits this box (the template splits taller ones)


@dataclasses.dataclass(frozen=True)
class Deck:
    notebook: str
    title: str
    path: Path


def find_notebooks(names: Sequence[str]) -> list[Path]:
    """The course notebooks named (by file name, stem or number), or all of them."""
    every = sorted(notebooks_dir().glob("*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        given = Path(name)
        if given.suffix == ".ipynb" and given.is_file():
            chosen.append(given)
            continue
        match = [p for p in every if name in (p.name, p.stem, p.name[:2])]
        if not match:
            known = ", ".join(p.stem for p in every)
            raise BackcourseError(f"no notebook {name!r}; choose from: {known}")
        chosen.extend(match)
    return list(dict.fromkeys(chosen))  # naming a notebook twice builds it once


def _exporter() -> object:
    from nbconvert import SlidesExporter

    c = export_config()
    c.SlidesExporter.reveal_url_prefix = "assets/reveal.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_width = str(WIDTH)
    c.SlidesExporter.reveal_height = str(HEIGHT)
    c.HTMLExporter.jquery_url = "assets/jquery.min.js"
    return SlidesExporter(config=c, template_name="offline_reveal")  # type: ignore[no-untyped-call]


def _title(nb: object, fallback: str) -> str:
    for cell in getattr(nb, "cells", []):
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return str(cell.source.splitlines()[0][2:].strip())
    return fallback


def _add_notes(nb: Any, name: str) -> None:
    """The instructors' notes for this notebook as speaker notes, each after its cell."""
    import nbformat

    for note in reversed(instructor_notes()):
        if note.notebook != name:
            continue
        at = next(i for i, c in enumerate(nb.cells) if c.get("id") == note.after)
        nb.cells.insert(at + 1, nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
            note.says, metadata={"slideshow": {"slide_type": "notes"}}))


def build_deck(path: Path, out: Path) -> Deck:
    """Execute one notebook and write its slides as ``out/<name>.slides.html``."""
    with tempfile.TemporaryDirectory(prefix="backcourse-slides-") as work:
        nb = run_notebook(path, Path(work) / "learner")
    _add_notes(nb, path.name)
    frame_outputs(nb)
    body, _resources = _exporter().from_notebook_node(nb)  # type: ignore[attr-defined]
    target = out / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return Deck(path.name, _title(nb, path.stem), target)


def write_index(decks: Sequence[Deck], out: Path) -> Path:
    """A plain page linking every deck, in course order."""
    listed = [{"href": d.path.name, "title": d.title}
              for d in sorted(decks, key=lambda d: d.notebook)]
    index = out / "index.html"
    index.write_text(page("slides_index.html.j2", title="backcourse slides", stylesheet=None,
                          decks=listed), encoding="utf-8")
    return index


def build_slides(
    notebooks: Sequence[Path],
    out: Path,
    *,
    jobs: int = 2,
    on_done: Callable[[Path], None] | None = None,
) -> tuple[list[Deck], dict[Path, Exception]]:
    """Build decks in parallel (one kernel per notebook); keep going past a failure."""
    folder(out)
    copy_assets(out)
    decks, failed = fan_out(notebooks, lambda p: build_deck(p, out), jobs, on_done)
    write_index(decks, out)
    return decks, failed
