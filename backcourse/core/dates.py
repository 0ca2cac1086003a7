"""Dates as the course writes them, YYYY-MM-DD and nothing else, and as a learner reads
them, 'Mon 30 Nov 2026' (pure).

The roster, the journal, notebook parameters and the notebooks all read dates here, and
everything a learner sees writes them here.
"""

from __future__ import annotations

import datetime as dt
import re

from backcourse.core.parse import brief

PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def parse_date(text: str) -> dt.date:
    """The date ``text`` names; ValueError for anything else, including the other forms
    ``date.fromisoformat`` takes (20260105, 2026-W01-1)."""
    if isinstance(text, str) and re.fullmatch(PATTERN, text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{brief(text)} is not a real date written like 2026-03-02 (YYYY-MM-DD)")


def how_long(earlier: dt.date, later: dt.date) -> str:
    """How far apart two days are as a reader says it, to the nearest whole day, week or
    month: '1 day', '10 days', '8 weeks', '3 months' (6 Apr to 5 Jul is 3 months)."""
    days = abs((later - earlier).days)
    if days < 14:
        count, unit = days, "day"
    elif days < 63:
        count, unit = round(days / 7), "week"
    else:
        count, unit = round(days / (365.25 / 12)), "month"
    return f"{count} {unit}" + ("" if count == 1 else "s")


def spoken(day: dt.date, *, year: bool = True) -> str:
    """A day as a learner reads it, everywhere: 'Mon 30 Nov 2026', or 'Mon 30 Nov' without
    the year (where the year is plain, as in this week's calendar)."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if year else "")


def recent_days(today: dt.date, count: int) -> list[tuple[str, dt.date]]:
    """The last ``count`` days, today first, each named for a menu: 'Today, Mon 30 Nov',
    'Yesterday, Sun 29 Nov', 'Sat 28 Nov', ..."""
    names = {0: "Today, ", 1: "Yesterday, "}
    return [(names.get(n, "") + spoken(today - dt.timedelta(days=n), year=False),
             today - dt.timedelta(days=n)) for n in range(count)]
