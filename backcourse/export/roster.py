"""The instructor's roster (CSV, one client per row), validated before any report runs.

Columns: client_id (required), name, journal (an exported journal JSON, relative to the
roster and inside its folder), or instead flags (warning-sign ids answered yes, space
separated; "none" when the safety check found none), optionally screening (its outcome,
checked against the course's rules), cleared (yes when a clinician has checked the signs)
and any baseline results: pain_now and the timed tests in seconds (trunk_flexion,
back_extension_floor, trunk_extension, side_bridge_left, side_bridge_right,
knee_lift_hold_left, knee_lift_hold_right); then weeks, sessions_per_week, today
(YYYY-MM-DD).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backcourse.core.assessment import InputProblem, read_rating, read_seconds
from backcourse.core.course import Course
from backcourse.core.dates import parse_date
from backcourse.core.parse import brief, shorten
from backcourse.core.records import Outcome
from backcourse.core.screening import SEVERITY, can_clear, judge
from backcourse.infra.files import read_text

TIMED = ("trunk_flexion", "back_extension_floor", "trunk_extension", "side_bridge_left",
         "side_bridge_right", "knee_lift_hold_left", "knee_lift_hold_right")
COLUMNS = ("client_id", "name", "journal", "screening", "flags", "cleared", "pain_now", *TIMED,
           "weeks", "sessions_per_week", "today")
RESERVED = {"index", "assets"}  # file names the summary and the shared files use
LONGEST_S = 3600


class RosterError(ValueError):
    """Every problem in the roster, each naming its row and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclasses.dataclass(frozen=True)
class Client:
    row: int
    client_id: str
    file_id: str  # safe for a file name, unique in the roster
    name: str
    journal: Path | None
    screening: Outcome | None
    flags: tuple[str, ...]
    cleared: bool
    results: dict[str, float]
    pain_now: int | None
    weeks: int
    sessions_per_week: int
    today: str


def safe_id(raw: str) -> str:
    """A file-name-safe form of a client id: letters, digits, '-' and '_', at most 40."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-_")[:40].strip("-_")
    return cleaned or "client"


def _table(path: Path) -> tuple[list[str], list[tuple[int, dict[str | None, Any]]]]:
    """The roster's header, and each row with its line number; RosterError if the file
    cannot be read as CSV."""
    try:
        text = read_text(path, encoding="utf-8-sig")
    except OSError as exc:
        raise RosterError([f"cannot read the roster: {exc}"]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = list(reader.fieldnames or [])
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        number = reader.line_num + 1  # the row that failed starts on the next line
        limit = csv.field_size_limit()
        reason = (f"a cell is longer than {limit:,} characters"
                  if f"field limit ({limit})" in str(exc) else f"is not valid CSV ({exc})")
        raise RosterError([f"row {number}: {reason}; nothing was run"]) from None
    return header, rows


def read_roster(path: Path, course: Course) -> list[Client]:
    """Parse and check the whole roster; raise RosterError listing every problem."""
    header, rows = _table(path)
    problems: list[str] = []
    if "client_id" not in header:
        problems.append("row 1, column client_id: the header needs a client_id column")
    for i, column in enumerate(header, start=1):
        if not column.strip():
            problems.append(f"row 1, column {i}: the header has an empty column name")
        elif column not in COLUMNS:
            problems.append(f"row 1, column {shorten(column, 40)}: unknown column (known: "
                            f"{', '.join(COLUMNS)})")
        elif header.count(column) > 1 and header.index(column) == i - 1:
            problems.append(f"row 1, column {column}: the column appears twice")
    if problems:
        raise RosterError(problems)
    clients: list[Client] = []
    seen: dict[str, int] = {}
    used: set[str] = set(RESERVED)
    for number, row in rows:

        def bad(column: str, message: str, number: int = number) -> None:
            problems.append(f"row {number}, column {column}: {message}")

        if None in row:
            problems.append(f"row {number}: has more cells than the header has columns")
        cell = {k: (v or "").strip() for k, v in row.items() if k}
        raw_id = cell.get("client_id", "")
        if not raw_id:
            bad("client_id", "is empty")
        elif raw_id in seen:
            bad("client_id", f"{brief(raw_id)} is already used in row {seen[raw_id]}")
        seen.setdefault(raw_id, number)
        journal: str = cell.get("journal", "")
        journal_path = (path.parent / journal) if journal else None
        if journal_path is not None and not _inside(journal_path, path.parent):
            bad("journal", f"{shorten(journal, 300)} is outside the roster's folder; keep "
                "exports beside the roster or in a folder below it, and name them from there")
        elif journal_path is not None and not os.path.lexists(journal_path):
            bad("journal", f"{shorten(journal, 300)} does not exist (paths are relative to "
                "the roster)")
        elif journal_path is not None:
            for problem in _journal_problems(journal_path, course):
                bad("journal", problem)
        given = [c for c in ("screening", "flags", "cleared", "pain_now", *TIMED) if cell.get(c)]
        if journal_path is not None and given:
            bad(given[0], "give either a journal or the safety check and results, not both")
        screening, flags, cleared = _safety_check(cell, course, bad) if journal_path is None \
            else (None, (), False)
        results: dict[str, float] = {}
        for key in TIMED:
            if cell.get(key):
                test = course.self_test(key.rsplit("_", 1)[0] if key.endswith(("_left", "_right"))
                                        else key)
                try:
                    results[key] = read_seconds(test, cell[key], confirmed=True)
                except InputProblem as exc:
                    bad(key, str(exc))
                    continue
                if results[key] > LONGEST_S:
                    bad(key, f"{results[key]:g} s is over an hour; check the value")
        pain = None
        if cell.get("pain_now"):
            try:
                pain = read_rating(cell["pain_now"])
            except InputProblem as exc:
                bad("pain_now", str(exc))
        weeks = _whole(cell.get("weeks") or "8", 1, 52, "weeks", bad)
        per_week = _whole(cell.get("sessions_per_week") or "3", 1, 5, "sessions_per_week", bad)
        today = cell.get("today") or dt.date.today().isoformat()
        try:
            parse_date(today)
        except ValueError as exc:
            bad("today", str(exc))
        file_id, n = safe_id(raw_id), 2
        while file_id.lower() in used:  # also never "index" or "assets"
            file_id, n = f"{safe_id(raw_id)[:36]}-{n}", n + 1
        used.add(file_id.lower())
        clients.append(Client(number, raw_id, file_id, cell.get("name", ""), journal_path,
                              screening, flags, cleared, results, pain, weeks, per_week, today))
    if not clients and not problems:
        problems.append("row 2: the roster has no clients")
    if problems:
        raise RosterError(problems)
    return clients


def _safety_check(cell: dict[str, str], course: Course,
                  bad: Callable[[str, str], None]) -> tuple[Outcome | None, tuple[str, ...], bool]:
    """The outcome the course's rules give for the flags; a stated outcome must agree."""
    raw, stated = cell.get("flags", ""), cell.get("screening")
    if stated and stated not in SEVERITY:
        bad("screening", f"{brief(stated)} is not one of {', '.join(SEVERITY)}")
    if not raw and stated != "clear":
        bad("flags", "name the warning signs answered yes (for example E10), or write none")
        return None, (), False
    flags = () if raw.lower() in ("", "none") else tuple(raw.split())
    known = {f.id for f in course.red_flags}
    for f in flags:
        if f not in known:
            bad("flags", f"{brief(f)} is not a warning-sign id of this course")
    if len(set(flags)) != len(flags):
        bad("flags", "a warning sign is named twice")
    outcome = judge(course, flags).outcome
    if stated in SEVERITY and stated != outcome:
        bad("screening", f"the safety check rules give {outcome!r} for these flags, not "
            f"{brief(stated)}; leave the column empty or correct it")
    cleared = cell.get("cleared", "").lower()
    if cleared not in ("", "yes", "no"):
        bad("cleared", f"write yes or no (got {brief(cell['cleared'])})")
    elif cleared == "yes" and not can_clear(course, outcome, flags):
        bad("cleared", "only a soon or same-day outcome without a fever, injury, sepsis or "
            "chest pain can be cleared; an emergency needs a new check")
    return outcome, flags, cleared == "yes"


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, is in ``folder`` or below it."""
    return path.resolve().is_relative_to(folder.resolve())


def _journal_problems(path: Path, course: Course) -> list[str]:
    """Check an exported journal now, so no client fails later for a bad file."""
    from backcourse.journal.store import ImportRefused, read_export_file

    try:
        read_export_file(path, course)
    except OSError as exc:
        return [f"{path.name} cannot be read as a journal export: {exc}"]
    except ImportRefused as exc:
        return [f"{path.name}: {p.message}" if p.entry == "(file)" else
                f"{p.entry}: {p.field}: {p.message}" for p in exc.problems]
    return []


def _whole(text: str, low: int, high: int, column: str,
           bad: Callable[[str, str], None]) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not low <= value <= high:
        bad(column, f"must be a whole number from {low} to {high} (got {brief(text)})")
        return low
    return value
