"""A copy of a learner's journal for their instructor: only when the learner asks, and only
into the folder the instructor names (`backcourse journal share --to DIR`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from backcourse.core.parse import brief
from backcourse.core.records import LEARNER
from backcourse.infra.files import describe
from backcourse.journal.store import Journal, JournalError


def share_journal(journal: Path, folder: Path, name: str) -> Path:
    """Write an export of ``journal`` to ``folder/<name>.json``, owner-only, replacing the
    learner's own earlier copy. ``folder`` must already exist: the instructor makes it."""
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
        raise JournalError(f"{target} belongs to another user; share under another name "
                           "with --name")
    try:
        with Journal(journal, readonly=True) as opened:
            return opened.export_json(target)
    except PermissionError:
        raise JournalError(f"cannot write into {folder}: permission denied; ask your "
                           "instructor to check the folder") from None
