"""`backcourse site`: the parts of the build that need no download, and its refusals."""

from __future__ import annotations

import base64
import email
import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from markupsafe import escape

from backcourse import __version__, cli
from backcourse.content.load import load_course
from backcourse.export import site


def test_the_browser_wheel_has_the_course_and_not_the_instructors_assets(
        tmp_path: Path) -> None:
    """The wheel carries the package, its data and notebooks, a valid RECORD, and the three
    packages the browser needs; the slides' reveal.js and MathJax stay out."""
    wheel = site.backcourse_wheel(tmp_path)
    assert wheel.name == f"backcourse-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"backcourse-{__version__}.dist-info"
        meta = email.message_from_bytes(archive.read(f"{info}/METADATA"))
        record = archive.read(f"{info}/RECORD").decode()
        for row in record.splitlines()[:-1]:
            member, digest, length = row.split(",")
            data = archive.read(member)
            assert len(data) == int(length) and digest.startswith("sha256=")
            assert hashlib.sha256(data).digest() == base64.urlsafe_b64decode(digest[7:] + "==")
    assert {"backcourse/data/course.yaml", "backcourse/notebooks/00_start_here.ipynb",
            "backcourse/views/app.py", "backcourse/journal/store.py"} <= names
    assert not [n for n in names if "slide_assets" in n or "site_pins" in n
                or "__pycache__" in n]
    assert meta.get_all("Requires-Dist") == ["pyyaml", "platformdirs", "ipywidgets"]
    assert wheel.stat().st_size < 1_000_000
    assert site.backcourse_wheel(tmp_path).read_bytes() == wheel.read_bytes()  # reproducible


def test_every_pin_is_hashed() -> None:
    """Each build tool and each browser wheel is pinned to one version and one sha256."""
    for line in (site.PINS / "tools.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[^ ]+ --hash=sha256:[0-9a-f]{64}", line), line
    pins = site.pins()
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/=]{88}", pins["pyodide"]["integrity"])
    for entry in pins["lock_wheels"] + pins["added_wheels"] + [pins["pyyaml"]]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[^ ]+", entry["req"])
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]), entry


def test_the_home_page_lists_every_unit_with_its_time_objectives_and_links(
        tmp_path: Path) -> None:
    course = load_course()
    text = site.home_page(tmp_path, handouts=True).read_text()
    first = course.units[0].notebook
    assert f'<a class="button" href="lab/notebooks/index.html?path={first}">Run it in your ' \
           f'browser</a>' in text
    assert "Open the app (no code)" in text
    # one link opens the whole course in JupyterLab, every notebook in its file browser
    assert text.count('href="lab/lab/') == 1
    assert f'<a href="lab/lab/index.html?path={first}">Open the whole course in JupyterLab' \
           in text
    for unit in course.units:
        assert escape(unit.title) in text and f"({unit.minutes} min)" in text
        assert f"handouts/{unit.notebook[:-6]}.handout.html" in text
        # each unit alone in the Notebook page, which fits a phone; not in the lab
        assert f'<a href="lab/notebooks/index.html?path={unit.notebook}" aria-label="Open ' \
               f'{escape(unit.title)} in your browser">' in text
        opens = text.count(f'href="lab/notebooks/index.html?path={unit.notebook}"')
        assert opens == (2 if unit == course.units[0] else 1)  # the first: the start button
        assert all(escape(o) in text for o in unit.objectives)
    assert "lab/repl/index.html?kernel=python" in text and "hideCodeInput=1" in text
    assert not re.search(r'(?:src|href)="(?:https?:)?//', text)  # nothing from the web
    assert "through a web" in text and "python3 -m http.server" in text  # not from file://
    # a learner read the server command as meant for them: it sits after the units, under a
    # heading for whoever runs the site
    assert text.index("The units") < text.index("For whoever runs this site") \
        < text.index('id="web-server"')
    assert "handout.html" not in site.home_page(tmp_path, handouts=False).read_text()


def test_a_built_lab_that_lost_its_local_pyodide_is_refused(tmp_path: Path) -> None:
    config = site.lite_config()
    (tmp_path / "jupyter-lite.json").write_text(json.dumps(config))  # no pyodideUrl
    with pytest.raises(site.SiteError, match="lost the local Pyodide"):
        site.check_lab(tmp_path)
    assert config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]["disablePyPIFallback"] is True


def test_only_an_empty_folder_or_an_earlier_site_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(site.SiteError, match="not empty and holds no backcourse site"):
        site.empty_out(tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    earlier = tmp_path / "site"
    (earlier / "lab").mkdir(parents=True)
    (earlier / site.MARKER).write_text("backcourse\n")
    site.empty_out(earlier)
    assert list(earlier.iterdir()) == []


def test_offline_with_an_empty_cache_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What the cache lacks is named in one line (or, elsewhere, which Python the pins
    need); nothing is downloaded and the output folder stays empty."""
    code = cli.main(["site", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c"),
                     "--offline", "--no-handouts"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[-1].startswith("backcourse site: ")
    assert re.search(r"--offline, but the cache .* lacks the pinned build tools|pinned for "
                     r"CPython 3\.11", err[-1])
    assert list((tmp_path / "out").iterdir()) == []


def test_the_lab_pages_get_the_apps_widget_script(tmp_path: Path) -> None:
    """Toggle buttons get their pressed state in the lab and the app as in Voila: the same
    script, taken from the app's template, is added to each page that shows widgets."""
    for name in site.WIDGET_PAGES:
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text("<html><body><div></div></body></html>")
    site.name_widget_controls(tmp_path)
    script = (tmp_path / site.WIDGET_SCRIPT).read_text()
    assert "aria-pressed" in script and "MutationObserver" in script
    assert "<script" not in script and "{%" not in script
    for name in site.WIDGET_PAGES:
        text = (tmp_path / name).read_text()
        assert f'<script src="../{site.WIDGET_SCRIPT}"></script>\n' in text
        assert ("jp-CodeConsole-input" in text) == name.startswith("repl/")
