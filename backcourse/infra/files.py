"""Files people hand to backcourse, and the owner-only files it writes (health data).

Reading refuses anything that is not a plain UTF-8 file of a sensible size, naming what it
is instead (a folder, a named pipe ...), and never waits on a pipe. Writing creates folders
0700 and files 0600 whatever the umask, never follows a link, and replaces atomically.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from backcourse.core.errors import BackcourseError

#: the largest file backcourse reads (a journal export of 10,000 sessions is about 3 MB)
MAX_BYTES = 64 * 2**20
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600
#: file systems that reach a disk over the network (Linux's names, as in /proc/self/mountinfo)
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "fuse.ceph-fuse", "glusterfs",
    "fuse.glusterfs", "lustre", "gpfs", "afs", "beegfs", "fuse.sshfs", "fuse.s3fs",
    "fuse.gcsfuse", "fuse.rclone", "fuse.juicefs",
})
MOUNTINFO = Path("/proc/self/mountinfo")


class FileProblem(BackcourseError):
    """A file or folder cannot be used as asked; the message is one line naming it."""


def kind(mode: int) -> str:
    """What a file-system entry is, in words (from its ``st_mode``)."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
             (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((words for test, words in kinds if test(mode)), "a file")


def describe(path: Path) -> str:
    """What is at ``path``, in words: what a link points to, or "a symbolic link" if to
    nothing."""
    return kind((path.stat() if path.exists() else path.lstat()).st_mode)


def read_text(path: Path, *, encoding: str = "utf-8", limit: int = MAX_BYTES) -> str:
    """The text of a regular file; a clear FileProblem for anything else."""
    data = read_bytes(path, limit=limit)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{path} is not UTF-8 text (byte {exc.start + 1} cannot be read)"
                          ) from None


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; a FileProblem otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe opens at once, unread
    except FileNotFoundError:
        raise FileProblem(f"{path} does not exist") from None
    except PermissionError:
        raise FileProblem(f"{path} cannot be read: permission denied") from None
    except OSError as exc:
        raise FileProblem(f"{path} cannot be opened: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise FileProblem(f"{path} is {kind(mode)}, not a file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
        raise FileProblem(f"{path} is larger than {size}; that is not a file backcourse "
                          "expects here")
    return data


def file_system(path: Path, mountinfo: str | None = None) -> str | None:
    """The type of the file system that holds ``path`` ("ext4", "nfs4" ...), from Linux's
    mount table (``mountinfo``: its text, read from /proc when not given); None where there
    is no such table (macOS, Windows) or the path cannot be resolved."""
    if mountinfo is None:
        try:
            mountinfo = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    try:
        where = os.path.realpath(path)
    except (OSError, ValueError):
        return None
    found: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        fields, _, rest = line.partition(" - ")
        parts = fields.split(" ")
        if len(parts) < 5 or not rest:
            continue
        point = _unescape(parts[4])
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and (found is None or len(point) >= found[0]):  # the last mount wins
            found = (len(point), rest.split(" ")[0])
    return None if found is None else found[1]


def _unescape(field: str) -> str:
    """A mountinfo path field: spaces, tabs, newlines and backslashes are octal escapes."""
    for code in ("\\040", "\\011", "\\012", "\\134"):
        field = field.replace(code, chr(int(code[1:], 8)))
    return field


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder(path: Path) -> Path:
    """``path`` as a folder, made with its parents if missing; a FileProblem naming what is
    there instead, if anything else is."""
    if os.path.lexists(path) and not path.is_dir():
        raise FileProblem(f"{path} is {describe(path)}, not a folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def private_folder(path: Path) -> Path:
    """``path`` as a folder; any part of it that is missing is created owner-only (0700)."""
    missing = []
    step = path
    while not os.path.lexists(step) and step != step.parent:
        missing.append(step)
        step = step.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: checked below like any folder
        os.chmod(part, PRIVATE_FOLDER)  # whatever the umask
    if not path.is_dir():
        raise FileProblem(f"{path} is {describe(path)}, not a folder")
    return path


def write_private(path: Path, data: str | bytes, *, group: bool = False,
                  before_replace: Callable[[], None] | None = None) -> Path:
    """Replace ``path`` with an owner-only (0600) file holding ``data``, atomically: a link
    at ``path`` is replaced, never followed. ``group`` also lets the file's group read it
    (0640): the folder's group, in a setgid folder. ``before_replace`` runs last before the
    new file replaces the old, and may refuse by raising (nothing is then replaced)."""
    if path.is_dir():
        raise FileProblem(f"{path} is a folder; name a file")
    private_folder(path.parent)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if group:
            os.fchmod(fd, PRIVATE_FILE | stat.S_IRGRP)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def new_private(path: Path, text: str) -> Path:
    """Write a new owner-only file; never replace an existing file or follow a link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
