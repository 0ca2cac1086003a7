"""The hub admins' guide (docs/jupyterhub.md) says what the code and the measurements say:
its settings files are the shipped ones, its backcourse commands parse, its refusal line is
the journal's, its drop folder works as described, and its sizing table is the arithmetic
of benchmarks/hub.py on benchmarks/results-hub.json."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import shlex
import stat
from pathlib import Path
from types import ModuleType

import pytest

from backcourse import cli
from backcourse.journal import store
from backcourse.journal.samples import write_persona
from backcourse.journal.share import share_journal
from backcourse.journal.store import Journal, JournalError, journal_path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "jupyterhub.md").read_text(encoding="utf-8")
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
        write_persona(opened, "steady")
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
