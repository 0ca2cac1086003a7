"""Copy the shipped course into a learner's folder without overwriting their changes."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
from pathlib import Path

from backcourse.infra.files import folder, sha256

MANIFEST = ".backcourse-manifest.json"


@dataclasses.dataclass
class SyncReport:
    """What happened to each course file when the workspace was brought up to date."""

    copied: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    kept: list[str] = dataclasses.field(default_factory=list)  # learner-changed, left alone
    new_versions: list[str] = dataclasses.field(default_factory=list)  # saved beside a kept file

    def lines(self) -> list[str]:
        out = []
        if self.copied:
            out.append(f"Copied {len(self.copied)} course files.")
        if self.updated:
            out.append(f"Updated {len(self.updated)} notebooks you had not changed: "
                       + ", ".join(self.updated))
        for name in self.kept:
            out.append(f"Kept your changed {name}; it was not overwritten.")
        for name in self.new_versions:
            out.append(f"The course's newer version is beside it as {name}.")
        return out


def sync(source: Path, dest: Path) -> SyncReport:
    """Bring ``dest`` up to date with ``source`` (the shipped notebooks folder).

    A file the learner has changed since it was copied is never overwritten; when the
    course has a newer version of it, that version is saved beside it instead.
    """
    folder(dest)
    manifest_path = dest / MANIFEST
    shipped: dict[str, str] = {}
    if manifest_path.is_file():
        # an unreadable manifest only means every differing file is treated as the learner's
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            loaded = json.loads(manifest_path.read_text(encoding="utf-8"))
            shipped = loaded if isinstance(loaded, dict) else {}
    report = SyncReport()
    for src in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = src.relative_to(source).as_posix()
        if "/." in f"/{rel}" or "__pycache__" in rel:
            continue
        target = dest / rel
        new = sha256(src)
        have = sha256(target) if target.exists() else None
        if have is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            report.copied.append(rel)
        elif have == new:
            pass
        elif have == shipped.get(rel):
            shutil.copyfile(src, target)
            report.updated.append(rel)
        else:
            report.kept.append(rel)
            if shipped.get(rel) != new:
                beside = target.with_name(f"{target.stem} (course update){target.suffix}")
                shutil.copyfile(src, beside)
                report.new_versions.append(beside.relative_to(dest).as_posix())
        shipped[rel] = new
    manifest_path.write_text(json.dumps(shipped, indent=1, sort_keys=True), encoding="utf-8")
    return report
