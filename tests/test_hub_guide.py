"""The hub admins' guide (docs/jupyterhub.md) says what the code and the measurements say:
its settings files are the shipped ones, its backcourse commands parse, its refusal line is
the journal's, its drop folder works as described, its sizing table and its recommendation
for 120 are the arithmetic of benchmarks/hub.py on benchmarks/results-hub.json, and what it
says of user names, widgets, the Dockerfile, the kernel culler, the hub settings and the
backup loop matches our files."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import shlex
import stat
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from backcourse import cli
from backcourse.journal import store
from backcourse.journal.samples import write_persona
from backcourse.journal.share import share_journal, tljh_user
from backcourse.journal.store import Journal, JournalError, journal_path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "jupyterhub.md").read_text(encoding="utf-8")
FLAT = " ".join(GUIDE.split())  # its prose with line breaks and indents as single spaces
RESULTS = json.loads((ROOT / "benchmarks" / "results-hub.json").read_text(encoding="utf-8"))


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", GUIDE, flags=re.M | re.S)


def commands(program: str) -> list[list[str]]:
    """Every ``program ...`` line in the guide's shell blocks, continuation lines joined."""
    found = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == [program]:
                found.append(words[1:])
            elif words[:2] == ["sudo", program]:
                found.append(words[2:])
    return found


def test_the_settings_files_it_prints_are_the_shipped_ones() -> None:
    shipped = [ROOT / "backcourse" / "serve" / "lab_settings" / "overrides.json",
               ROOT / "docs" / "hub" / "jupyter" / "jupyter_server_config.json"]
    assert [json.loads(b) for b in blocks("json")] == [
        json.loads(p.read_text(encoding="utf-8")) for p in shipped]


def test_its_backcourse_commands_parse() -> None:
    found = commands("backcourse")
    assert {c[0] for c in found} == {"links", "journal", "report"}
    for args in found:
        parsed = cli._parser().parse_args(args)  # exits (SystemExit) on a wrong option
        assert parsed.command == args[0]


def test_its_refusal_line_is_the_journals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "file_system", lambda _path: "nfs4")
    monkeypatch.delenv(store.NETWORK_ENV, raising=False)
    (quoted,) = [b for b in blocks("text") if b.startswith("the journal folder ")]
    folder = Path(quoted.split()[3])
    with pytest.raises(JournalError) as refused:
        store.check_local(folder)
    assert quoted.strip() == str(refused.value)
    assert f"`{store.NETWORK_ENV}=1`" in GUIDE


@pytest.mark.skipif(os.name != "posix", reason="Unix file modes")
def test_its_drop_folder_takes_group_readable_copies_that_others_cannot_read(
        tmp_path: Path) -> None:
    (mode,) = re.findall(r"chmod (\d{4}) /srv/backcourse-share", GUIDE)
    bits = int(mode, 8)
    assert bits & stat.S_ISGID and bits & stat.S_ISVTX  # new files get the group; no deleting
    assert bits & 0o007 == 0o003 and bits & 0o070 == 0o050  # others add; the group reads
    box = tmp_path / "backcourse-share"
    box.mkdir()
    box.chmod(bits)
    journal = journal_path("me", tmp_path / "home")
    with Journal(journal) as opened:
        write_persona(opened, "alex")
    copy = share_journal(journal, box, "alice")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o640 and copy.stat().st_gid == box.stat().st_gid
    assert "0640" in GUIDE and "`0600`" in GUIDE


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_hub", ROOT / "benchmarks" / "hub.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_its_sizing_is_the_benchmarks_arithmetic_on_the_measured_results() -> None:
    memory = RESULTS["summary"]["memory MiB"]
    measured = {state: math.ceil(memory[f"one student, {state}"]["rss"]["median"])
                for state in ("idle", "notebook 02", "all ten open")}
    hub = math.ceil(RESULTS["hub, proxy and culler"]["rss"])
    assert (measured, hub) == ({"idle": 136, "notebook 02": 241, "all ten open": 808}, 213)
    kernel = measured["notebook 02"] - measured["idle"]
    average = round((measured["all ten open"] - measured["idle"]) / 10)
    typical = measured["idle"] + kernel + 2 * average
    assert (f"136 + {kernel} + 2 × {average} = **{typical} MiB**") in GUIDE
    for per_student in (measured["notebook 02"], typical, measured["all ten open"]):
        (row,) = re.findall(rf"^\| \**{per_student}: .*$", GUIDE, flags=re.M)
        shown = [float(n) for n in re.findall(r"([\d.]+) GiB", row)]
        assert shown == list(bench().class_memory(per_student, hub).values()), row
    assert RESULTS["versions"]["jupyterhub"] == "6.1.1" and "JupyterHub 6.1.1" in GUIDE
    assert f"took {RESULTS['server cpu s to ready']['median']} s of CPU time" in GUIDE


def test_its_links_within_the_page_lead_to_a_heading() -> None:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    ids = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
           for h in re.findall(r"^#+ (.+)$", GUIDE, flags=re.M)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", GUIDE))
    assert targets and targets <= ids, targets - ids


def typical_and_hub() -> tuple[int, int]:
    memory = RESULTS["summary"]["memory MiB"]
    idle, one, ten = (math.ceil(memory[f"one student, {state}"]["rss"]["median"])
                      for state in ("idle", "notebook 02", "all ten open"))
    return idle + (one - idle) + 2 * round((ten - idle) / 10), math.ceil(
        RESULTS["hub, proxy and culler"]["rss"])


def test_its_recommendation_for_120_fits_its_sizing() -> None:
    (machine, online) = re.findall(
        r"TLJH on one machine with (\d+) GiB of memory, with at most (\d+) students", FLAT)[0]
    need = bench().class_memory(*typical_and_hub())
    assert (int(machine), int(online)) == (32, 60) and need[60] <= 32 < need[120]
    assert f"A typical lesson needs {need[60]} GiB for 60" in FLAT
    assert "four of 30 on a 16 GiB machine" in FLAT and need[30] <= 16


def test_its_long_name_example_is_tljhs_shortening() -> None:
    (name, unix) = re.findall(r"`([\w.-]+)` becomes `(jupyter-[\w.-]+)`", FLAT)[0]
    assert len(f"jupyter-{name}") >= 26 and tljh_user(name) == unix


def test_backcourse_brings_the_widget_front_end_as_it_says() -> None:
    required = metadata.requires("backcourse") or []  # pyproject.toml's, as installed
    assert any(re.match(r"ipywidgets\b[^;]*$", dep) for dep in required)  # not an extra
    assert "backcourse requires ipywidgets" in FLAT
    assert "minimal-notebook` has no ipywidgets" in FLAT


def test_its_dockerfile_stops_rather_than_copy_over_a_file() -> None:
    (dockerfile,) = blocks("dockerfile")
    copies = re.findall(r'cp /tmp/backcourse/(\S+) "(\$prefix/[^"]+)/"', dockerfile)
    assert len(copies) == 2
    for name, folder in copies:
        guard = dockerfile.index(f'test ! -e "{folder}/{name}"')
        assert guard < dockerfile.index(f"cp /tmp/backcourse/{name}")
    assert "the build stops if either file is already in the image" in FLAT
    assert FLAT.count("merge the keys by hand") == 2  # the same advice for TLJH and Z2JH


def test_what_it_tells_the_teacher_is_the_kernel_cullers_setting() -> None:
    kernels = json.loads((ROOT / "docs" / "hub" / "jupyter" / "jupyter_server_config.json")
                         .read_text(encoding="utf-8"))["MappingKernelManager"]
    assert kernels["cull_connected"] is True
    minutes = kernels["cull_idle_timeout"] // 60
    assert f"after {minutes} quiet minutes a notebook needs running again" in FLAT
    assert f"stops a notebook's kernel after {minutes} minutes" in FLAT
    assert "Kernel > Restart Kernel and Run All Cells" in FLAT


def test_its_hub_settings_are_jupyterhubs_and_the_same_for_z2jh() -> None:
    from jupyterhub.app import JupyterHub

    (python,) = blocks("python")
    settings = dict(re.findall(r"^c\.JupyterHub\.(\w+) = (\S+)", python, flags=re.M))
    assert set(settings) == {"cookie_max_age_days", "shutdown_on_logout"}
    assert set(settings) <= set(JupyterHub.class_trait_names(config=True))
    (z2jh,) = [b for b in blocks("yaml") if "singleuser:\n  image:" in b]
    for name, value in settings.items():
        assert f"      {name}: {value.lower()}" in z2jh, name
    assert float(settings["cookie_max_age_days"]) * 24 < 3  # about a lesson


def test_its_backup_loop_finds_the_journals(monkeypatch: pytest.MonkeyPatch) -> None:
    (pattern,) = re.findall(r"for j in (/home/jupyter-\S+); do", GUIDE)
    for name in ("BACKCOURSE_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/jupyter-alice")
    assert fnmatch(str(journal_path()), pattern)
