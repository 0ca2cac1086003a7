"""A copy of a learner's journal for their instructor: only when the learner asks, and only
into the folder the instructor names (`backcourse journal share --to DIR`).

In a setgid folder (a teachers' drop folder, e.g. ``root:backcourse-teachers``, mode 3753)
the copy is readable by the folder's group as well (0640), so teachers need no root; in any
other folder it is owner-only (0600). The copy is named after the learner's user name, and
`backcourse report --journals DIR` takes it as that learner's only if they own it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from backcourse.core.parse import brief
from backcourse.core.records import LEARNER
from backcourse.infra.files import describe
from backcourse.journal.store import Journal, JournalError


def share_journal(journal: Path, folder: Path, name: str) -> Path:
    """Write an export of ``journal`` to ``folder/<name>.json``, replacing the learner's own
    earlier copy: group-readable in a setgid folder, else owner-only. ``folder`` must
    already exist: the instructor makes it."""
    if not re.fullmatch(LEARNER, name):
        raise JournalError(f"the name {brief(name)} must be 1-64 letters, digits, '-' or '_' "
                           "(give one with --name)")
    if not os.path.lexists(folder):
        raise JournalError(f"there is no folder {folder}; ask your instructor for the "
                           "folder's path (backcourse does not make it)")
    if not folder.is_dir():
        raise JournalError(f"{folder} is {describe(folder)}, not a folder")
    if not os.path.lexists(journal):
        raise JournalError(f"no journal at {journal}; nothing was shared")
    target = folder / f"{name}.json"
    if os.path.lexists(target) and target.lstat().st_uid != os.geteuid():
        raise JournalError(f"{target} belongs to another user, so nothing was shared; tell "
                           "your instructor, who can have it removed")
    try:
        with Journal(journal, readonly=True) as opened:
            return opened.export_json(target, group=for_group(folder))
    except PermissionError:
        raise JournalError(f"cannot write into {folder}: permission denied; ask your "
                           "instructor to check the folder") from None


def for_group(folder: Path) -> bool:
    """Whether copies in ``folder`` are for its group: a setgid folder gives every new file
    its own group (the teachers'), so only then is a group-readable copy meant for them."""
    return os.name == "posix" and bool(folder.stat().st_mode & stat.S_ISGID)


def readers(copy: Path) -> str:
    """Who can read a shared copy, as a sentence."""
    if os.name == "posix" and copy.stat().st_mode & stat.S_IRGRP:
        import grp

        gid = copy.stat().st_gid
        try:
            group = f"the group {grp.getgrgid(gid).gr_name}"
        except KeyError:
            group = f"group id {gid}"
        return (f"Your user account, {group} (your instructors) and the computer's "
                "administrators can read the file.")
    return "Only your user account and the computer's administrators can read the file."


def tljh_user(name: str) -> str:
    """The Unix user The Littlest JupyterHub makes for hub user ``name``: ``jupyter-<name>``,
    cut to 26 characters plus a hash when it is longer (tljh/normalize.py)."""
    unix = f"jupyter-{name}"
    if len(unix) < 26:
        return unix
    return f"{unix[:26]}-{hashlib.sha256(unix.encode('utf-8')).hexdigest()[:5]}"


def not_theirs(copy: Path, name: str) -> str | None:
    """Why ``copy`` cannot be taken as the copy ``name`` shared, or None: it must be a plain
    file owned by the user ``name`` (on The Littlest JupyterHub ``jupyter-<name>``), or by
    whoever reads it (where every student is the same user, as in a one-user trial, nobody
    else can have written it). Where there are no Unix users (Windows), owners are not
    checked."""
    found = copy.lstat()
    if stat.S_ISLNK(found.st_mode):
        return (f"{copy.name} is a symbolic link; a shared copy is a plain file that "
                f"{name} writes with `backcourse journal share`")
    if os.name != "posix" or found.st_uid == os.geteuid():
        return None
    import pwd

    try:
        owner = f"the user {pwd.getpwuid(found.st_uid).pw_name}"
    except KeyError:
        owner = f"user id {found.st_uid}"
    if owner.removeprefix("the user ") in (name, tljh_user(name)):
        return None
    return (f"{copy.name} belongs to {owner}, not to {name}: only a copy {name} shared "
            f"counts; delete it and ask {name} to share again")
