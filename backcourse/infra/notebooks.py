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
