"""A journal on a network file system (NFS, SMB, CephFS ...) is refused when it would be
written, in one line, because SQLite's write-ahead log can lose or damage saves there;
reading it (an export) still works, and an admin may accept the risk."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcourse import cli
from backcourse.infra.files import file_system
from backcourse.journal import store
from backcourse.journal.store import Journal, JournalError

MOUNTS = "\n".join([
    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
    "30 22 0:40 / /home rw,relatime shared:9 - nfs4 nas:/export/home rw,vers=4.2",
    "31 30 254:2 / /home/local\\040disk rw shared:10 - xfs /dev/vdb rw",
    "32 22 0:41 / /srv/share rw - cifs //files/share rw",
    "33 22 0:42 / /srv/share rw - tmpfs tmpfs rw",  # mounted over it: the last one counts
    "not a mount line",
])


@pytest.mark.parametrize("path, kind", [
    ("/", "ext4"), ("/etc/passwd", "ext4"), ("/homework", "ext4"),  # not below /home
    ("/home", "nfs4"), ("/home/jupyter-alice/.local/share/backcourse", "nfs4"),
    ("/home/local disk/me", "xfs"), ("/srv/share/x", "tmpfs"),
])
def test_the_file_system_of_a_path_is_read_from_the_mount_table(path: str, kind: str) -> None:
    assert file_system(Path(path), MOUNTS) == kind


def test_no_mount_table_means_unknown(tmp_path: Path) -> None:
    assert file_system(tmp_path, "") is None
    assert file_system(tmp_path) not in (None, "nfs4")  # this machine's own table is read


@pytest.fixture
def on_nfs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "file_system", lambda _path: "nfs4")
    monkeypatch.delenv(store.NETWORK_ENV, raising=False)


def test_a_journal_on_nfs_is_refused_before_anything_is_written(on_nfs: None,
                                                                tmp_path: Path) -> None:
    home = tmp_path / "home"
    with pytest.raises(JournalError) as refused:
        Journal(home / "me.sqlite3")
    said = str(refused.value)
    assert "\n" not in said
    assert said.startswith(f"the journal folder {home} is on a network file system (nfs4)")
    assert "BACKCOURSE_ALLOW_NETWORK_FS" in said
    assert not home.exists()  # nothing was made there


def test_a_journal_on_nfs_can_still_be_exported_and_an_admin_can_accept_the_risk(
        on_nfs: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    journal = tmp_path / "home" / "me.sqlite3"
    monkeypatch.setenv(store.NETWORK_ENV, "1")
    with Journal(journal) as opened:
        assert opened.version == store.SCHEMA_VERSION
    monkeypatch.setenv(store.NETWORK_ENV, "yes")  # only 1 accepts it
    with pytest.raises(JournalError, match="is on a network file system"):
        Journal(journal)
    assert cli.main(["journal", "export", str(tmp_path / "out.json"), "--home",
                     str(journal.parent)]) == 0
    assert cli.main(["journal", "import", str(tmp_path / "out.json"), "--replace", "--home",
                     str(journal.parent)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"backcourse journal import: the journal folder {journal.parent} is "
                          "on a network file system (nfs4)")
