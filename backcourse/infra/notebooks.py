"""Read the course notebooks as plain JSON (no kernel, no nbformat needed)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@dataclasses.dataclass(frozen=True)
class Cell:
    index: int
    kind: str
    source: str
    slide_type: str | None
    tags: tuple[str, ...]


def read(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def cells(path: Path) -> Iterator[Cell]:
    for i, raw in enumerate(read(path).get("cells", [])):
        source = raw.get("source", "")
        meta = raw.get("metadata", {})
        yield Cell(
            index=i,
            kind=raw.get("cell_type", ""),
            source="".join(source) if isinstance(source, list) else source,
            slide_type=meta.get("slideshow", {}).get("slide_type"),
            tags=tuple(meta.get("tags", ())),
        )


def markdown(path: Path, *, notes: bool = True) -> Iterator[Cell]:
    """Markdown cells; ``notes=False`` leaves out instructor notes."""
    for cell in cells(path):
        if cell.kind == "markdown" and (notes or cell.slide_type != "notes"):
            yield cell


HOW_TO_RUN_TAG = "how-to-run"
HOW_TO_RUN = (
    "**How to use this page.** In the menu at the top, choose **Run › Run All Cells**. "
    "The questions, buttons and charts then appear in order below. Your answers go into "
    "your own journal, which only you can read. The code that makes them is folded away "
    "(you see only its first line and three dots); you never need to read or change it."
    "\n\n"
    "Rather have no code at all? The course app shows the safety check, the self-tests, your "
    "plan and your log on one page: ask whoever set up the course, or see the README."
)


def tidy(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` (a notebook's JSON) as a lesson reads in JupyterLab: every code input folded
    away (the standard ``jupyter.source_hidden``) except the parameters a learner may change,
    and after the title a short note on how to run it, which slides and handouts leave out."""
    cells = [c for c in doc["cells"] if HOW_TO_RUN_TAG not in c["metadata"].get("tags", ())]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        if "parameters" in cell["metadata"].get("tags", ()):
            cell["metadata"].pop("jupyter", None)
        else:
            cell["metadata"]["jupyter"] = {"source_hidden": True}
    note = {"cell_type": "markdown", "id": "how-to-run",
            "metadata": {"slideshow": {"slide_type": "skip"}, "tags": [HOW_TO_RUN_TAG]},
            "source": HOW_TO_RUN.splitlines(keepends=True)}
    return {**doc, "cells": [*cells[:1], note, *cells[1:]]}


def main() -> None:
    """Tidy every course notebook in place (``python -m backcourse.infra.notebooks``)."""
    from backcourse.infra.paths import notebooks_dir

    for path in sorted(notebooks_dir().glob("*.ipynb")):
        doc = read(path)
        tidied = tidy(doc)
        if tidied != doc:
            path.write_text(json.dumps(tidied, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            print(f"tidied {path.name}")


if __name__ == "__main__":
    main()
