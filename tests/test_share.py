"""A learner shares a copy of their journal only by asking (`backcourse journal share`), into
the folder the instructor names; `backcourse report --journals` reads that folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from backcourse.content.load import load_course
from backcourse.core.records import Screening
from backcourse.export.roster import RosterError, read_roster
from backcourse.journal.samples import write_persona
from backcourse.journal.share import share_journal
from backcourse.journal.store import (
    RECORDS,
    Journal,
    JournalError,
    journal_path,
    read_export_file,
)

COURSE = load_course()


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = journal_path("me", tmp_path / "home")
    with Journal(path) as opened:
        write_persona(opened, "steady")
    return path


def share(home: Path, *args: str, user: str = "alice") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, JUPYTERHUB_USER=user)
    return subprocess.run([sys.executable, "-m", "backcourse", "journal", "share", "--home",
                           str(home), *args], capture_output=True, text=True, env=env,
                          timeout=60)


def test_share_writes_an_owner_only_copy_named_for_the_hub_user(journal: Path,
                                                                tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    done = share(journal.parent, "--to", str(box))
    assert done.returncode == 0, done.stderr
    copy = box / "alice.json"
    assert f"Shared a copy of your journal: {copy}." in done.stdout
    assert [p.name for p in box.iterdir()] == ["alice.json"]  # nothing else is written
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with Journal(journal, readonly=True) as opened:
        assert read_export_file(copy, COURSE) == [
            record for kind in RECORDS.values() for record in opened.all(kind)]


def test_sharing_again_replaces_the_learners_own_copy(journal: Path, tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    before = len(read_export_file(share_journal(journal, box, "alice"), COURSE))
    with Journal(journal) as opened:
        opened.add(Screening(taken_on="2026-03-02", outcome="clear", flagged=()))
    again = share_journal(journal, box, "alice")
    assert again == box / "alice.json" and len(read_export_file(again, COURSE)) == before + 1
    assert sorted(p.name for p in box.iterdir()) == ["alice.json"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make a file of another user")
def test_share_never_replaces_another_users_file(journal: Path, tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    theirs = box / "alice.json"
    theirs.write_text("theirs")
    os.chown(theirs, 4242, 4242)
    with pytest.raises(JournalError, match="belongs to another user; share under another name"):
        share_journal(journal, box, "alice")
    assert theirs.read_text() == "theirs"


def test_the_report_reads_the_roster_journals_from_the_shared_folder(journal: Path,
                                                                     tmp_path: Path) -> None:
    box, teacher = tmp_path / "box", tmp_path / "teacher"
    box.mkdir()
    teacher.mkdir()
    share_journal(journal, box, "alice")
    roster = teacher / "roster.csv"
    roster.write_text("client_id,name,journal\nalice,Alice,alice.json\n", encoding="utf-8")
    (client,) = read_roster(roster, COURSE, journals=box)
    assert client.journal == box / "alice.json"
    with pytest.raises(RosterError, match="row 2: journal: alice.json does not exist"):
        read_roster(roster, COURSE)  # without --journals: beside the roster, as before
    roster.write_text("client_id,journal\nalice,../teacher/roster.csv\n", encoding="utf-8")
    with pytest.raises(RosterError, match=f"is outside the journals folder {box}; name a file"):
        read_roster(roster, COURSE, journals=box)
