"""A learner shares a copy of their journal only by asking (`backcourse journal share`), into
the folder the instructor names; `backcourse report --journals` reads that folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from backcourse.content.load import load_course
from backcourse.core.records import Screening
from backcourse.export.roster import RosterError, read_roster
from backcourse.journal.samples import write_persona
from backcourse.journal.share import share_journal, tljh_user
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
        write_persona(opened, "alex")
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
    with pytest.raises(JournalError, match="belongs to another user, so nothing was shared"):
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


def test_in_a_setgid_folder_the_copy_is_readable_by_the_folders_group(journal: Path,
                                                                      tmp_path: Path) -> None:
    """A teachers' drop folder (setgid): the copy gets the folder's group and 0640, so a
    teacher in that group reads it without root; other folders keep it owner-only."""
    import grp

    box = tmp_path / "teachers"
    box.mkdir()
    box.chmod(0o2770)
    done = share(journal.parent, "--to", str(box))
    assert done.returncode == 0, done.stderr
    copy = box / "alice.json"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o640
    assert copy.stat().st_gid == box.stat().st_gid
    group = grp.getgrgid(box.stat().st_gid).gr_name
    assert (f"Your user account, the group {group} (your instructors) and the computer's "
            "administrators can read the file." in done.stdout)
    plain = tmp_path / "plain"
    plain.mkdir(mode=0o770)
    done = share(journal.parent, "--to", str(plain))
    assert stat.S_IMODE((plain / "alice.json").stat().st_mode) == 0o600
    assert "Only your user account and the computer's administrators can" in done.stdout


def test_the_littlest_jupyterhub_names_its_unix_users_after_the_hub_user() -> None:
    assert tljh_user("alice") == "jupyter-alice"
    assert tljh_user("a-very-long-student-name") == "jupyter-a-very-long-studen-147a3"


def report(roster: Path, box: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backcourse", "report", "--roster", str(roster),
                           "--journals", str(box), "--out", str(out)], capture_output=True,
                          text=True, timeout=600)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make a file of another user")
def test_the_report_refuses_a_shared_copy_that_its_student_does_not_own(
        journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A classmate who plants alice.json (here: the user nobody) cannot pass it off as hers;
    the file named for its owner, or for the TLJH user of that name, is taken."""
    box = tmp_path / "box"
    box.mkdir()
    planted = share_journal(journal, box, "alice")
    os.chown(planted, 65534, 65534)  # the user nobody wrote it
    roster = tmp_path / "roster.csv"
    roster.write_text("client_id,journal\nalice,alice.json\n", encoding="utf-8")
    done = report(roster, box, tmp_path / "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == ("backcourse report: roster.csv: row 2: journal: alice.json belongs "
                           "to the user nobody, not to alice: only a copy alice shared counts; "
                           "delete it and ask alice to share again\n")
    assert not (tmp_path / "out").exists()
    with pytest.raises(RosterError, match="row 2: journal: alice.json belongs to user id 4242"):
        os.chown(planted, 4242, 4242)  # a user the system does not name
        read_roster(roster, COURSE, journals=box)
    monkeypatch.setattr("pwd.getpwuid", lambda uid: SimpleNamespace(
        pw_name="jupyter-alice" if uid == 4242 else "someone"))
    assert [c.journal for c in read_roster(roster, COURSE, journals=box)] == [planted]
    planted.rename(box / "nobody.json")  # named for the user who owns it: taken
    os.chown(box / "nobody.json", 65534, 65534)
    roster.write_text("client_id,journal\nnobody,nobody.json\n", encoding="utf-8")
    monkeypatch.undo()
    assert len(read_roster(roster, COURSE, journals=box)) == 1
    (box / "alice.json").symlink_to(box / "nobody.json")  # a link is never a shared copy
    roster.write_text("client_id,journal\nalice,alice.json\n", encoding="utf-8")
    with pytest.raises(RosterError, match="alice.json is a symbolic link; a shared copy is a"):
        read_roster(roster, COURSE, journals=box)
