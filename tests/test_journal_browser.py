"""The journal as the browser edition keeps it: an in-memory database saved whole to a file
after every write (write-then-rename), simulated here under CPython."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from backcourse.content.load import load_course
from backcourse.core.records import Assessment, Plan, Screening, SessionLog
from backcourse.infra import paths
from backcourse.journal import store
from backcourse.journal.store import Journal, JournalError

COURSE = load_course()


def fill(journal: Journal) -> None:
    journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
    journal.add(Assessment(taken_on="2026-03-01", test="side_bridge", side="left", value=61.5,
                           unit="s"))
    journal.add(Plan(created_on="2026-03-01", start_on="2026-03-02", weeks=8,
                     sessions_per_week=3, rungs=("dead-hang-1",)))
    journal.add(SessionLog(done_on="2026-03-02", exercise="dead-hang", rung="dead-hang-1",
                           sets=3, seconds=20, pain_before=2, pain_after=3))


def contents(journal: Journal) -> dict[str, object]:
    data = journal.export_data()
    del data["exported_at"]
    return data


def test_a_reload_sees_every_acknowledged_write(tmp_path: Path) -> None:
    """Each write is in the file when it returns: a new Journal (a reloaded page) on the same
    file reads it, and the file is a plain SQLite file with no WAL companions."""
    path = tmp_path / "home" / "me.sqlite3"
    with Journal(path, in_memory=True) as journal:
        assert journal.in_memory
        journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
        with Journal(path, in_memory=True) as reloaded:
            assert reloaded.count(Screening) == 1
        fill(journal)
        with Journal(path, in_memory=True) as reloaded:
            assert contents(reloaded) == contents(journal)
            assert reloaded.count(Screening) == 2 and reloaded.integrity() == "ok"
    assert sorted(p.name for p in path.parent.iterdir()) == ["me.sqlite3"]
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback mode, not WAL
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_crash_between_write_and_rename_leaves_the_old_file(tmp_path: Path) -> None:
    """A process killed after writing the new copy but before renaming it over the old one
    leaves the old file whole; the next page load reads it and goes on saving."""
    path = tmp_path / "me.sqlite3"
    with Journal(path, in_memory=True) as journal:
        fill(journal)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import os
        from backcourse.core.records import Screening
        from backcourse.journal.store import Journal
        journal = Journal({str(path)!r}, in_memory=True)
        os.replace = lambda *args: os._exit(9)  # the tab is closed just before the rename
        journal.add(Screening(taken_on="2026-03-05", outcome="clear"))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.glob(".me.sqlite3.*.tmp")] != []  # the unrenamed copy
    with Journal(path, in_memory=True) as reloaded:
        assert reloaded.count(Screening) == 1 and reloaded.integrity() == "ok"
        reloaded.add(Screening(taken_on="2026-03-06", outcome="clear"))
    with Journal(path, in_memory=True) as reloaded:
        assert reloaded.count(Screening) == 2


def test_a_failed_save_is_refused_and_not_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the file cannot be replaced, the write is refused in one line, the file keeps
    the last save, and the journal in memory goes back to it (nothing unsaved is shown)."""
    path = tmp_path / "me.sqlite3"
    journal = Journal(path, in_memory=True)
    fill(journal)
    before = path.read_bytes()

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(JournalError, match=r"cannot save the journal at .*No space left"):
        journal.add(Screening(taken_on="2026-03-05", outcome="clear"))
    monkeypatch.undo()
    assert path.read_bytes() == before and journal.count(Screening) == 1
    assert list(tmp_path.glob(".me.sqlite3.*.tmp")) == []
    journal.close()


def test_another_tabs_saves_are_read_and_kept(tmp_path: Path) -> None:
    """Two open journals on one file (two notebooks): each reads the other's saves and a
    write never drops them."""
    path = tmp_path / "me.sqlite3"
    with Journal(path, in_memory=True) as one, Journal(path, in_memory=True) as two:
        one.add(Screening(taken_on="2026-03-01", outcome="clear"))
        assert two.latest_screening() is not None
        two.add(Screening(taken_on="2026-03-02", outcome="clear"))
        one.add(Screening(taken_on="2026-03-03", outcome="clear"))
        assert [s.taken_on for s in two.all(Screening)] == [
            "2026-03-01", "2026-03-02", "2026-03-03"]


def test_a_save_by_another_tab_during_a_write_is_kept_and_the_write_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two tabs saving at the same moment: the one that finds the file changed under it
    refuses in one line and shows what the file holds; nothing saved is lost."""
    path = tmp_path / "me.sqlite3"
    with Journal(path, in_memory=True) as one, Journal(path, in_memory=True) as two:
        one.add(Screening(taken_on="2026-03-01", outcome="clear"))
        insert = Journal._insert

        def other_tab_saves_first(self: Journal, db: object, record: object) -> int:
            if self is one:
                two.add(Screening(taken_on="2026-03-02", outcome="clear"))
            return insert(self, db, record)  # type: ignore[arg-type]

        monkeypatch.setattr(Journal, "_insert", other_tab_saves_first)
        with pytest.raises(JournalError, match="another tab or window saved your journal"):
            one.add(Screening(taken_on="2026-03-03", outcome="clear"))
        monkeypatch.undo()
        assert [s.taken_on for s in one.all(Screening)] == ["2026-03-01", "2026-03-02"]
        one.add(Screening(taken_on="2026-03-03", outcome="clear"))  # done again: kept
    with Journal(path, in_memory=True) as reloaded:
        assert [s.taken_on for s in reloaded.all(Screening)] == [
            "2026-03-01", "2026-03-02", "2026-03-03"]
        assert reloaded.integrity() == "ok"


def test_export_and_import_work_as_at_home(tmp_path: Path) -> None:
    """An export from the browser journal imports into a home journal and back, equal; a
    journal copied from a computer (WAL mode) opens in the browser with its entries."""
    browser = Journal(tmp_path / "browser.sqlite3", in_memory=True)
    fill(browser)
    exported = browser.export_json(tmp_path / "export.json")
    with Journal(tmp_path / "home.sqlite3") as home:
        assert home.import_json(exported, COURSE) == 4
        assert contents(home) == contents(browser)
    with Journal(tmp_path / "home.sqlite3", in_memory=True) as copied:
        assert contents(copied) == contents(browser)
    with Journal(tmp_path / "fresh.sqlite3", in_memory=True) as fresh:
        fresh.import_json(exported, COURSE)
    with Journal(tmp_path / "fresh.sqlite3", in_memory=True) as reloaded:
        assert contents(reloaded) == contents(browser)
    with pytest.raises(JournalError, match="is the journal itself"):
        browser.export_json(tmp_path / "browser.sqlite3")
    browser.close()


def test_a_missing_journal_is_named_when_only_reading(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match=r"cannot open the journal at .*missing\.sqlite3"):
        Journal(tmp_path / "missing.sqlite3", readonly=True, in_memory=True)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_the_browser_uses_memory_and_persistent_storage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under Pyodide the journal is in memory by default and lives under /drive (a reload
    loses Pyodide's home folder); elsewhere it is a WAL file in the user's data folder."""
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    assert paths.learner_home() != paths.BROWSER_HOME
    with Journal(tmp_path / "desk.sqlite3") as desk:
        assert not desk.in_memory
    monkeypatch.setattr(paths, "IN_BROWSER", True)
    monkeypatch.setattr(store, "IN_BROWSER", True)
    assert store.journal_path() == Path("/drive/.backcourse/me.sqlite3")
    with Journal(tmp_path / "web.sqlite3") as web:
        assert web.in_memory
        web.add(Screening(taken_on="2026-03-01", outcome="clear"))
    assert (tmp_path / "web.sqlite3").read_bytes()[18:20] == b"\x01\x01"


def test_a_read_caught_mid_rename_is_tried_again(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """In the browser, another tab renaming its save over the file makes a read fail for a
    moment (seen as "Invalid argument" in a two-tab test): the journal reads again."""
    path = tmp_path / "me.sqlite3"
    with Journal(path, in_memory=True) as first:
        first.add(Screening(taken_on="2026-03-01", outcome="clear"))
    real, failures = Path.read_bytes, [OSError(22, "Invalid argument")] * 2

    def flaky(self: Path) -> bytes:
        if failures:
            raise failures.pop()
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", flaky)
    with Journal(path, in_memory=True) as again:
        assert again.latest_screening() is not None and not failures


def test_a_file_that_stays_unreadable_is_refused_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "me.sqlite3"
    with Journal(path, in_memory=True) as first:
        first.add(Screening(taken_on="2026-03-01", outcome="clear"))

    def broken(self: Path) -> bytes:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(Path, "read_bytes", broken)
    with pytest.raises(JournalError, match="cannot open the journal at .*Invalid argument"):
        Journal(path, in_memory=True)
