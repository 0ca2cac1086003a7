"""The instructor's roster (CSV, one client per row), validated before any report runs.

Columns: client_id (required), name, journal (an exported journal JSON, relative to the
roster and inside its folder), or instead flags (warning-sign ids answered yes, space
separated; "none" when the safety check found none), optionally screening (its outcome,
checked against the course's rules), cleared (yes when a clinician has checked the signs)
and any baseline results: pain_now and the timed tests in seconds (trunk_flexion,
back_extension_floor, trunk_extension, side_bridge_left, side_bridge_right,
knee_lift_hold_left, knee_lift_hold_right); then weeks, sessions_per_week, today
(YYYY-MM-DD), notes (the therapist's note to the client, shown in the report) and phone
(the client's number, shown beside them in the summary's attention list).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from backcourse.core.assessment import InputProblem, read_seconds
from backcourse.core.course import Course
from backcourse.core.dates import parse_date
from backcourse.core.errors import BackcourseError, Problem
from backcourse.core.parse import Collector, brief, parse, rule, shorten
from backcourse.core.records import Outcome
from backcourse.core.screening import can_clear, judge
from backcourse.infra.files import FileProblem, read_text

RESERVED = {"index", "assets"}  # file names the summary and the shared files use
LONGEST_S = 3600


class RosterError(BackcourseError):
    """Every problem in the roster, each naming its row and column; nothing was run."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class RosterRow:
    """One row as typed values (the one parser checks types and bounds); the timed holds stay
    text for :func:`backcourse.core.assessment.read_seconds`, which reads them as a learner
    types them."""

    client_id: str = rule(pattern=r"\S.*")
    name: str = ""
    journal: str | None = None
    screening: Outcome | None = None
    flags: str | None = None
    cleared: Literal["yes", "no"] | None = None
    pain_now: int | None = rule(min=0, max=10, default=None)
    trunk_flexion: str | None = None
    back_extension_floor: str | None = None
    trunk_extension: str | None = None
    side_bridge_left: str | None = None
    side_bridge_right: str | None = None
    knee_lift_hold_left: str | None = None
    knee_lift_hold_right: str | None = None
    weeks: int = rule(min=1, max=52, default=8)
    sessions_per_week: int = rule(min=1, max=5, default=3)
    today: str | None = rule(check=parse_date, default=None)
    notes: str = rule(pattern=r"(?s).{0,2000}", default="")
    phone: str = ""

    def problems(self) -> Iterator[tuple[str, str]]:
        safety = ("screening", "flags", "cleared", "pain_now", *TIMED)
        given = [c for c in safety if getattr(self, c) is not None]
        if self.journal is not None and given:
            yield given[0], "give either a journal or the safety check and results, not both"
        if not re.fullmatch(r"[0-9+() .-]{0,30}", self.phone):
            yield "phone", "write a phone number: digits, spaces and + ( ) . - only, up to 30"
        if self.journal is None and self.flags is None and self.screening != "clear":
            yield "flags", "name the warning signs answered yes (for example E10), or write none"


TIMED = ("trunk_flexion", "back_extension_floor", "trunk_extension", "side_bridge_left",
         "side_bridge_right", "knee_lift_hold_left", "knee_lift_hold_right")
COLUMNS = tuple(f.name for f in dataclasses.fields(RosterRow))
_WHOLE = {"pain_now", "weeks", "sessions_per_week"}  # the RosterRow fields typed int


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
    notes: str = ""
    phone: str = ""


def safe_id(raw: str) -> str:
    """A file-name-safe form of a client id: letters, digits, '-' and '_', at most 40."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-_")[:40].strip("-_")
    return cleaned or "client"


def _table(path: Path) -> tuple[list[str], list[tuple[int, dict[str | None, Any]]]]:
    """The roster's header, and each row with its line number; RosterError if the file
    cannot be read as CSV."""
    try:
        text = read_text(path, encoding="utf-8-sig")
    except FileProblem as exc:
        raise RosterError(f"cannot read the roster: {exc}") from None
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
        raise RosterError([Problem(path.name, f"row {number}", "", reason)]) from None
    return header, rows


def _header_problems(header: list[str], label: str) -> Iterator[Problem]:
    if "client_id" not in header:
        yield Problem(label, "row 1", "client_id", "the header needs a client_id column")
    for i, column in enumerate(header, start=1):
        if not column.strip():
            yield Problem(label, "row 1", f"column {i}", "the header has an empty column name")
        elif column not in COLUMNS:
            yield Problem(label, "row 1", shorten(column, 40),
                          f"unknown column (known: {', '.join(COLUMNS)})")
        elif header.count(column) > 1 and header.index(column) == i - 1:
            yield Problem(label, "row 1", column, "the column appears twice")


def _values(cells: dict[str, str]) -> dict[str, Any]:
    """The non-empty cells, whole numbers as numbers (anything else is left for the parser
    to name)."""
    return {k: int(v) if k in _WHOLE and re.fullmatch(r"-?\d{1,15}", v) else v
            for k, v in cells.items() if v}


def read_roster(path: Path, course: Course, journals: Path | None = None) -> list[Client]:
    """Parse and check the whole roster; raise RosterError listing every problem. The
    journal column names files in ``journals`` if given (a folder students share into with
    `backcourse journal share`), else in the roster's folder."""
    if journals is not None and not journals.is_dir():
        raise RosterError(f"the journals folder {journals} is not a folder")
    header, rows = _table(path)
    problems = list(_header_problems(header, path.name))
    if problems:
        raise RosterError(problems)
    clients: list[Client] = []
    seen: dict[str, int] = {}
    used: set[str] = set(RESERVED)
    for number, cells in rows:
        out = Collector(path.name, f"row {number}")
        if None in cells:
            out.add("cells", "has more cells than the header has columns")
        row = parse(RosterRow, _values({k: (v or "").strip() for k, v in cells.items() if k}),
                    out)
        client = None if row is None else _client(row, number, path, course, out, seen, used,
                                                  journals)
        problems += out.problems
        if client is not None and not out.problems:
            clients.append(client)
    if not rows:
        problems.append(Problem(path.name, "row 2", "", "the roster has no clients"))
    if problems:
        raise RosterError(problems)
    return clients


def _client(row: RosterRow, number: int, path: Path, course: Course, out: Collector,
            seen: dict[str, int], used: set[str], journals: Path | None = None) -> Client:
    """The client a parsed row describes, after the checks that need the course or the other
    rows (each problem goes to ``out``)."""
    if row.client_id in seen:
        out.add("client_id", f"{brief(row.client_id)} is already used in row "
                f"{seen[row.client_id]}")
    seen.setdefault(row.client_id, number)
    journal = _journal(row.journal, path, course, out, journals) if row.journal else None
    screening, flags, cleared = (None, (), False) if row.journal else _safety_check(
        row, course, out)
    results: dict[str, float] = {}
    for key in TIMED:
        raw = getattr(row, key)
        if raw is not None:
            test = course.self_test(key.rsplit("_", 1)[0] if key.endswith(("_left", "_right"))
                                    else key)
            try:
                results[key] = read_seconds(test, raw, confirmed=True)
            except InputProblem as exc:
                out.add(key, str(exc))
                continue
            if results[key] > LONGEST_S:
                out.add(key, f"{results[key]:g} s is over an hour; check the value")
    file_id, n = safe_id(row.client_id), 2
    while file_id.lower() in used:  # also never "index" or "assets"
        file_id, n = f"{safe_id(row.client_id)[:36]}-{n}", n + 1
    used.add(file_id.lower())
    return Client(number, row.client_id, file_id, row.name, journal, screening, flags, cleared,
                  results, row.pain_now, row.weeks, row.sessions_per_week,
                  row.today or dt.date.today().isoformat(), row.notes,
                  " ".join(row.phone.split()))


def _safety_check(row: RosterRow, course: Course,
                  out: Collector) -> tuple[Outcome | None, tuple[str, ...], bool]:
    """The outcome the course's rules give for the flags; a stated outcome must agree."""
    if row.flags is None and row.screening != "clear":
        return None, (), False  # named by RosterRow.problems
    given = row.flags or "none"
    flags = () if given.lower() == "none" else tuple(given.split())
    known = {f.id for f in course.red_flags}
    for f in flags:
        if f not in known:
            out.add("flags", f"{brief(f)} is not a warning-sign id of this course")
    if len(set(flags)) != len(flags):
        out.add("flags", "a warning sign is named twice")
    outcome = judge(course, flags).outcome
    if row.screening is not None and row.screening != outcome:
        out.add("screening", f"the safety check rules give {outcome!r} for these flags, not "
                f"{row.screening!r}; leave the column empty or correct it")
    if row.cleared == "yes" and not can_clear(course, outcome, flags):
        out.add("cleared", "only a soon or same-day outcome without a fever, injury, sepsis or "
                "chest pain can be cleared; an emergency needs a new check")
    return outcome, flags, row.cleared == "yes"


def _journal(name: str, roster: Path, course: Course, out: Collector,
             journals: Path | None = None) -> Path | None:
    """A client's exported journal, in ``journals`` or else beside the roster (or below
    either), checked now so that no client fails later for a bad file. A file in
    ``journals`` (a shared folder) is named for its student and must be theirs."""
    from backcourse.journal.share import not_theirs
    from backcourse.journal.store import ImportRefused, read_export_file

    base = journals or roster.parent
    path = base / name
    if not path.resolve().is_relative_to(base.resolve()):
        out.add("journal", f"{shorten(name, 300)} is outside " + (
            f"the journals folder {journals}; name a file in it" if journals else
            "the roster's folder; keep exports beside the roster or in a folder below it, "
            "and name them from there"))
    elif not os.path.lexists(path):
        out.add("journal", f"{shorten(name, 300)} does not exist (paths are relative to the "
                + (f"journals folder {journals})" if journals else "roster)"))
    elif journals is not None and (theirs := not_theirs(path, Path(name).stem)):
        out.add("journal", theirs)  # a copy in a shared folder counts only as its owner's
    else:
        try:
            read_export_file(path, course)
        except ImportRefused as exc:
            for p in exc.problems:
                out.add("journal", f"{path.name}: {p.message}" if p.entry == "(file)"
                        else f"{p.entry}: {p.field}: {p.message}")
        except BackcourseError as exc:
            out.add("journal", f"{path.name} cannot be read as a journal export: {exc}")
    return path
