"""Every command refuses bad arguments and bad files with one clear message, a non-zero exit
and no traceback, before any server or kernel starts (so each run takes well under a second)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal, journal_path

#: (command line, what stderr must say); {name} is a file of the kit below
CASES: list[tuple[str, str]] = [
    ("nonsense", "invalid choice: 'nonsense'"),
    # open
    ("open --port -1", "argument --port: must be a port from 1 to 65535"),
    ("open --port 70000", "argument --port: must be a port from 1 to 65535"),
    ("open {latin1} --no-browser", "{latin1} is a file, not a folder"),
    ("open {pipe} --no-browser", "{pipe} is a named pipe (FIFO), not a folder"),
    ("open --bogus", "unrecognized arguments: --bogus"),
    # app
    ("app --port 70000", "argument --port: must be a port from 1 to 65535"),
    ("app --no-browser --learner ../x", "learner id '../x' must be 1-64 letters"),
    ("app --no-browser --learner {long}", "(5,002 characters) must be 1-64 letters"),
    ("app --no-browser --home {latin1}", "{latin1} is a file, not a folder"),
    ("app --no-browser --home {pipe}", "{pipe} is a named pipe (FIFO), not a folder"),
    ("app --no-browser --home {linked}", "me.sqlite3 is a symbolic link"),
    ("app --no-browser --home {shared}", "is a folder shared by all users"),
    # links
    ("links", "the following arguments are required: --repo"),
    ("links --repo not/a/repo!",
     "the repository must be OWNER/NAME on GitHub or your git server's https:// address"),
    ("links --repo a/b --hub ftp://hub", "the hub must be a web address"),
    # figures
    ("figures", "the following arguments are required: --out"),
    ("figures --out {latin1}", "{latin1} is a file, not a folder"),
    ("figures --out {pipe}", "{pipe} is a named pipe (FIFO), not a folder"),
    # check
    ("check everything", "unrecognized arguments: everything"),
    # slides and handouts
    ("slides 42 --out {out}", "no notebook '42'"),
    ("slides 09 --out {latin1}", "{latin1} is a file, not a folder"),
    ("slides 09 --out {out} --jobs 0", "argument --jobs: must be a whole number of 1 or more"),
    ("handouts 42 --out {out}", "no notebook '42'"),
    ("handouts 09 --out {pipe}", "{pipe} is a named pipe (FIFO), not a folder"),
    ("handouts --out {out} --jobs -3", "argument --jobs: must be a whole number of 1 or more"),
    # report
    ("report --roster {missing} --out {out}", "cannot read the roster: {missing} does not exist"),
    ("report --roster {folder} --out {out}", "{folder} is a folder, not a file"),
    ("report --roster {pipe} --out {out}", "{pipe} is a named pipe (FIFO), not a file"),
    ("report --roster {latin1} --out {out}", "{latin1} is not UTF-8 text"),
    ("report --roster {huge} --out {out}", "{huge} is larger than 64 MB"),
    ("report --roster {wide} --out {out}", "row 3: a cell is longer than 131,072 characters"),
    ("report --roster {escaping} --out {out}", "row 2: journal: /etc/passwd is outside "
                                               "the roster's folder"),
    ("report --roster {hostile_roster} --out {out}", "row 2: journal: deep.json: cannot "
                                                     "read: its lists or mappings are nested"),
    ("report --roster {roster} --out {latin1}", "{latin1} is not an empty folder"),
    ("report --roster {roster} --out {out} --jobs x", "argument --jobs: must be a whole number"),
    # plan
    ("plan", "the following arguments are required: --ics"),
    ("plan --ics {out}/p.ics --at 7pm", "write the time as HH:MM on a 24-hour clock"),
    ("plan --ics {out}/p.ics --home {out}", "no journal at {out}/me.sqlite3"),
    ("plan --ics {out}/p.ics --learner ../x", "learner id '../x' must be 1-64 letters"),
    ("plan --ics {out}/p.ics --home {linked}", "me.sqlite3 is a symbolic link"),
    ("plan --ics {out}/p.ics --home {home}", "your plan ended before "),
    # journal path, export, import, delete
    ("journal path --learner {long}", "(5,002 characters) must be 1-64 letters"),
    ("journal mend", "argument action: invalid choice: 'mend'"),
    ("journal export", "backcourse journal export: name the JSON file"),
    ("journal export {out}/x.json --home {out}", "no journal at {out}/me.sqlite3"),
    ("journal export {out}/x.json --home {folder_home}",
     "{folder_home}/me.sqlite3 is a folder, not a journal file"),
    ("journal export {folder} --home {home}", "{folder} is a folder; name a file to export to"),
    ("journal export {out}/x.json --csv {latin1} --home {home}",
     "{latin1} is a file, not a folder"),
    ("journal export {out}/x.json --home {linked}", "me.sqlite3 is a symbolic link"),
    ("journal import", "backcourse journal import: name the JSON file"),
    ("journal import {missing} --home {out}", "{missing} does not exist"),
    ("journal import {folder} --home {out}", "{folder} is a folder, not a file"),
    ("journal import {pipe} --home {out}", "{pipe} is a named pipe (FIFO), not a file"),
    ("journal import {latin1} --home {out}", "{latin1} is not UTF-8 text"),
    ("journal import {huge} --home {out}", "{huge} is larger than 64 MB"),
    ("journal import {deep} --home {out}", "cannot read: its lists or mappings are nested too "
                                           "deeply"),
    ("journal import {digits} --home {out}", "cannot read: it holds a number too long to read"),
    ("journal import {big_id} --home {out}", "id: 1180591620717411303424 is too large"),
    ("journal import {surrogate} --home {out}", "note: is not valid text (a lone surrogate"),
    ("journal import {strangers} --home {out}", "flagged[0]: unknown warning sign '<b>X99</b>'"),
    ("journal import {not_utf8_name} --home {out}", "does not exist"),
    ("journal import {export} --home {home}", "already has entries"),
    ("journal delete --home {home}", "refusing without confirmation; add --yes"),
    # journal share, and the report that reads the shared folder
    ("journal share --home {home}", "name the folder your instructor gave you with --to DIR"),
    ("journal share --to {missing} --home {home}", "there is no folder {missing}; ask your "
                                                   "instructor"),
    ("journal share --to {latin1} --home {home}", "{latin1} is a file, not a folder"),
    ("journal share --to {folder} --home {out}", "no journal at {out}/me.sqlite3; nothing was "
                                                 "shared"),
    ("journal share --to {folder} --home {home} --name ../x", "the name '../x' must be 1-64"),
    ("journal share --to {folder} --home {linked} --name x", "me.sqlite3 is a symbolic link"),
    ("report --roster {roster} --out {out} --journals {missing}",
     "the journals folder {missing} is not a folder"),
    ("journal delete --yes --home {folder_home}",
     "{folder_home}/me.sqlite3 is a folder, not a journal file; nothing was deleted"),
]

SESSION = ('{"done_on": "2026-03-02", "exercise": "dead-hang", "rung": "dead-hang-1", '
           '"sets": 3, "seconds": 20, "pain_before": 2, "pain_after": 3')


def _export(**tables: str) -> str:
    body = ", ".join(f'"{name}": [{rows}]' for name, rows in tables.items())
    return f'{{"format": "backcourse-journal", "schema_version": 2, "tables": {{{body}}}}}'


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Missing, folder, pipe, non-UTF-8, huge and hostile files, and homes to refuse."""
    base = tmp_path_factory.mktemp("kit")
    paths = {name: base / name for name in (
        "missing", "folder", "pipe", "latin1", "huge", "out", "home", "folder_home", "linked",
        "shared", "deep", "digits", "big_id", "surrogate", "strangers", "export", "wide",
        "escaping", "hostile_roster", "roster")}
    paths["folder"].mkdir()
    os.mkfifo(paths["pipe"])
    paths["latin1"].write_bytes(b'{"note": "caf\xe9"}')
    with paths["huge"].open("wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: instant to make, refused before it is read
    (paths["folder_home"] / "me.sqlite3").mkdir(parents=True)
    paths["linked"].mkdir()
    (paths["linked"] / "me.sqlite3").symlink_to(base / "planted.sqlite3")
    paths["shared"].mkdir(mode=0o1777)
    paths["shared"].chmod(0o1777)
    with Journal(journal_path("me", paths["home"])) as journal:
        write_persona(journal, "alex")
        journal.export_json(paths["export"])
    paths["deep"].write_text("[" * 100_000, encoding="utf-8")
    paths["digits"].write_text(_export(sessions=SESSION + ', "id": ' + "9" * 5_000 + "}"),
                               encoding="utf-8")
    paths["big_id"].write_text(_export(sessions=SESSION + f', "id": {2**70}}}'),
                               encoding="utf-8")
    paths["surrogate"].write_text(_export(sessions=SESSION + ', "note": "\\ud800"}'),
                                  encoding="utf-8")
    paths["strangers"].write_text(_export(screenings='{"taken_on": "2026-03-02", "outcome": '
                                                     '"soon", "flagged": ["<b>X99</b>"]}'),
                                  encoding="utf-8")
    paths["roster"].write_text("client_id,screening\nx,clear\n", encoding="utf-8")
    paths["wide"].write_text(f"client_id,name,screening\na,A,clear\nb,{'x' * 131_073},clear\n",
                             encoding="utf-8")
    paths["escaping"].write_text("client_id,journal\nx,/etc/passwd\n", encoding="utf-8")
    paths["hostile_roster"].write_text("client_id,journal\nx,deep.json\n", encoding="utf-8")
    (base / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    found = {name: str(path) for name, path in paths.items()}
    found["long"] = "x" * 5_000
    found["not_utf8_name"] = os.fsdecode(os.fsencode(str(base)) + b"/\xff\xfe.json")
    return found


@pytest.mark.parametrize("line, said", CASES, ids=[c[0].split(" {")[0] for c in CASES])
def test_bad_arguments_and_files_get_one_clear_message(kit: dict[str, str], line: str,
                                                       said: str) -> None:
    argv = [part.format(**kit) for part in line.split()]
    result = subprocess.run([sys.executable, "-m", "backcourse", *map(os.fsencode, argv)],
                            capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0, (out, err)
    assert "Traceback" not in out + err
    assert said.format(**kit) in err, err
    message = [n for n in err.splitlines() if n and not n.startswith(("usage:", " "))]
    assert len(message) == 1, err  # one line, after argparse's usage if it is an argument
