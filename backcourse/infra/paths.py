"""Where the course's files live: shipped data and notebooks, and the learner's own folder."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

HOME_ENV = "BACKCOURSE_HOME"
LEARNER_ENV = "BACKCOURSE_LEARNER"
#: running in a web page (Pyodide, the browser edition that `backcourse site` builds)
IN_BROWSER = sys.platform == "emscripten"
#: the learner's folder there: in the browser's persistent storage (JupyterLite's /drive),
#: hidden from the file browser; the home folder Pyodide gives is lost on every reload
BROWSER_HOME = Path("/drive/.backcourse")
#: where the journal is kept, as the learner reads it
KEPT_ON = "in this browser, on this device" if IN_BROWSER else "on this computer"


def _package_dir() -> Path:
    root = files("backcourse")
    if not isinstance(root, Path):  # pragma: no cover - zip imports are not supported
        raise RuntimeError("backcourse must be installed as files, not run from a zip archive")
    return root


def source_root() -> Path | None:
    """The repository root when running from a source checkout (editable install), else None."""
    root = _package_dir().parent
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def checkout_around(start: Path) -> Path | None:
    """The course checkout that holds ``start`` (a folder with backcourse's pyproject.toml,
    data/ and notebooks/), if any: where a maintainer is editing."""
    for folder in (start, *start.parents):
        project = folder / "pyproject.toml"
        if (project.is_file() and (folder / "data").is_dir() and (folder / "notebooks").is_dir()
                and 'name = "backcourse"' in project.read_text(encoding="utf-8")):
            return folder
    return None


def _shipped(name: str) -> Path:
    inside = _package_dir() / name  # where a wheel puts it
    if inside.is_dir():
        return inside
    root = source_root()
    if root is not None and (root / name).is_dir():
        return root / name
    raise FileNotFoundError(f"the course's {name}/ folder is missing from {inside.parent}")


def data_dir() -> Path:
    """The folder holding the course content (``data/`` in the source tree)."""
    return _shipped("data")


def notebooks_dir() -> Path:
    """The folder holding the course notebooks as shipped."""
    return _shipped("notebooks")


def app_page() -> Path:
    """The folder with the learner app's notebook and its Voila template."""
    return _package_dir() / "serve" / "app_page"


def learner_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The learner's private data folder: the override, else $BACKCOURSE_HOME, else the user
    data folder (in the browser: :data:`BROWSER_HOME`)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    if IN_BROWSER:
        return BROWSER_HOME
    from platformdirs import user_data_dir

    return Path(user_data_dir("backcourse", appauthor=False))
