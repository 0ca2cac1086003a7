"""Whole pages (contact sheet, slide and handout indexes, the group summary) from Jinja2
templates in ``render/templates``, with every value escaped unless it is marked as HTML
the render layer already built."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def page(template: str, **values: object) -> str:
    """A page from ``template``; plain text in ``values`` is escaped."""
    rendered: str = _environment().get_template(template).render(**values)
    return rendered


def trusted(html: str) -> object:
    """HTML that the render layer built (and escaped) itself, to insert as it is."""
    from markupsafe import Markup

    return Markup(html)


@functools.cache
def stylesheet(name: str) -> str:
    """A stylesheet in ``render/templates`` as a ``<style>`` element, for HTML that carries
    its own look (the widget views)."""
    return f"<style>\n{(TEMPLATES / name).read_text(encoding='utf-8')}</style>"
