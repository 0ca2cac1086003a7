"""Shared fixtures. Every test (and every notebook kernel nbval starts) gets a private
learner folder, so nothing is written to the real home directory."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from backcourse.infra.paths import data_dir, notebooks_dir

_HOME = tempfile.mkdtemp(prefix="backcourse-test-home-")
os.environ["BACKCOURSE_HOME"] = _HOME
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Running every notebook (nbval) is part of the slow suite."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the course content, to break on purpose."""
    return Path(shutil.copytree(data_dir(), tmp_path / "data"))


@pytest.fixture
def notebooks_copy(tmp_path: Path) -> Path:
    """A writable copy of the course notebooks."""
    return Path(shutil.copytree(notebooks_dir(), tmp_path / "notebooks"))
