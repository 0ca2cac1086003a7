"""Copying the course into a learner's folder never overwrites their changes."""

from __future__ import annotations

from pathlib import Path

from backcourse.serve.workspace import sync


def make_course(root: Path, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / f"{name}.ipynb").write_text(text, encoding="utf-8")
    return root


def test_first_open_copies_everything(tmp_path: Path) -> None:
    src = make_course(tmp_path / "src", a="A1", b="B1")
    report = sync(src, tmp_path / "ws")
    assert report.copied == ["a.ipynb", "b.ipynb"]
    assert (tmp_path / "ws" / "a.ipynb").read_text() == "A1"


def test_unchanged_notebooks_are_updated_with_the_course(tmp_path: Path) -> None:
    src = make_course(tmp_path / "src", a="A1")
    sync(src, tmp_path / "ws")
    (src / "a.ipynb").write_text("A2")
    report = sync(src, tmp_path / "ws")
    assert report.updated == ["a.ipynb"] and (tmp_path / "ws" / "a.ipynb").read_text() == "A2"


def test_learner_changes_are_kept_and_the_update_saved_beside(tmp_path: Path) -> None:
    src = make_course(tmp_path / "src", a="A1")
    ws = tmp_path / "ws"
    sync(src, ws)
    (ws / "a.ipynb").write_text("my notes")
    (src / "a.ipynb").write_text("A2")
    report = sync(src, ws)
    assert (ws / "a.ipynb").read_text() == "my notes"
    assert report.kept == ["a.ipynb"]
    assert (ws / "a (course update).ipynb").read_text() == "A2"
    assert any("Kept your changed a.ipynb" in line for line in report.lines())
    again = sync(src, ws)
    assert again.kept == ["a.ipynb"] and again.new_versions == []


def test_checkpoints_and_hidden_files_are_not_copied(tmp_path: Path) -> None:
    src = make_course(tmp_path / "src", a="A1")
    (src / ".ipynb_checkpoints").mkdir()
    (src / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("old")
    report = sync(src, tmp_path / "ws")
    assert report.copied == ["a.ipynb"]


def test_a_damaged_manifest_keeps_every_differing_file(tmp_path: Path) -> None:
    """If the record of shipped versions is unreadable, nothing the learner has is overwritten."""
    src = make_course(tmp_path / "src", a="A1")
    ws = tmp_path / "ws"
    sync(src, ws)
    (ws / ".backcourse-manifest.json").write_text("{broken")
    (ws / "a.ipynb").write_text("mine")
    report = sync(src, ws)
    assert report.kept == ["a.ipynb"] and (ws / "a.ipynb").read_text() == "mine"
