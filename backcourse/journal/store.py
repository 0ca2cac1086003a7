"""The learner's journal: one private SQLite file per learner (the only sqlite3 user).

Every write is one transaction; the file is in WAL mode, so two notebooks can write at
once and a killed process leaves every committed entry readable.

In the browser (Pyodide) SQLite cannot keep a database file in the page's persistent storage
(jupyterlite/pyodide-kernel#35), so there the journal is an in-memory database loaded from
the file and saved whole after every write: to a temporary file, then renamed over the old
one, so a reload or a crash finds the last saved journal, never half of one. Another tab's
saves are picked up before each read and write, and a write refused if one lands during it.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import sqlite3
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from backcourse.core.errors import BackcourseError, Problem
from backcourse.core.parse import Collector, ContentError, brief, json_document, parse
from backcourse.core.records import (
    LEARNER,
    OTHER_TESTS,
    RECORDS,
    Assessment,
    Plan,
    Score,
    Screening,
    SessionLog,
)
from backcourse.infra.files import (
    NETWORK_FILE_SYSTEMS,
    PRIVATE_FILE,
    PRIVATE_FOLDER,
    file_system,
    kind,
    private_folder,
    read_text,
    write_private,
)
from backcourse.infra.paths import HOME_ENV, IN_BROWSER, learner_home

if TYPE_CHECKING:  # the caller passes the course in; the journal never loads one
    from backcourse.core.course import Course

T = TypeVar("T")
FORMAT = "backcourse-journal"
#: set to 1 by an admin who keeps journals on a network file system and accepts the risk
NETWORK_ENV = "BACKCOURSE_ALLOW_NETWORK_FS"

#: Forward migrations; the schema version is the number applied (PRAGMA user_version).
MIGRATIONS: tuple[str, ...] = (
    # v1: the first journal
    """
    CREATE TABLE screenings (id INTEGER PRIMARY KEY, taken_on TEXT NOT NULL,
        outcome TEXT NOT NULL, flagged TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE assessments (id INTEGER PRIMARY KEY, taken_on TEXT NOT NULL,
        test TEXT NOT NULL, side TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL,
        note TEXT);
    CREATE TABLE plans (id INTEGER PRIMARY KEY, created_on TEXT NOT NULL,
        start_on TEXT NOT NULL, weeks INTEGER NOT NULL, sessions_per_week INTEGER NOT NULL,
        rungs TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, done_on TEXT NOT NULL,
        exercise TEXT NOT NULL, rung TEXT NOT NULL, sets INTEGER NOT NULL, reps INTEGER,
        seconds INTEGER, pain_before INTEGER NOT NULL, pain_after INTEGER NOT NULL, note TEXT)
    """,
    # v2: next-morning pain and effort for the pain rule; indexes for progress plots
    """
    ALTER TABLE sessions ADD COLUMN pain_next_day INTEGER;
    ALTER TABLE sessions ADD COLUMN effort INTEGER;
    CREATE INDEX sessions_by_day ON sessions (done_on);
    CREATE INDEX assessments_by_test ON assessments (test, taken_on)
    """,
    # v3: a clinician's clearance of a warning sign; the peak pain during an exercise
    """
    ALTER TABLE screenings ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN pain_peak INTEGER
    """,
    # v4: outcome measures over time; the daily-task ratings (PSFS), saved until now as one
    # assessment per task, move here as one score per day with each task's rating
    """
    CREATE TABLE measures (id INTEGER PRIMARY KEY, taken_on TEXT NOT NULL,
        measure TEXT NOT NULL, value REAL NOT NULL, items TEXT NOT NULL DEFAULT '[]',
        labels TEXT NOT NULL DEFAULT '[]', note TEXT);
    CREATE INDEX measures_by_day ON measures (measure, taken_on);
    INSERT INTO measures (taken_on, measure, value, items, labels)
        SELECT taken_on, 'psfs', avg(value), json_group_array(value),
               json_group_array(coalesce(note, ''))
        FROM (SELECT * FROM assessments WHERE test = 'psfs' ORDER BY id) GROUP BY taken_on;
    DELETE FROM assessments WHERE test = 'psfs'
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = {cls: name for name, cls in RECORDS.items()}
JSON_COLUMNS = {"flagged", "rungs", "items", "labels"}  # tuples, stored as JSON text
BOOL_COLUMNS = {"cleared"}  # stored as 0 or 1


class JournalError(BackcourseError):
    """The journal cannot do what was asked; the message says why and what to do."""


class ImportRefused(JournalError):
    """An export file was refused; ``problems`` lists every defect, nothing was changed."""


def journal_path(learner: str = "me", home: str | os.PathLike[str] | None = None) -> Path:
    """Where a learner's journal lives: ``<home>/<learner>.sqlite3``."""
    if not re.fullmatch(LEARNER, learner):
        raise JournalError(f"learner id {brief(learner)} must be 1-64 letters, digits, '-' or "
                           "'_'")
    return learner_home(home) / f"{learner}.sqlite3"


def _owned(path: Path) -> os.stat_result | None:
    """The entry at ``path`` if there is one: never a link, and the learner's own."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(found.st_mode):
        raise JournalError(f"{path} is a symbolic link; backcourse does not follow links to a "
                           f"journal (give its real folder with --home or {HOME_ENV})")
    if hasattr(os, "geteuid") and found.st_uid != os.geteuid():
        raise JournalError(f"{path} belongs to another user, who could read or change it; "
                           f"keep your journal in a folder of your own (--home or {HOME_ENV})")
    return found


def secure(path: Path, *, change: bool = True) -> list[str]:
    """Make sure only the learner can reach the journal at ``path``, before SQLite opens it.

    Links and other users' files are refused. A missing folder is created 0700 and the
    file 0600 (never through a link); the learner's own looser folder and files are
    tightened to those modes, and the returned notices say so. ``change=False`` only checks.
    """
    folder = path.parent
    if change and not os.path.lexists(folder):
        private_folder(folder)
    notices = []
    for part, mode in ((folder, PRIVATE_FOLDER), (path, PRIVATE_FILE),
                       (Path(f"{path}-wal"), PRIVATE_FILE), (Path(f"{path}-shm"), PRIVATE_FILE)):
        if part == path and change:
            with contextlib.suppress(FileExistsError):
                os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW,
                                 mode))
        found = _owned(part)
        if found is None:
            continue
        is_dir = part == folder
        if stat.S_ISDIR(found.st_mode) != is_dir or not (is_dir or stat.S_ISREG(found.st_mode)):
            raise JournalError(f"{part} is {kind(found.st_mode)}, not "
                               + ("a folder" if is_dir else "a journal file"))
        if is_dir and found.st_mode & stat.S_ISVTX:
            raise JournalError(f"{part} is a folder shared by all users (like /tmp); keep your "
                               f"journal in a folder of your own (--home or {HOME_ENV})")
        loose = stat.S_IMODE(found.st_mode)
        if change and loose & ~mode and not _read_only_media(part):  # there SQLite says why
            os.chmod(part, mode)
            notices.append(f"made {part} private to you (it was {loose:o}, open to others; "
                           f"now {mode:o})")
    return notices


def check_local(folder: Path) -> None:
    """Refuse a journal folder on a network file system (NFS, SMB, CephFS ...): SQLite's
    write-ahead log needs every process that opens the file on one computer, and SQLite
    cannot tell when they are not. ``BACKCOURSE_ALLOW_NETWORK_FS=1`` accepts the risk."""
    found = file_system(folder)
    if found in NETWORK_FILE_SYSTEMS and os.environ.get(NETWORK_ENV) != "1":
        raise JournalError(
            f"the journal folder {folder} is on a network file system ({found}), where SQLite "
            f"can lose or damage saves; keep it on a local disk (--home or {HOME_ENV}), or "
            f"ask your admin (docs/jupyterhub.md, {NETWORK_ENV})")


def _connect(path: str, readonly: bool) -> sqlite3.Connection:
    if not readonly:
        return sqlite3.connect(path, timeout=30, isolation_level=None)
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA user_version")  # opens the file, and its WAL index if it can
        return db
    except sqlite3.OperationalError:
        db.close()
        if not _read_only_media(Path(path)):
            raise
    # nothing can change a file on read-only media, so SQLite may do without the WAL index
    return sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None)


def _read_only_media(path: Path) -> bool:
    try:
        where = path if os.path.lexists(path) else path.parent
        return bool(os.statvfs(where).f_flag & getattr(os, "ST_RDONLY", 0))
    except (OSError, AttributeError):
        return False


def _signature(path: Path) -> tuple[int, int, int] | None:
    """What tells a saved file from the next save: its inode, size and time (None if none)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def _read_settled(path: Path, tries: int = 5) -> tuple[tuple[int, int, int] | None, bytes]:
    """The file's signature and bytes (none: no file). In the browser another tab may be
    renaming its save over the file at that moment, which its storage reports as an error
    for a few milliseconds: read again after a short wait before giving up."""
    def once() -> tuple[tuple[int, int, int] | None, bytes]:
        seen = _signature(path)
        return seen, b"" if seen is None else path.read_bytes()

    for attempt in range(1, tries):
        try:
            return once()
        except OSError:
            time.sleep(0.05 * attempt)
    return once()


def _in_memory(data: bytes) -> sqlite3.Connection:
    """A new in-memory database holding ``data`` (a whole database file; empty: a new one)."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.row_factory = sqlite3.Row
    if data:
        if data[18:20] == b"\x02\x02":  # a WAL-mode file (from a computer): memory has no WAL
            data = data[:18] + b"\x01\x01" + data[20:]
        try:
            db.deserialize(data)
        except BaseException:
            db.close()
            raise
    return db


def _cannot_open(path: Path, exc: sqlite3.Error | OSError) -> str:
    said = f"cannot open the journal at {path}: {exc}"
    if _read_only_media(path):
        said += (" (it is on read-only media: copy it to a folder you can write to; "
                 "`backcourse journal export` can still read it)")
    return said


class Journal:
    """A learner's journal; use as a context manager, or ``Journal(":memory:")`` in tests."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False,
                 in_memory: bool | None = None) -> None:
        """Open the journal at ``path``, creating it if need be; ``readonly`` changes nothing
        and also reads a journal on read-only media (``backcourse journal export``).
        ``in_memory`` keeps the database in memory, saved whole to ``path`` after every
        write (the module's docstring says why); the default is on in the browser only."""
        self.path = str(path)
        memory = self.path == ":memory:"
        self.in_memory = not memory and (IN_BROWSER if in_memory is None else in_memory)
        self._seen: tuple[int, int, int] | None = None
        if self.in_memory and not hasattr(sqlite3.Connection, "serialize"):
            raise JournalError("an in-memory journal needs Python 3.11 or later")
        if not memory:
            if not readonly:  # before anything is made; reading is safe, so export still works
                check_local(Path(self.path).parent)
            if not IN_BROWSER:  # the browser's storage has no owners or modes to check
                for line in secure(Path(self.path), change=not readonly):
                    print(f"backcourse: {line}", file=sys.stderr)  # once: nothing is loose
        try:
            if self.in_memory:
                self._db = self._load(readonly)
            else:
                self._db = _connect(self.path, readonly and not memory)
            self._db.row_factory = sqlite3.Row
            if not (memory or readonly or self.in_memory):
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")  # a save survives power loss
            self._migrate(readonly)
        except BaseException as exc:
            if hasattr(self, "_db"):
                self._db.close()
            if isinstance(exc, sqlite3.Error | OSError):
                raise JournalError(_cannot_open(Path(self.path), exc)) from None
            raise

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _load(self, readonly: bool = False) -> sqlite3.Connection:
        """The saved file as a new in-memory database (in-memory mode)."""
        path = Path(self.path)
        seen, data = _read_settled(path)
        if seen is None and readonly:
            raise sqlite3.OperationalError("unable to open database file")
        db = _in_memory(data)
        self._seen = seen
        return db

    def _fresh(self) -> sqlite3.Connection:
        """The database, reloaded first if another tab or process saved the file since."""
        if self.in_memory and _signature(Path(self.path)) != self._seen:
            try:
                fresh = self._load()
            except (sqlite3.Error, OSError) as exc:
                raise JournalError(_cannot_open(Path(self.path), exc)) from None
            self._db.close()
            self._db = fresh
        return self._db

    def _unchanged(self) -> None:
        """Refuse to save over a file another tab saved since this journal last read it."""
        if _signature(Path(self.path)) != self._seen:
            raise JournalError(f"another tab or window saved your journal ({self.path}) at the "
                               "same moment, so this was not saved; please do it again")

    def _save(self) -> None:
        """Write the in-memory database to its file: a temporary file, then a rename; refused
        if another tab saved the file while this write was under way (its save would be lost)."""
        write_private(Path(self.path), self._db.serialize(), before_replace=self._unchanged)
        self._seen = _signature(Path(self.path))

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._fresh()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if self.in_memory:
            try:
                self._save()
            except BaseException as exc:
                self._db.close()  # back to what the file holds: nothing unsaved is shown
                self._db = self._load()
                if isinstance(exc, OSError):
                    raise JournalError(f"cannot save the journal at {self.path}: "
                                       f"{exc.strerror or exc}") from None
                raise

    @property
    def state(self) -> tuple[int, int]:
        """A value that changes whenever the journal does, through this connection or another
        (a notebook open beside the app); cheap enough to ask before every look."""
        others: int = self._db.execute("PRAGMA data_version").fetchone()[0]
        return self._db.total_changes, others

    @property
    def version(self) -> int:
        version: int = self._db.execute("PRAGMA user_version").fetchone()[0]
        return version

    def _migrate(self, readonly: bool) -> None:
        if self.version > SCHEMA_VERSION:
            raise JournalError(
                f"{self.path} was written by a newer backcourse (journal schema "
                f"{self.version}; this one reads up to {SCHEMA_VERSION}); upgrade backcourse")
        while not readonly and self.version < SCHEMA_VERSION:
            with self._write() as db:
                version = self.version  # re-read: another process may have migrated
                if version >= SCHEMA_VERSION:
                    break
                for statement in MIGRATIONS[version].split(";"):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")

    # writing -------------------------------------------------------------------------

    def add(self, record: Any) -> int:
        """Validate and store one record; return its id."""
        with self._write() as db:
            return self._insert(db, record)

    def add_all(self, records: Iterable[Any]) -> None:
        """Store several records at once: all of them, or (if any is refused) none."""
        with self._write() as db:
            for record in records:
                self._insert(db, record)

    def _insert(self, db: sqlite3.Connection, record: Any) -> int:
        table = TABLES.get(type(record))
        if table is None:
            raise TypeError(f"cannot store a {type(record).__name__} in the journal")
        row = _validated(record, table)
        if row.get("id") is None:
            row.pop("id", None)
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                            [json.dumps(v) if isinstance(v, tuple) else v for v in row.values()])
        return int(cursor.lastrowid or 0)

    # reading -------------------------------------------------------------------------

    def all(self, kind: type[T]) -> list[T]:
        """Every record of one kind, oldest first."""
        table = TABLES[kind]
        rows = self._fresh().execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        return [_record(kind, dict(r)) for r in rows]

    def count(self, kind: type) -> int:
        found: int = self._fresh().execute(f"SELECT count(*) FROM {TABLES[kind]}").fetchone()[0]
        return found

    def latest_screening(self) -> Screening | None:
        """The most recently entered screening (entry order, so a mistyped date cannot hide
        a newer warning sign)."""
        row = self._fresh().execute("SELECT * FROM screenings ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else _record(Screening, dict(row))

    def sessions(self, since: str | None = None) -> list[SessionLog]:
        """Logged exercise, oldest first, optionally from a date (YYYY-MM-DD) on."""
        rows = self._fresh().execute(
            "SELECT * FROM sessions WHERE done_on >= ? ORDER BY done_on, id",
            (since or "0000-00-00",)).fetchall()
        return [_record(SessionLog, dict(r)) for r in rows]

    def record_next_day(self, pain: int, today: str) -> str | None:
        """Store this morning's pain for the last session day before ``today``, if that day
        has no morning rating yet; return the day, or None when there is nothing to rate."""
        if type(pain) is not int or not 0 <= pain <= 10:
            raise ValueError(f"pain_next_day: must be a whole number 0 to 10 (got {pain!r})")
        with self._write() as db:
            day = _morning_due(db, today)
            if day is None:
                return None
            db.execute("UPDATE sessions SET pain_next_day = ? WHERE done_on = ? AND "
                       "pain_next_day IS NULL", (pain, day))
        return day

    def morning_due(self, today: str) -> str | None:
        """The last session day before ``today`` while it has no morning rating yet: the day
        :meth:`record_next_day` would rate."""
        return _morning_due(self._fresh(), today)

    def integrity(self) -> str:
        result: str = self._fresh().execute("PRAGMA integrity_check").fetchone()[0]
        return result

    # export and import ---------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """Everything in the journal as plain data, with the schema version."""
        return {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "tables": {name: [_plain(r) for r in self.all(cls)] for name, cls in RECORDS.items()},
        }

    def export_json(self, path: str | os.PathLike[str], *, group: bool = False) -> Path:
        """Write the whole journal as one readable JSON file (private, replaced atomically);
        ``group`` lets the file's group read it too (a copy shared with the teachers)."""
        text = json.dumps(self.export_data(), indent=1, ensure_ascii=False) + "\n"
        return self._write_private(Path(path), text, group=group)

    def export_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """One CSV file per table in ``folder``, safe to open in a spreadsheet."""
        written = []
        for name, cls in RECORDS.items():
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=[f.name for f in dataclasses.fields(cls)])
            writer.writeheader()
            for record in self.all(cls):
                writer.writerow({k: spreadsheet_cell(json.dumps(v) if isinstance(v, list) else v)
                                 for k, v in _plain(record).items()})
            written.append(self._write_private(Path(folder) / f"{name}.csv", buffer.getvalue()))
        return written

    def _write_private(self, path: Path, text: str, *, group: bool = False) -> Path:
        own = {Path(f"{self.path}{s}").resolve() for s in ("", "-wal", "-shm")}
        if path.resolve() in own:
            raise JournalError(f"{path} is the journal itself; export to another file")
        if path.is_dir():
            raise JournalError(f"{path} is a folder; name a file to export to")
        return write_private(path, text, group=group)

    def import_json(self, path: str | os.PathLike[str], course: Course, *,
                    replace: bool = False) -> int:
        """Load an export file, every name checked against ``course``; refuse it whole
        (journal untouched) if anything is wrong."""
        return self.import_records(read_export_file(Path(path), course), str(path),
                                   replace=replace)

    def import_records(self, records: list[Any], source: str, *, replace: bool = False) -> int:
        """Store the records of a checked export (:func:`read_export_file`), all or none."""
        try:
            with self._write() as db:
                if not replace and any(self.count(cls) for cls in RECORDS.values()):
                    raise JournalError(f"{self.path} already has entries; import into an empty"
                                       " journal, or pass replace=True (--replace) to overwrite")
                for table in RECORDS:
                    db.execute(f"DELETE FROM {table}")
                for record in records:
                    self._insert(db, record)
        except sqlite3.Error as exc:
            raise ImportRefused([Problem(source, "(file)", "(rows)",
                                         f"cannot be stored: {exc}")]) from None
        return len(records)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet runs as a formula: text that starts with =, +, -, @, a tab
    or a carriage return gets a leading single quote, as OWASP advises; the rest is as is."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return f"'{value}"
    return value


def read_export_file(path: Path, course: Course) -> list[Any]:
    """Read and check an export file (see :func:`read_export`); a file that is not a plain
    UTF-8 file of a sensible size is a FileProblem, anything else wrong ImportRefused."""
    text = read_text(path)
    try:
        doc = json_document(text, str(path))
    except ContentError as exc:
        raise ImportRefused(list(exc.problems)) from None
    return read_export(doc, str(path), course)


def read_export(doc: Any, source: str, course: Course) -> list[Any]:
    """Validate an export document, every name against ``course`` (exercises, levels,
    tests, warning signs), and return its records; raise ImportRefused if bad."""
    problems: list[Problem] = []
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        raise ImportRefused([Problem(source, "(file)", "format",
                                     f"not a backcourse journal export (no format {FORMAT!r})")])
    version = doc.get("schema_version")
    if type(version) is not int or not 1 <= version <= SCHEMA_VERSION:
        raise ImportRefused([Problem(
            source, "(file)", "schema_version",
            f"{version!r} is not a journal version this backcourse reads (1 to {SCHEMA_VERSION});"
            " a newer file needs a newer backcourse")])
    tables = doc.get("tables")
    if not isinstance(tables, Mapping):
        raise ImportRefused([Problem(source, "(file)", "tables", "missing or not a mapping")])
    records: list[Any] = []
    tables = _upgraded(tables) if version < 4 else tables
    for name in tables:
        if name not in RECORDS:
            problems.append(Problem(source, "tables", str(name), "unknown table"))
    for name, cls in RECORDS.items():
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            problems.append(Problem(source, "tables", name, "must be a list of rows"))
            continue
        seen: set[int] = set()
        for i, raw in enumerate(rows, start=1):
            out = Collector(source, f"{name}[#{i}]")
            record = parse(cls, raw, out)
            if record is not None and record.id is not None:
                if record.id in seen:
                    out.add("id", f"id {record.id} is used twice in {name}")
                seen.add(record.id)
            if record is not None:
                for field, message in unknown_names(record, course):
                    out.add(field, message)
            problems.extend(out.problems)
            if record is not None:
                records.append(record)
    if problems:
        raise ImportRefused(problems)
    return records


def _upgraded(tables: Mapping[str, Any]) -> dict[str, Any]:
    """An export from before schema 4, as schema 4 holds it: each day's daily-task ratings
    (PSFS, one assessment per task) become one score with each task's rating."""
    rows = tables.get("assessments")
    if not isinstance(rows, list):
        return dict(tables)
    tasks = [r for r in rows if isinstance(r, Mapping) and r.get("test") == "psfs"
             and type(r.get("value")) in (int, float)]  # anything else is refused as it is
    days: dict[Any, list[Mapping[str, Any]]] = {}
    for row in tasks:
        days.setdefault(row.get("taken_on"), []).append(row)
    scores = [{"taken_on": day, "measure": "psfs",
               "value": sum(float(r.get("value", 0)) for r in same) / len(same),
               "items": [r.get("value") for r in same],
               "labels": [r.get("note") or "" for r in same]} for day, same in days.items()]
    return {**tables, "assessments": [r for r in rows if not any(r is t for t in tasks)],
            "measures": scores}  # a journal before schema 4 had no other scores


def unknown_names(record: Any, course: Course) -> Iterator[tuple[str, str]]:
    """Each name in a record that ``course`` does not know, as (field, message)."""
    if isinstance(record, SessionLog):
        rungs = {x.id: {r.id for r in x.rungs} for x in course.exercises}
        if record.exercise not in rungs:
            yield "exercise", f"unknown exercise {brief(record.exercise)}"
        elif record.rung not in rungs[record.exercise]:
            yield "rung", f"{record.exercise!r} has no level {brief(record.rung)}"
    elif isinstance(record, Assessment):
        keys = {k for t in course.battery for k in t.keys()} | set(OTHER_TESTS)
        tests = {t.id for t in course.battery} | set(OTHER_TESTS)
        if record.test not in tests:
            yield "test", f"unknown test {brief(record.test)}"
        elif record.key not in keys:
            yield "side", f"{record.test!r} has no side {record.side!r}"
    elif isinstance(record, Plan):
        levels = {r.id for x in course.exercises for r in x.rungs}
        for i, rung in enumerate(record.rungs):
            if rung not in levels:
                yield f"rungs[{i}]", f"unknown level {brief(rung)}"
    elif isinstance(record, Score):
        if record.measure not in {m.id for m in course.measures}:
            yield "measure", f"unknown measure {brief(record.measure)}"
    elif isinstance(record, Screening):
        signs = {f.id for f in course.red_flags} | {r.id for r in course.retired_flags}
        for i, sign in enumerate(record.flagged):
            if sign not in signs:
                yield f"flagged[{i}]", f"unknown warning sign {brief(sign)}"


def delete_journal(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the journal file and its WAL companions; return what was removed. Anything
    there that is not a file (or a link) is refused before a thing is deleted."""
    parts = [p for p in (Path(f"{path}{s}") for s in ("", "-wal", "-shm")) if os.path.lexists(p)]
    for part in parts:
        mode = part.lstat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise JournalError(f"{part} is {kind(mode)}, not a journal file; nothing was deleted")
    for part in parts:
        part.unlink()
    return parts


def _validated(record: Any, table: str) -> dict[str, Any]:
    raw = _plain(record)
    out = Collector("journal", f"{table}[new]")
    if parse(type(record), raw, out) is None:
        raise ValueError("; ".join(f"{p.field}: {p.message}" for p in out.problems))
    return {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}


def _plain(record: Any) -> dict[str, Any]:
    """A record as JSON-ready data (tuples become lists; unset optional fields stay None)."""
    return {k: list(v) if isinstance(v, tuple) else v
            for k, v in dataclasses.asdict(record).items()}


def _record(kind: type[T], row: dict[str, Any]) -> T:
    values = {k: tuple(json.loads(v)) if k in JSON_COLUMNS else bool(v) if k in BOOL_COLUMNS
              else v for k, v in row.items()}
    return kind(**values)


def _morning_due(db: sqlite3.Connection, today: str) -> str | None:
    day: str | None = db.execute("SELECT max(done_on) FROM sessions WHERE done_on < ?",
                                 (today,)).fetchone()[0]
    if day is None or db.execute("SELECT 1 FROM sessions WHERE done_on = ? AND pain_next_day "
                                 "IS NULL", (day,)).fetchone() is None:
        return None
    return day
