"""The browser edition (`backcourse site --out DIR`): the course as a static site.

DIR holds a home page (units, time, objectives), the handout pages, and one JupyterLite build
(``lab/``) on a Pyodide runtime served from DIR itself: the notebooks run in the learner's
browser, each unit alone in the Notebook page (it fits a phone; the whole course is one link
to JupyterLab and its file browser), and the no-code app is the lab's REPL running the app
with its code hidden (Voici cannot run it: the Pyodide it needs has no sqlite3; README, "The
course in the browser"). Nothing is fetched at run time: no CDN, and the kernel's PyPI
fallback is off.

At build time the tools and wheels come from PyPI and the Pyodide runtime from npm, each
pinned by hash in ``site_pins/``, into a cache kept between builds, so a second build needs
no network (``offline``). The lite folder is made afresh every time: JupyterLite's own
build cache can silently drop the local Pyodide setting, which the build then checks.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import backcourse
from backcourse.content.load import load_course
from backcourse.core.errors import BackcourseError
from backcourse.infra.files import folder, sha256
from backcourse.infra.paths import app_page, data_dir, notebooks_dir
from backcourse.render.pages import page

PINS = Path(__file__).resolve().parent / "site_pins"
PYPI = "https://pypi.org/simple"
#: the tools are pinned (with hashes) for this interpreter and machine
TOOLS_PYTHON, TOOLS_MACHINE = (3, 11), "x86_64"
#: written into DIR, so that a rebuild may empty it and nothing else is ever emptied
MARKER = ".backcourse-site"
#: the Pyodide runtime files taken from npm (no source maps, consoles or typings)
RUNTIME = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
           "python_stdlib.zip", "package.json", "pyodide-lock.json")
#: what the kernel loads at start besides its own needs
START = ("comm", "ipywidgets", "backcourse")
#: the lock entries the build adds: name -> (import names, depends)
ADDED: dict[str, tuple[list[str], list[str]]] = {
    "comm": (["comm"], []),
    "ipywidgets": (["ipywidgets"], ["comm", "ipython", "traitlets"]),
    "pyyaml": (["yaml"], []),  # the pure-Python build: no _yaml
    "backcourse": (["backcourse"], ["pyyaml", "platformdirs", "ipywidgets"]),
}
#: lock dependencies that need wasm wheels only Pyodide's CDN has (sqlite3 is in 314's stdlib)
DROP_DEPENDS = {"ipython": {"sqlite3"}, "matplotlib-inline": {"matplotlib"}}
#: package parts the browser never uses (instructor slides' reveal.js and MathJax; these pins)
NOT_IN_BROWSER = ("export/slide_assets", "export/site_pins")
#: the no-code app: the lab's REPL runs the app with its code hidden
APP_CODE = "from backcourse.views.app import LearnerApp\nLearnerApp.from_environment()"
APP_URL = "lab/repl/index.html?" + urllib.parse.urlencode({
    "kernel": "python", "showBanner": "0", "hideCodeInput": "1", "promptCellPosition": "top",
    "code": APP_CODE})
#: one notebook alone in Jupyter Notebook's one-document page, which fits a phone: each
#: unit's link and the start button
NOTEBOOK_URL = "lab/notebooks/index.html?path="
#: JupyterLab with the course's notebooks in its file browser: the one link to the whole course
LAB_URL = "lab/lab/index.html?path="
#: the lab's pages that show widgets, and the script that names their controls there
WIDGET_PAGES = ("lab/index.html", "notebooks/index.html", "repl/index.html")
WIDGET_SCRIPT = "backcourse-widgets.js"
#: the app page shows the app only, from its top: no prompt to type code into (nor the band
#: it takes), no cell numbers; the console scrolls to its end on each update, so not here
APP_PAGE = """<style>
.jp-CodeConsole-split > .jp-CodeConsole-input, .jp-CodeConsole-split > .lm-SplitPanel-handle,
.jp-CodeConsole .jp-InputPrompt, .jp-CodeConsole .jp-OutputPrompt,
.jp-CodeConsole .jp-OutputArea-promptOverlay { display: none !important; }
.jp-CodeConsole-split > .jp-CodeConsole-content { top: 0 !important; height: 100% !important; }
</style>
<script>
(function readFromTheTop() {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.console) { setTimeout(readFromTheTop, 100); return; }
  panel.console.onUpdateRequest = () => {};
})();
</script>
"""
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # the same wheel bytes for the same files


class SiteError(BackcourseError):
    """The site cannot be built; the message says what is missing and what to do."""


@dataclasses.dataclass(frozen=True)
class Built:
    out: Path
    seconds: dict[str, float]
    megabytes: float  # without source maps
    handouts_failed: dict[Path, Exception]


class Steps:
    """Numbered build steps, each said when it starts and timed."""

    def __init__(self, total: int, say: Callable[[str], None]) -> None:
        self.total, self.say, self.done = total, say, 0
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.done += 1
        self.say(f"[{self.done}/{self.total}] {name}")
        start = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - start, 2)


def default_cache() -> Path:
    """Where downloads and build tools are kept between builds (the user's cache folder)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("backcourse", appauthor=False)) / "site"


def pins() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PINS / "kernel.json").read_text(encoding="utf-8"))
    return loaded


class Builder:
    """One build: the cache, the network policy, and how a failed tool is reported."""

    def __init__(self, cache: Path, offline: bool) -> None:
        self.cache, self.offline = folder(cache), offline

    def run(self, what: str, cmd: list[str], *, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> None:
        done = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=True)
        if done.returncode:
            log = self.cache / "last-failure.log"
            log.write_text(f"$ {' '.join(cmd)}\n{done.stdout}\n{done.stderr}", encoding="utf-8")
            raise SiteError(f"{what} failed (exit {done.returncode}); its output is in {log}")

    def need_network(self, what: str) -> None:
        if self.offline:
            raise SiteError(f"--offline, but the cache {self.cache} lacks {what}; build once "
                            "with the network (or give a filled cache with --cache)")

    def pip_env(self) -> dict[str, str]:
        """pip on PyPI only: this machine's pip config, find-links and mirrors ignored."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
        env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1",
                   PIP_DEFAULT_TIMEOUT="60")
        if os.environ.get("PIP_CERT"):
            env["PIP_CERT"] = os.environ["PIP_CERT"]
        return env

    # the build tools (a CPython venv) ---------------------------------------------------

    def tools(self) -> Path:
        """A venv with the pinned, hash-checked tools; kept while the pins are unchanged."""
        if sys.version_info[:2] != TOOLS_PYTHON or platform.machine() != TOOLS_MACHINE or \
                sys.platform != "linux":
            raise SiteError(
                f"the site's build tools are pinned for CPython 3.11 on Linux x86_64 "
                f"({PINS / 'tools.txt'}); this is Python {platform.python_version()} on "
                f"{sys.platform} {platform.machine()}: run it with Python 3.11")
        req = PINS / "tools.txt"
        venv = self.cache / "tools-venv"
        stamp = venv / ".pins-sha256"
        if stamp.is_file() and stamp.read_text() == sha256(req):
            return venv
        wheels = folder(self.cache / "pip")
        have = {sha256(p) for p in wheels.glob("*.whl")}
        if not set(re.findall(r"--hash=sha256:([0-9a-f]{64})", req.read_text())) <= have:
            self.need_network("the pinned build tools")
            self.run("downloading the build tools", [
                sys.executable, "-m", "pip", "download", "--require-hashes", "--only-binary",
                ":all:", "--index-url", PYPI, "-d", str(wheels), "-r", str(req)],
                env=self.pip_env())
        shutil.rmtree(venv, ignore_errors=True)
        self.run("making the tools' venv", [sys.executable, "-m", "venv", str(venv)])
        self.run("installing the build tools", [
            str(venv / "bin/python"), "-m", "pip", "install", "--no-index", "--find-links",
            str(wheels), "--require-hashes", "-r", str(req)], env=self.pip_env())
        stamp.write_text(sha256(req))
        return venv

    # the Pyodide runtime (npm) and the wheels it loads --------------------------------

    def npm_tarball(self, version: str, integrity: str) -> Path:
        """npm's pyodide tarball, checked against its pinned sha512 integrity."""
        npm = folder(self.cache / "npm")
        tgz = npm / f"pyodide-{version}.tgz"

        def ok() -> bool:
            if not tgz.is_file():
                return False
            digest = base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
            return f"sha512-{digest}" == integrity

        if not ok():
            self.need_network(tgz.name)
            if shutil.which("npm") is None:
                raise SiteError("the first build fetches Pyodide with npm: install it (Debian: "
                                "apt-get install npm)")
            tgz.unlink(missing_ok=True)
            self.run("npm pack pyodide", ["npm", "pack", f"pyodide@{version}",
                                          "--pack-destination", str(npm)])
            if not ok():
                tgz.unlink(missing_ok=True)
                raise SiteError(f"{tgz.name} from npm does not match its pinned integrity")
        return tgz

    def wheel(self, entry: dict[str, str], python: str) -> Path:
        """A pure-Python wheel from PyPI for the browser, checked against its sha256."""
        wheels = folder(self.cache / "wheels")
        dest = wheels / entry["file"]
        if dest.is_file() and sha256(dest) == entry["sha256"]:
            return dest
        self.need_network(entry["file"])
        with tempfile.TemporaryDirectory() as tmp:
            self.run(f"downloading {entry['req']}", [
                sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                "--python-version", python, "--index-url", PYPI, "-d", tmp, entry["req"]],
                env=self.pip_env())
            (got,) = Path(tmp).glob("*.whl")
            if sha256(got) != entry["sha256"]:
                raise SiteError(f"{got.name} from PyPI does not match its pinned sha256")
            shutil.move(str(got), dest)
        return dest

    def pyyaml(self, pin: dict[str, str]) -> Path:
        """PyYAML as a pure-Python wheel, made from the Python files of its pinned sdist."""
        sdist = folder(self.cache / "sdist") / pin["sdist"]
        if not (sdist.is_file() and sha256(sdist) == pin["sha256"]):
            self.need_network(pin["sdist"])
            req = sdist.parent / "pyyaml.txt"
            req.write_text(f"{pin['req']} --hash=sha256:{pin['sha256']}\n")
            self.run("downloading PyYAML", [
                sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                "--require-hashes", "--index-url", PYPI, "-d", str(sdist.parent), "-r",
                str(req)], env=self.pip_env())
        version = pin["req"].split("==")[1]
        files = {}
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                found = re.fullmatch(r"[^/]+/lib/(yaml/[a-z_]+\.py)", member.name)
                handle = tar.extractfile(member) if found else None
                if found and handle:
                    files[found.group(1)] = handle.read()
        if "yaml/__init__.py" not in files:
            raise SiteError(f"{sdist.name} has no lib/yaml/: not the PyYAML sdist pinned")
        return write_wheel(folder(self.cache / "built"), "pyyaml", version, files)


def write_wheel(dest: Path, name: str, version: str, files: dict[str, bytes],
                requires: tuple[str, ...] = ()) -> Path:
    """A pure-Python wheel of ``files`` (path in the wheel -> bytes), with its metadata."""
    dist = re.sub(r"[-_.]+", "_", name).lower()
    info = f"{dist}-{version}.dist-info"
    meta = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                    *(f"Requires-Dist: {r}\n" for r in requires)])
    files = dict(sorted(files.items())) | {
        f"{info}/METADATA": meta.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: backcourse site\n"
                         b"Root-Is-Purelib: true\nTag: py3-none-any\n"}
    rows = [f"{member},sha256={_record_hash(data)},{len(data)}\n" for member, data in files.items()]
    files[f"{info}/RECORD"] = ("".join(rows) + f"{info}/RECORD,,\n").encode()
    wheel = dest / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(zipfile.ZipInfo(member, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return wheel


def _record_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")


def backcourse_wheel(dest: Path) -> Path:
    """This backcourse as a wheel for the browser: the package with its course data and
    notebooks, without what only an instructor's computer uses."""
    package = Path(backcourse.__file__).resolve().parent
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        inside = path.relative_to(package).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and not inside.startswith(
                (*NOT_IN_BROWSER, "data/", "notebooks/")):
            files[f"backcourse/{inside}"] = path.read_bytes()
    for name, source in (("data", data_dir()), ("notebooks", notebooks_dir())):
        for path in sorted(source.rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                files[f"backcourse/{name}/{path.relative_to(source).as_posix()}"] = \
                    path.read_bytes()
    return write_wheel(dest, "backcourse", backcourse.__version__, files,
                       requires=tuple(ADDED["backcourse"][1]))


def canon(name: str) -> str:
    """A package name as Pyodide compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def stage_pyodide(builder: Builder, dest: Path, added: dict[str, Path]) -> None:
    """The runtime from npm, the wheels, and a lock listing exactly the wheels shipped."""
    pinned = pins()
    runtime = pinned["pyodide"]
    with tarfile.open(builder.npm_tarball(runtime["version"], runtime["integrity"])) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if name in RUNTIME:
                member.name = name
                tar.extract(member, dest, filter="data")
    lock = json.loads((dest / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages: dict[str, Any] = {}
    for entry in pinned["lock_wheels"]:  # the lock's own pure-Python packages, from PyPI
        wheel = builder.wheel(entry, runtime["python"])
        item = lock["packages"][entry["lock"]]
        if item["version"] != entry["req"].split("==")[1] or item["file_name"] != entry["file"]:
            raise SiteError(f"the pin {entry['req']} does not match Pyodide's lock "
                            f"({item['name']} {item['version']}); re-pin site_pins/kernel.json")
        shutil.copy2(wheel, dest / item["file_name"])
        item["sha256"] = sha256(wheel)
        item["depends"] = [d for d in item["depends"]
                           if d not in DROP_DEPENDS.get(entry["lock"], set())]
        packages[entry["lock"]] = item
    for name, wheel in added.items():
        imports, depends = ADDED[name]
        shutil.copy2(wheel, dest / wheel.name)
        packages[name] = {"name": name, "version": wheel.name.split("-")[1],
                          "file_name": wheel.name, "install_dir": "site",
                          "sha256": sha256(wheel), "package_type": "package",
                          "imports": imports, "depends": depends, "unvendored_tests": False}
    missing = {canon(d) for p in packages.values() for d in p["depends"]} - set(packages)
    if missing:
        raise SiteError(f"Pyodide's lock needs packages the site does not ship: "
                        f"{', '.join(sorted(missing))}")
    lock["packages"] = dict(sorted(packages.items()))
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, indent=1), encoding="utf-8")


def lite_config() -> dict[str, Any]:
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "backcourse",
        "exposeAppInBrowser": True,  # window.jupyterapp: the browser tests drive the lab
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "disablePyPIFallback": True,
            "loadPyodideOptions": {"packages": list(START)}}}}}


def build_lab(builder: Builder, venv: Path, out: Path) -> None:
    """JupyterLite in ``out``, from a fresh lite folder, with its result checked."""
    src = builder.cache / "lite"
    shutil.rmtree(src, ignore_errors=True)  # also its .jupyterlite.doit.db
    contents = folder(src / "contents")
    for notebook in sorted(notebooks_dir().glob("*.ipynb")):
        shutil.copy2(notebook, contents / notebook.name)
    (src / "jupyter-lite.json").write_text(json.dumps(lite_config(), indent=1))
    pinned = pins()
    python = pinned["pyodide"]["python"]
    added = {e["req"].split("==")[0]: builder.wheel(e, python) for e in pinned["added_wheels"]}
    wheels = folder(src / "wheels")
    added |= {"pyyaml": builder.pyyaml(pinned["pyyaml"]), "backcourse": backcourse_wheel(wheels)}
    stage_pyodide(builder, src / "static" / "pyodide", added)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "JUPYTER_DATA_DIR": str(src / ".jupyter-data"),
            "JUPYTER_CONFIG_DIR": str(src / ".jupyter-config")}
    builder.run("jupyter lite build", [
        str(venv / "bin/jupyter"), "lite", "build", "--contents", "contents", "--output-dir",
        str(out), "--no-sourcemaps"], cwd=src, env=env)
    name_widget_controls(out)
    check_lab(out)


def widget_script() -> str:
    """The script that gives ipywidgets' toggle buttons their pressed state and slider
    handles their label, as the app's Voila template has it (one copy, kept there)."""
    template = app_page() / "jupyter/voila/templates/backcourse/index.html.j2"
    found = re.search(r"\{%- block footer_js -%\}\s*<script>(.*?)</script>",
                      template.read_text(encoding="utf-8"), re.S)
    if found is None:
        raise SiteError(f"{template} has no footer_js script for the widgets")
    return found.group(1).strip() + "\n"


def name_widget_controls(out: Path) -> None:
    """Add the widget script to each lab page that shows widgets; the app's page (the
    REPL) also hides the console's prompt."""
    (out / WIDGET_SCRIPT).write_text(widget_script(), encoding="utf-8")
    for name in WIDGET_PAGES:
        html_page = out / name
        text = html_page.read_text(encoding="utf-8")
        if text.count("</body>") != 1:
            raise SiteError(f"{html_page} is not a page this build knows (one </body>)")
        extra = f'<script src="../{WIDGET_SCRIPT}"></script>\n'
        if name.startswith("repl/"):
            extra += APP_PAGE
        html_page.write_text(text.replace("</body>", extra + "</body>"), encoding="utf-8")


def check_lab(out: Path) -> None:
    """The built lab uses its own Pyodide and nothing from the web."""
    config = json.loads((out / "jupyter-lite.json").read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"].get("litePluginSettings", {}).get(
        "@jupyterlite/pyodide-kernel-extension:kernel", {})
    if not (str(kernel.get("pyodideUrl", "")).startswith("./static/pyodide/")
            and kernel.get("disablePyPIFallback") is True):
        raise SiteError(f"{out / 'jupyter-lite.json'} lost the local Pyodide or the PyPI "
                        f"fallback setting: {json.dumps(kernel)[:200]}")
    lock = json.loads((out / "static/pyodide/pyodide-lock.json").read_text(encoding="utf-8"))
    for item in lock["packages"].values():
        if sha256(out / "static/pyodide" / item["file_name"]) != item["sha256"]:
            raise SiteError(f"{item['file_name']} in the site does not match its lock entry")
    web = re.compile(r'<(?:script|link|img)[^>]*(?:src|href)="(?:https?:)?//')
    for html_page in out.rglob("*.html"):
        if web.search(html_page.read_text(encoding="utf-8")):
            raise SiteError(f"{html_page} loads something from the web")


def home_page(out: Path, handouts: bool) -> Path:
    """The course home: each unit with its time and objectives, its page and its notebook
    (alone, in the Notebook page), and one link to the whole course in JupyterLab."""
    course = load_course()
    units = [{"title": u.title, "minutes": u.minutes, "objectives": list(u.objectives),
              "notebook": NOTEBOOK_URL + urllib.parse.quote(u.notebook),
              "handout": f"handouts/{Path(u.notebook).stem}.handout.html" if handouts else ""}
             for u in course.units]
    first = urllib.parse.quote(course.units[0].notebook)
    target = out / "index.html"
    target.write_text(page("site_home.html.j2", title="backcourse: exercise for low back pain",
                           stylesheet="", units=units, start=NOTEBOOK_URL + first,
                           lab=LAB_URL + first, app=APP_URL, handouts=handouts,
                           version=backcourse.__version__,
                           minutes=sum(u.minutes for u in course.units)), encoding="utf-8")
    return target


def empty_out(out: Path) -> None:
    """Make ``out`` an empty folder; only a folder that is empty or an earlier site."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is not a folder; name a new or empty folder for the site")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SiteError(f"{out} is not empty and holds no backcourse site; name a new or "
                            "empty folder (a rebuild replaces only an earlier site)")
        shutil.rmtree(out)
    folder(out)


def size(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file()
               and not p.name.endswith(".map"))


def build_site(out: Path, *, cache: Path | None = None, offline: bool = False,
               handouts: bool = True, jobs: int = 2,
               say: Callable[[str], None] = print) -> Built:
    """Build the site into ``out`` (emptied first; only an empty folder or an earlier site)."""
    from backcourse.export.handouts import build_handouts
    from backcourse.export.slides import find_notebooks

    builder = Builder(cache or default_cache(), offline)
    steps = Steps(4 if handouts else 3, say)
    empty_out(out)
    failed: dict[Path, Exception] = {}
    with steps.step("build tools (pinned; downloaded once into the cache)"):
        venv = builder.tools()
    with steps.step("JupyterLite with Pyodide and the course's wheels"):
        build_lab(builder, venv, out / "lab")
    if handouts:
        notebooks = find_notebooks([])
        count = iter(range(1, len(notebooks) + 1))

        def done(notebook: Path) -> None:
            say(f"      {next(count)}/{len(notebooks)} {notebook.name}")

        with steps.step(f"handout pages ({len(notebooks)} notebooks)"):
            _, failed = build_handouts(notebooks, out / "handouts", jobs=jobs, on_done=done)
    with steps.step("home page"):
        home_page(out, handouts)
        (out / ".nojekyll").write_text("")  # GitHub Pages: serve every file as it is
        (out / MARKER).write_text(f"backcourse {backcourse.__version__}\n")
    return Built(out, steps.seconds, round(size(out) / 1e6, 1), failed)
