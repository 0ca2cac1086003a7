"""`backcourse report`: a validated roster, a private report per client, a group summary."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import itertools
import json
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from backcourse import cli
from backcourse.content.clinic import Clinic
from backcourse.content.load import load_course
from backcourse.core.dates import spoken
from backcourse.export.reports import run_reports
from backcourse.export.roster import COLUMNS, RosterError, read_roster, safe_id
from backcourse.journal.samples import PERSONAS, write_persona
from backcourse.journal.store import Journal

COURSE = load_course()
HEADER = ",".join(COLUMNS)


def lines(exc: RosterError) -> list[str]:
    return [str(p) for p in exc.problems]


def roster(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def row(client_id: str, name: str = "", journal: str = "", screening: str = "clear",
        flags: str = "", extra: str = ",,,,,,,", plan: str = "8,3,2026-03-02",
        cleared: str = "") -> str:
    """A roster row; the notes column is left empty (append ``,"a note"`` to fill it)."""
    return f"{client_id},{name},{journal},{screening},{flags},{cleared},{extra},{plan}"


@pytest.mark.parametrize("raw, expected", [
    ("../../x", "x"), ("<script>alert(1)</script>", "script-alert-1-script"),
    ("😀", "client"), ("a" * 100, "a" * 40), ("Anna Müller", "Anna-M-ller"),
])
def test_file_names_come_from_a_sanitised_id(raw: str, expected: str) -> None:
    assert safe_id(raw) == expected


def test_the_roster_outcome_comes_from_the_courses_rules(tmp_path: Path) -> None:
    """An instructor cannot under-triage by typing a milder outcome than the rules give."""
    clients = read_roster(roster(tmp_path, row("a", screening="", flags="S1 S19"),
                                 row("b", screening="", flags="S9", cleared="yes"),
                                 row("c", screening="", flags="none")), COURSE)
    assert [(c.screening, c.cleared) for c in clients] == [
        ("emergency", False), ("soon", True), ("clear", False)]
    with pytest.raises(RosterError) as caught:
        read_roster(roster(tmp_path, row("d", screening="soon", flags="E1"),
                           row("e", screening="", flags="S19", cleared="yes")), COURSE)
    assert lines(caught.value) == [
        "roster.csv: row 2: screening: the safety check rules give 'emergency' for these flags, "
        "not 'soon'; leave the column empty or correct it",
        "roster.csv: row 3: cleared: only a soon or same-day outcome without a fever, injury, "
        "sepsis or chest pain can be cleared; an emergency needs a new check"]


def test_colliding_ids_get_distinct_files(tmp_path: Path) -> None:
    clients = read_roster(roster(tmp_path, row("a/b"), row("a-b"), row("A-B")), COURSE)
    assert [c.file_id for c in clients] == ["a-b", "a-b-2", "A-B-3"]


def test_every_roster_problem_names_its_row_and_column(tmp_path: Path) -> None:
    path = roster(
        tmp_path,
        row("ok"),
        row("ok"),
        row("bad-time", extra="3,-5,,abc,,,,"),
        row("no-screen", screening=""),
        row("flagged", screening="soon"),
        row("odd", screening="maybe", plan="0,9,2026-02-30"),
        row("lost", journal="nowhere.json", screening=""),
    )
    with pytest.raises(RosterError) as caught:
        read_roster(path, COURSE)
    assert lines(caught.value) == [
        "roster.csv: row 3: client_id: 'ok' is already used in row 2",
        "roster.csv: row 4: trunk_flexion: A time cannot be negative. Type the seconds you "
        "held, like 45.",
        "roster.csv: row 4: trunk_extension: abc is not a number of seconds. Type a number "
        "like 45 or 45.5.",
        "roster.csv: row 5: flags: name the warning signs answered yes (for example E10), or "
        "write none",
        "roster.csv: row 6: flags: name the warning signs answered yes (for example E10), or "
        "write none",
        "roster.csv: row 7: screening: must be one of 'clear', 'advice', 'soon', 'same day', "
        "'emergency' (got 'maybe')",
        "roster.csv: row 7: weeks: must be at least 1 (got 0)",
        "roster.csv: row 7: sessions_per_week: must be at most 5 (got 9)",
        "roster.csv: row 7: today: '2026-02-30' is not a real date written like 2026-03-02 "
        "(YYYY-MM-DD)",
        "roster.csv: row 8: journal: nowhere.json does not exist (paths are relative to the "
        "roster)",
    ]


@pytest.mark.parametrize("text, problem", [
    ("client_id,screening,screening\na,emergency,clear\n",
     "r.csv: row 1: screening: the column appears twice"),
    ("client_id,screening,\na,clear,\n",
     "r.csv: row 1: column 3: the header has an empty column name"),
    ("client_id,screening\na,clear,extra\n",
     "r.csv: row 2: cells: has more cells than the header has columns"),
    ("client_id,screening\n\n\nb,nope\n",
     "r.csv: row 4: screening: must be one of 'clear', 'advice', 'soon', 'same day', "
     "'emergency' (got 'nope')"),
    ("client_id,screening,trunk_flexion\na,clear,99999\n",
     "r.csv: row 2: trunk_flexion: 99999 s is over an hour; check the value"),
    ("client_id,screening,phone\na,clear,call me\n",
     "r.csv: row 2: phone: write a phone number: digits, spaces and + ( ) . - only, up to 30"),
])
def test_ambiguous_or_impossible_rosters_are_refused(tmp_path: Path, text: str,
                                                     problem: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path, COURSE)
    assert problem in lines(caught.value)


def test_a_cell_too_long_for_csv_names_its_row(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = roster(tmp_path, row("ok"), row("long", name="x" * 131_073), row("after"))
    with pytest.raises(RosterError) as caught:
        read_roster(path, COURSE)
    assert lines(caught.value) == ["roster.csv: row 3: a cell is longer than 131,072 characters"]
    assert cli.main(["report", "--roster", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "row 3: a cell is longer than 131,072 characters" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_row_cannot_give_both_a_journal_and_its_own_screening(tmp_path: Path) -> None:
    with Journal(":memory:") as journal:
        write_persona(journal, "alex")
        journal.export_json(tmp_path / "j.json")
    path = roster(tmp_path, row("x", journal="j.json", screening="emergency", flags="E1"))
    with pytest.raises(RosterError) as caught:
        read_roster(path, COURSE)
    assert lines(caught.value) == [
        "roster.csv: row 2: screening: give either a journal or the safety check and results, "
        "not both"]


def test_a_broken_journal_is_caught_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RosterError, match="row 2: journal: bad.json: cannot read: not "
                                          "valid JSON"):
        read_roster(roster(tmp_path, row("x", journal="bad.json", screening="")), COURSE)


@pytest.mark.parametrize("content, problem", [
    ("[" * 100_000, "h.json: cannot read: its lists or mappings are nested too deeply"),
    ('{"format": "backcourse-journal", "schema_version": 2, "tables": {"sessions": [{"id": '
     + "9" * 5_000 + "}]}}", "h.json: cannot read: it holds a number too long to read"),
    ('{"format": "backcourse-journal", "schema_version": 2, "tables": {"plans": [{"id": '
     f"{2**70}, " '"created_on": "2026-03-02", "start_on": "2026-03-02", "weeks": 1e999, '
     '"sessions_per_week": 1}]}}', "plans[#1]: id: 1180591620717411303424 is too large"),
])
def test_a_hostile_journal_in_the_roster_is_one_clear_problem(tmp_path: Path, content: str,
                                                             problem: str) -> None:
    (tmp_path / "h.json").write_text(content, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(roster(tmp_path, row("x", journal="h.json", screening="")), COURSE)
    assert str(caught.value.problems[0]).startswith(f"roster.csv: row 2: journal: {problem}")


def test_report_ids_never_take_the_summary_or_assets_names(tmp_path: Path) -> None:
    clients = read_roster(roster(tmp_path, row("index"), row("assets")), COURSE)
    assert [c.file_id for c in clients] == ["index-2", "assets-2"]


def test_reports_refuse_a_folder_that_already_has_files(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.html").write_text("earlier report")
    path = roster(tmp_path, row("x"))
    assert cli.main(["report", "--roster", str(path), "--out", str(out)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (out / "old.html").read_text() == "earlier report"


def test_an_unknown_column_stops_before_anything_runs(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.csv"
    path.write_text("client_id,shoe_size\nx,44\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["report", "--roster", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 1: shoe_size: unknown column" in err and not out.exists()


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """20 synthetic clients: exported persona journals and baseline rows, one name hostile;
    a clinic letterhead, a therapist's note, and PDFs when Chromium is here."""
    base = tmp_path_factory.mktemp("group")
    rows = []
    for n in range(12):
        persona = sorted(PERSONAS)[n % 4]
        with Journal(":memory:") as journal:
            write_persona(journal, persona, seed=n)
            journal.export_json(base / f"j{n}.json")
        rows.append(row(f"client-{n}", f"Client {n}", f"j{n}.json", screening="",
                        plan="6,2,2026-04-06"))
    for n in range(12, 19):
        rows.append(row(f"client-{n}", "<script>alert(1)</script>" if n == 12 else f"C{n}",
                        extra=f"{n % 6},60,,90,{n * 2},{n * 2 + 1},{n},{n}"))
    rows.append(row("client-19", "C19", extra="7,10,,10,5,5,5,5"))  # pain 7: every ladder at 1
    rows[5] = row("client-5", "Broken", "j5.json", screening="")
    rows[3] = row("client-3", "Client 3", "j3.json", screening="",  # "sam": a flare-up on
                  plan="6,2,2026-02-12")  # Mon 2 Feb, ten days before this report
    rows[0] += ',"Keep the bird dog slow, <b>please</b>."'
    clients = read_roster(roster(base, *rows), COURSE)
    (base / "j5.json").unlink()  # the file goes missing after the check: fails mid-run
    (base / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                                   'height="10"><rect width="10" height="10"/></svg>')
    (base / "clinic.yaml").write_text("name: Riverside Physiotherapy\ntherapist: Jo Okafor\n"
                                      "contact: 020 7946 0000\nlogo: logo.svg\n")
    browser = shutil.which("chromium") or ""
    outcomes = run_reports(clients, base / "out", jobs=2, clinic=base / "clinic.yaml",
                           browser=browser)
    return base / "out", outcomes


def text_of(page: Path) -> str:
    """What a reader sees: no tags, scripts or styles, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"),
                  flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.slow
def test_twenty_clients_get_reports_and_a_summary(group: tuple[Path, list]) -> None:
    out, outcomes = group
    assert len(outcomes) == 20
    made = sorted(p.name for p in out.glob("client-*.html"))
    assert len(made) == 19 and "client-5.html" not in made
    summary = (out / "index.html").read_text(encoding="utf-8")
    every = summary[summary.index("Every client"):]
    assert every.count("<tr><td") == 20 and '">Where the group stands: 20 clients.' in summary


@pytest.mark.slow
def test_a_failing_client_is_listed_while_the_others_finish(group: tuple[Path, list]) -> None:
    _, outcomes = group
    (failed,) = [o for o in outcomes if o.error]
    assert failed.client.client_id == "client-5" and "j5.json does not exist" in failed.error
    assert stat.S_IMODE(group[0].stat().st_mode) == 0o700
    assert "Broken" in (group[0] / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_reports_are_private_and_names_escaped(group: tuple[Path, list]) -> None:
    out, _ = group
    for page in out.glob("*.html"):
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "client-12.html").read_text(
        encoding="utf-8")


@pytest.mark.slow
def test_every_file_and_folder_of_the_reports_is_owner_only(group: tuple[Path, list]) -> None:
    """The shared assets too: copied owner-only, not with the package's own modes; only what
    a printed page loads."""
    out, _ = group
    assert sorted(p.name for p in (out / "assets").iterdir()) == ["print.css", "require.js"]
    for path in [out, *out.rglob("*")]:
        want = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == want, path


@pytest.mark.slow
def test_clients_with_a_red_flag_get_no_plan_and_the_warning_comes_first(
        group: tuple[Path, list]) -> None:
    out, outcomes = group
    flagged = [o for o in outcomes if o.state == "withheld"]
    assert flagged
    for o in flagged:
        text = text_of(out / f"{o.client.file_id}.html")
        warning = text.index("Your exercise plan is on hold")
        first = text.index("First, the most important part")
        assert first < warning and "Your home exercises" not in text
        assert text.index("Contact a doctor today") < text.index("Your start and your latest")
        assert text.index("Riverside Physiotherapy") < first  # only the letterhead before it
    planned = [o for o in outcomes if o.state == "active"]
    assert planned and all("Your home exercises" in text_of(out / f"{o.client.file_id}.html")
                           for o in planned)


@pytest.mark.slow
def test_no_report_holds_a_widget_a_quiz_code_or_instructor_text(
        group: tuple[Path, list]) -> None:
    out, _ = group
    for page in out.glob("client-*.html"):
        raw = page.read_text(encoding="utf-8")
        text = text_of(page)
        assert "widget-view+json" not in raw and "widget-state+json" not in raw, page.name
        assert "<input" not in raw and "<button" not in raw, page.name
        for banned in ("Check your understanding", "Question 1", "Instructor", "instructor",
                       "papermill", "ClientReport", "run this notebook again", "Cells tagged",
                       "lesson."):
            assert banned not in text, (page.name, banned)


@pytest.mark.slow
def test_a_report_has_the_letterhead_the_note_and_what_produced_it(
        group: tuple[Path, list]) -> None:
    out, _ = group
    text = text_of(out / "client-0.html")
    raw = (out / "client-0.html").read_text(encoding="utf-8")
    assert "Riverside Physiotherapy" in text and "Jo Okafor · 020 7946 0000" in text
    assert 'src="data:image/svg+xml;base64,' in raw  # the logo is embedded, no other file
    assert "A note from Jo Okafor" in text and "Keep the bird dog slow, <b>please</b>." in text
    assert "<b>please</b>" not in raw  # the note is escaped
    assert "How this report was made" in text and "version 0.1.0" in text
    with Journal(":memory:") as journal:
        journal.import_json(out.parent / "j0.json", COURSE)
        tables = journal.export_data()["tables"]
    digest = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()
    assert digest in text and "McGill 1999" in text and "Ostelo 2008" in text
    assert "Your start and your latest check" in text and "Smallest change that matters" in text


@pytest.mark.slow
def test_a_report_without_scores_says_so_once(group: tuple[Path, list]) -> None:
    out, _ = group
    text = text_of(out / "client-13.html")  # a roster row: hold times, no pain scores
    assert text.count("No pain or daily-task scores saved yet") == 1
    assert "Pain and daily tasks over time" not in text and "Only one check" not in text


@pytest.mark.slow
def test_each_client_gets_a_private_pdf_whose_home_sheet_is_one_page(
        group: tuple[Path, list]) -> None:
    out, outcomes = group
    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        pytest.skip("needs chromium and pdftotext (.ci/run installs both)")
    for o in outcomes:
        if o.path is None:
            continue
        pdf = o.path.with_suffix(".pdf")
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
        pages = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                               text=True).stdout.split("\f")
        sheet = [n for n, p in enumerate(pages) if "Your home exercises" in p
                 or "Stop and rest if" in p or "Get help" in p]
        pages = pages[:-1] if not pages[-1].strip() else pages  # the text ends with \f
        assert all(len(p.split()) > 12 for p in pages), o.client.client_id  # no blank page
        if o.state == "active":
            assert len(sheet) == 1, (o.client.client_id, sheet)
            assert "Your home exercises" in pages[sheet[0]] and "Get help" in pages[sheet[0]]
            head = " ".join(pages[sheet[0]].split()[:20])  # whose sheet, when, from whom
            assert head.startswith(f"For: {o.client.name} · ") and \
                "From: Jo Okafor, Riverside Physiotherapy, 020 7946 0000" in head
        else:
            assert sheet == []
    printed, words = printed_words(out / "index.html")
    assert printed[:3] == ["Riverside Physiotherapy", "Jo Okafor · 020 7946 0000",
                           "Group summary"]  # the reports' letterhead; the day made (mixed)
    assert printed[3].startswith(f"Prepared {spoken(dt.date.today())}. 20 clients. The "
                                 "clients' reports are dated Thu 12 Feb 2026 to")
    assert [w for line in printed for w in line.split() if w not in words] == []
    assert all(o.client.name in printed and o.client.client_id in printed
               for o in outcomes)  # each name and id on a line of its own


@pytest.mark.slow
def test_the_summary_lists_who_needs_attention_and_the_groups_change(
        group: tuple[Path, list]) -> None:
    out, outcomes = group
    text = text_of(out / "index.html")
    assert "Needs attention" in text and "The group's change since the start" in text
    flagged = [o for o in outcomes if o.state == "withheld"]
    attention = text[text.index("Needs attention"):text.index("The group's change")]
    for o in flagged:
        assert o.client.name in attention
    assert "warning sign" in attention
    for o in flagged:
        assert re.search(re.escape(f"{o.client.client_id} {o.client.name}") + r" today warning "
                         r"sign: “[^”]+” in the safety check; the client was told on (?:\w+ )?\d+ "
                         r"\w+ 2026 \(\d+ days ago\) to [^;]+; check they did, today; plan on hold "
                         r"until a clinician has seen them", attention), o
    assert "Row" not in text and "Client id" in text and "Called" in attention
    assert "withheld" not in text and "told to seek care" not in text  # one wording: on hold
    for jargon in ("learner", "plan shown", "capstone”", "notebook"):  # a clinician reads it
        assert jargon not in text, jargon
    assert "Clients with a plan and a retest" in text and "Pain" in text
    calls = sum(o.state == "active" and bool(o.attention) for o in outcomes)
    assert calls and f"home plan; call this week: {calls}; " in text  # the chart's words, as
    # the attention table lists them, before the clients on track
    assert text.index("home plan; call this week:") < text.index("home plan in their report:")
    quiet = [o for o in outcomes if any("no session logged" in r for r in o.attention)]
    assert quiet and all(o.client.name in attention for o in quiet)
    assert "client-3 Client 3 this week flare-up: pain reached" in attention
    every = text[text.index("Every client"):]
    for o in outcomes:  # never "yes" and "call them"; their report says the levels are reached
        if o.ready and o.attention:
            assert f"{o.client.name} home plan in their report levels reached; first deal " \
                "with what needs attention" in every
        elif o.attention and o.state == "active":
            assert f"{o.client.name} home plan in their report not yet: needs attention " \
                "first" in every
    assert "client-3 Client 3 home plan in their report" in every
    ready = [o for o in outcomes if o.ready and not o.attention]
    assert ready and all(f"{o.client.name} home plan in their report yes: see them before "
                         "they try it" in every for o in ready)  # a clinician clears them
    for o in flagged:  # a warning sign: never a blank in the readiness column
        assert f"{o.client.name} warning sign: plan on hold until a clinician has seen them " \
            "not yet: needs attention first" in every
    assert "What “Ready for the goal exercise” means" in every
    assert "Why no report" in every and "client-5 Broken report failed" in every  # the error


@pytest.mark.slow
def test_an_instructors_copy_of_the_report_notebook_is_used(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    copy = tmp_path / "mine.ipynb"
    assert cli.main(["report-template", str(copy)]) == 0
    nb = json.loads(copy.read_text(encoding="utf-8"))
    nb["cells"].insert(3, {"cell_type": "markdown", "id": "own", "metadata": {},
                           "source": "Our clinic opens at 8 on Saturdays."})
    nb["cells"].insert(3, {"cell_type": "markdown", "id": "hid",
                           "metadata": {"tags": ["instructor"]}, "source": "SECRET NOTE"})
    copy.write_text(json.dumps(nb), encoding="utf-8")
    path = roster(tmp_path, row("x", flags="none", plan="8,3,2026-03-02"))
    out = tmp_path / "out"
    assert cli.main(["report", "--roster", str(path), "--out", str(out), "--template",
                     str(copy), "--jobs", "1"]) == 0
    text = text_of(out / "x.html")
    assert "Our clinic opens at 8 on Saturdays." in text and "SECRET NOTE" not in text
    assert cli.main(["report-template", str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("content, problem", [
    ("name: X\ntherapist: Y\n", "clinic.yaml: clinic: contact: is missing"),
    ("name: X\ntherapist: Y\ncontact: Z\nlogo: logo.exe\n",
     "clinic.yaml: clinic: logo: must be a .png, .jpg, .gif or .svg file"),
    ("name: X\ntherapist: Y\ncontact: Z\nlogo: none.png\n", "none.png does not exist"),
    ("[unclosed", "clinic.yaml: (file): (syntax): not valid YAML"),
])
def test_a_broken_clinic_file_is_refused_before_anything_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str) -> None:
    (tmp_path / "clinic.yaml").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["report", "--roster", str(roster(tmp_path, row("x"))), "--out", str(out),
                     "--clinic", str(tmp_path / "clinic.yaml")]) == 2
    assert problem in capsys.readouterr().err and not out.exists()


def test_a_template_without_a_parameters_cell_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.ipynb").write_text('{"cells": [], "metadata": {}}', encoding="utf-8")
    assert cli.main(["report", "--roster", str(roster(tmp_path, row("x"))), "--out",
                     str(tmp_path / "out"), "--template", str(tmp_path / "t.ipynb")]) == 2
    assert "has no cell tagged 'parameters'" in capsys.readouterr().err


def test_the_shipped_example_roster_is_valid() -> None:
    from backcourse.infra.paths import data_dir

    clients = read_roster(data_dir() / "examples" / "roster.csv", COURSE)
    assert [c.client_id for c in clients] == ["alex", "sam", "robin", "kim"]


@pytest.mark.slow
def test_the_example_class_two_weeks_on_asks_for_its_retests_and_a_new_plan(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's example roster, two weeks after its day: both plans have ended and the
    retest at 3 months was missed; the printed summary keeps each short table whole."""
    from backcourse.infra.paths import data_dir

    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        pytest.skip("needs chromium and pdftotext (.ci/run installs both)")
    for path in (data_dir() / "examples").iterdir():
        text = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(text.replace(",2026-04-06", ",2026-04-20")
                                          if path.suffix == ".csv" else text, encoding="utf-8")
    (tmp_path / "clinic.yaml").write_text("name: Riverside Physiotherapy\ntherapist: Jo Okafor"
                                          "\ncontact: 020 7946 0000\n", encoding="utf-8")
    assert cli.main(["report", "--roster", str(tmp_path / "roster.csv"), "--out",
                     str(tmp_path / "out"), "--clinic", str(tmp_path / "clinic.yaml"),
                     "--pdf"]) == 0
    printed = capsys.readouterr().out
    for who in ("alex (Alex (synthetic), 07700 900001)", "sam (Sam (synthetic), 07700 900002)"):
        assert re.search(re.escape(who) + r", call this week: their plan ended on Sun 29 Mar "
                         r"2026, with no "
                         r"session logged since \(last: \d+ days ago\); offer them the next plan "
                         r"in their report; retest overdue: the retest at 3 months was due on "
                         r"Sun 5 Apr 2026 \(15 days ago\); book them in to retake the outcome "
                         r"measures they took at the start", printed), printed
    pages = subprocess.run(["pdftotext", str(tmp_path / "out" / "index.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    (change,) = [p for p in pages if "The group's change since the start" in p]
    assert "Median change" in change and "Daily tasks" in change  # not split from its heading
    report = text_of(tmp_path / "out" / "alex.html")
    assert "Next check of your progress: overdue since Sun 5 Apr 2026 (the check at 3 " \
        "months); ask Jo Okafor (020 7946 0000) to book it soon." in report
    for who in ("alex", "sam"):  # five moves and a long first paragraph: still one page
        pages = subprocess.run(["pdftotext", str(tmp_path / "out" / f"{who}.pdf"), "-"],
                               check=True, capture_output=True, text=True).stdout.split("\f")
        (sheet,) = [p for p in pages if "Your home exercises" in p]
        assert "Bird dog with small squares" in sheet and "call 999" in sheet, who


@pytest.mark.parametrize("given", ["ABSOLUTE", "../outside.json", "sub/../../outside.json",
                                   "link.json"])
def test_a_journal_outside_the_rosters_folder_is_refused(tmp_path: Path, given: str) -> None:
    """A roster names exports beside it or below it; never any other file on the machine."""
    folder = tmp_path / "class"
    (folder / "sub").mkdir(parents=True)
    with Journal(":memory:") as journal:
        write_persona(journal, "alex")
        journal.export_json(tmp_path / "outside.json")
    (folder / "link.json").symlink_to(tmp_path / "outside.json")
    given = str(tmp_path / "outside.json") if given == "ABSOLUTE" else given
    with pytest.raises(RosterError) as caught:
        read_roster(roster(folder, row("x", journal=given, screening="")), COURSE)
    assert lines(caught.value) == [
        f"roster.csv: row 2: journal: {given} is outside the roster's folder; keep exports "
        "beside the roster or in a folder below it, and name them from there"]
    (folder / "sub" / "j.json").write_bytes((tmp_path / "outside.json").read_bytes())
    (client,) = read_roster(roster(folder, row("x", journal="sub/j.json", screening="")), COURSE)
    assert client.journal == folder / "sub" / "j.json"


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """What a client reads in each part of their report, per persona, prepared on 6 Apr 2026
    for a clinic (fast: the parts, without papermill)."""
    from backcourse.journal.store import journal_path
    from backcourse.report import ClientReport

    home = tmp_path_factory.mktemp("seen")
    (home / "clinic.yaml").write_text("name: Riverside Physiotherapy\ntherapist: Jo Okafor\n"
                                      "contact: 020 7946 0000\n")
    shown = {}
    for persona in PERSONAS:
        with Journal(journal_path(persona, home)) as journal:
            write_persona(journal, persona, seed=3)
        r = ClientReport(persona, str(home), weeks=6, sessions_per_week=2, today="2026-04-06",
                         clinic=str(home / "clinic.yaml"))
        shown[persona] = {part: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(
            r"<(style|script)\b.*?</\1>", " ", getattr(r, part)(), flags=re.S))).split())
            for part in ("header", "first", "outcomes", "over_time", "adherence",
                         "home_sheet", "provenance")}
        shown[persona]["sheet_html"] = r.home_sheet()
    return shown


def test_an_old_warning_sign_is_dated_and_aged_with_the_emergency_line(
        seen: dict[str, dict[str, str]]) -> None:
    first = seen["kim"]["first"]
    found = re.search(r"Your safety check on (\w+ \d+ \w+ 2026) \((\d+ \w+) before this report\) "
                      r"found a warning sign\. If you have not yet done what it says, do it "
                      r"now: Contact a doctor today", first)
    assert found, first
    assert "call 999 (or your local emergency number) or go to an emergency department (A&E)" \
        in first and "leaking pee or poo" in first
    assert "tell Jo Okafor (020 7946 0000) what the clinician said" in first
    for jargon in ("notebook", "the app", "source", "NHS 2026a", "this list"):
        assert jargon not in first, jargon
    assert "NHS 2026a" in seen["kim"]["provenance"]


def test_where_you_stand_dates_every_score_and_the_next_check_counts_from_the_report(
        seen: dict[str, dict[str, str]]) -> None:
    first = seen["alex"]["first"]
    assert re.search(r"Pain: \d+(\.\d)? out of 10 at the start \(Mon 5 Jan 2026\), \d+(\.\d)? out "
                     r"of 10 at your latest check \(\w+ \d+ \w+ 2026\)", first), first
    assert " now " not in first
    # the measures were taken at weeks 0, 4 and 8: the check at 3 months (Sun 5 Apr) is missed
    assert "Next check of your progress: overdue since Sun 5 Apr 2026 (the check at 3 " \
        "months); ask Jo Okafor (020 7946 0000) to book it soon." in first
    assert "(3 a week)" in first and "Active dead hang (shoulder-blade pulls)" in first
    assert "Dead hang at level" not in first  # the sheet's move names, not the ladder's
    assert "Your next 6 weeks: Active dead hang" in first  # the plan ended: the new one
    assert "You have reached every level the course asks for before its goal exercise, the " \
        "hanging alternating knee raise. Ask Jo Okafor (020 7946 0000) whether it suits " \
        "you before you try it." in first  # as the summary says "ready" to the therapist
    assert "goal exercise" not in seen["jamie"]["first"]  # not ready: not offered
    assert "planned sessions done in all" in seen["alex"]["adherence"]  # not "so far"
    for parts in seen.values():  # left before right, in every report
        held = parts["outcomes"]
        if "Side bridge, right" in held:
            assert held.index("Side bridge, left") < held.index("Side bridge, right")
    for parts in seen.values():  # no scores: said once, not again as "only one check so far"
        if "No pain or daily-task scores saved yet" in parts["outcomes"]:
            assert parts["over_time"] == ""
        else:
            assert parts["over_time"].startswith("Pain and daily tasks over time")


def test_client_pages_have_no_course_words_decimals_or_citations(
        seen: dict[str, dict[str, str]]) -> None:
    for persona, parts in seen.items():
        client = " ".join(parts[p] for p in ("header", "first", "outcomes", "adherence",
                                             "home_sheet"))
        for word in ("notebook", "capstone", "PEG", "Patient-Specific", "Ostelo", "Reed 2024",
                     "McGill 1999", "source:"):
            assert word not in client, (persona, word)
        assert not re.search(r"\d\.\d\d", client), persona
        assert " of 10 " not in client.replace("out of 10", ""), persona
    assert "PEG" in seen["alex"]["provenance"] and "Ostelo 2008" in seen["alex"]["provenance"]


def test_the_home_sheet_names_each_move_once_with_steps_pain_rules_and_one_stop_list(
        seen: dict[str, dict[str, str]]) -> None:
    sheet, raw = seen["alex"]["home_sheet"], seen["alex"]["sheet_html"]
    head, _, rest = sheet.partition(" Your home exercises ")
    assert head == "For: · Mon 6 Apr 2026 · From: Jo Okafor, Riverside Physiotherapy, " \
        "020 7946 0000" and rest.startswith("3 sessions a week")  # the plan's, not 2
    assert "rest 90 s between sets" in sheet and "Pictures, left to right" not in sheet
    assert sheet.count("Active dead hang (shoulder-blade pulls)") == 1
    assert sheet.count("Level 4 of 4") == 2 and sheet.count("Level 3 of 3") == 3  # each move
    assert "psoas" not in sheet.lower()
    assert raw.count("<ol>") == 5 and "Stand on a sturdy step under the bar." in raw
    assert "as for the" not in sheet and "into a bird dog" not in sheet  # steps stand alone
    assert sheet.count("You need:") == 1  # once, at the top, each thing named once
    assert "You need: a pull-up bar, a sturdy step or stool, a light mini band" in sheet
    assert sheet.count("a mat") == 1 and "Check the bar holds" in sheet
    assert COURSE.rule_for("regress").says in sheet
    assert "When to move up: Every move here is at its top level: keep each at its target, " \
        "and ask Jo Okafor (020 7946 0000) before anything harder." in sheet  # none above
    assert COURSE.rule_for("progress").says not in sheet
    mixed = seen["jamie"]["home_sheet"]
    top = [m.name for m in COURSE.exercise("big-three").rungs[-1].moves]  # as its cards say
    assert f"When to move up: {COURSE.rule_for('progress').says} Already at the top level: " \
        f"{'; '.join(top)}. Keep them at the target" in mixed
    assert "How much pain is OK, and when to step back:" in sheet
    stops = sheet[sheet.index("Stop and rest if:"):sheet.index("Get help")]
    assert stops.count("spreads down") == 1 and "down an arm or a leg" in stops
    assert stops.count("Your grip starts to slip") == 1 and stops.count("shoulder") == 1
    assert stops.count("Dizziness") == 1 and stops.count("breath") == 1
    assert "call 999" in sheet and "leaking pee or poo" in sheet
    from backcourse.render.report import STYLE

    sheet_css = "".join(body for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", STYLE)
                        if ".bc-sheet" in selector)
    sizes = [float(s) for s in re.findall(r"font-size:([\d.]+)pt", sheet_css)]
    assert sizes and min(sizes) >= 10.5 and "<small>" not in raw


def test_the_groups_change_leaves_out_plans_on_hold_and_says_a_small_median_is_small(
        tmp_path: Path) -> None:
    from backcourse.core.outcomes import changes
    from backcourse.core.records import Score
    from backcourse.export.reports import Outcome, group_change

    def client(n: int, state: str, pain: tuple[float, float], rating: int | None) -> Outcome:
        scores = [Score(taken_on="2026-01-05", measure="pain", value=pain[0]),
                  Score(taken_on="2026-03-02", measure="pain", value=pain[1])]
        scores += [] if rating is None else [Score(taken_on="2026-03-02", measure="groc",
                                                   value=rating)]
        (who,) = read_roster(roster(tmp_path, row(f"c{n}")), COURSE)
        return Outcome(who, None, state, None, changes=tuple(changes(COURSE.measures, scores)))

    said = group_change([client(1, "active", (5, 3), 2), client(2, "active", (5, 4), 0),
                         client(3, "active", (6, 5), 1),
                         client(4, "withheld", (6, 0), 3)])
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", said)).split())
    assert "Pain 3 1 2 0 1 point better: smaller than the smallest change that matters " \
        "(2 points)" in text
    assert ("Overall change, rated by 3 clients with a plan: 1 said better or much better, "
            "1 said about the same, 1 said a little better.") in text


def test_a_warning_sign_says_what_the_client_was_told_and_when_to_check_it_today() -> None:
    from backcourse.core.program import Record, Withheld
    from backcourse.core.records import Screening
    from backcourse.export.reports import told

    screening = Screening(taken_on="2026-02-09", outcome="same day", flagged=("E10",))
    status = Withheld(Record(None, (), ()), screening)
    said = told(status, COURSE, dt.date(2026, 4, 6))
    sign = next(f.short for f in COURSE.red_flags if f.id == "E10")
    assert said == (f"“{sign}” in the safety check; the client was told on Mon 9 Feb 2026 "
                    "(56 days ago) to contact a doctor that same day; check they did, today")
    assert "(today)" in told(status, COURSE, dt.date(2026, 2, 9))


def test_the_attention_list_puts_warning_signs_first_and_the_command_prints_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from backcourse.core.program import Record, Withheld
    from backcourse.core.records import Screening
    from backcourse.export import reports
    from backcourse.export.reports import Outcome, attention_lines, needs_attention, told

    screening = Screening(taken_on="2026-02-09", outcome="same day", flagged=("E10",))
    warning = told(Withheld(Record(None, (), ()), screening), COURSE, dt.date(2026, 2, 11))
    who = read_roster(roster(tmp_path, row("ana", "Ana B"), row("ben", "Ben C") + ",,07700  900123",
                             row("cy", "Cy D"), row("dee", "Dee E")), COURSE)
    assert who[1].phone == "07700 900123" and who[0].phone == ""
    outcomes = [Outcome(who[0], None, "active", True),
                Outcome(who[1], None, "active", False, attention=("flare-up: pain reached 8",)),
                Outcome(who[2], None, "rescreen", None, attention=("pain rising",)),
                Outcome(who[3], None, "withheld", None, attention=(f"warning sign: {warning}",))]
    assert attention_lines(outcomes) == [f"dee (Dee E), call today: warning sign: {warning}",
                                         "cy (Cy D), call today: pain rising",
                                         "ben (Ben C, 07700 900123), call this week: flare-up: "
                                         "pain reached 8"]
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", needs_attention(outcomes))).split())
    assert "cannot alert anyone" in page and page.index("Dee E") < page.index("Ben C")
    assert "Dee E today warning sign" in page and "Ben C 07700 900123 this week" in page
    assert "Ana B" not in page

    def fake_run(clients: list, out: Path, **_: object) -> list[Outcome]:
        out.mkdir()
        return outcomes

    monkeypatch.setattr(reports, "run_reports", fake_run)
    path = roster(tmp_path, row("ana", "Ana B"))
    assert cli.main(["report", "--roster", str(path), "--out", str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out.splitlines()
    at = printed.index("Needs attention (3): call them when each line says (this course cannot "
                       "send alerts)")
    assert printed[at + 1:at + 4] == [f"  {line}" for line in attention_lines(outcomes)]
    assert "; the client was told on Mon 9 Feb 2026 (2 days ago) to contact a doctor that " \
        "same day; check they did, today" in printed[at + 1]
    assert not any(word in line for line in printed for word in ("learner", "plan shown"))


def test_the_summary_says_what_ready_for_the_goal_exercise_means_about_the_client() -> None:
    """A physiotherapist read criteria written to the client ("You can hang…", "your last
    6 sessions"): the summary says them about the client, with the rules' own numbers."""
    from backcourse.export.reports import readiness_words

    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", readiness_words(COURSE))).split())
    assert text.startswith("What “Ready for the goal exercise” means The goal exercise is the "
                           f"course's last one (its capstone): {COURSE.capstone.name}.")
    for c in COURSE.capstone.readiness:
        x = COURSE.exercise(c.exercise)
        rung = x.rung(c.rung)
        assert (f"{x.name}: they have mastered level {rung.level} ({rung.name}) or a higher "
                "level.") in text
    calm, flare = COURSE.calm, COURSE.thresholds.regress
    assert (f"No flare-up in their last {calm.sessions} sessions: no session in which their "
            f"worst pain during an exercise went above {flare.max_pain} out of 10, or their "
            f"pain the next morning was {flare.points:g} points or more above their pain "
            "before it") in text
    progress = COURSE.thresholds.progress
    assert (f"A level is mastered when they reach its target in {progress.sessions} sessions "
            f"in a row, with pain no worse than {progress.max_pain} out of 10") in text
    assert not re.search(r"\byou(r|rs|rself)?\b", text, re.I), text
    assert COURSE.calm.says not in text


def test_the_home_sheet_starts_with_whose_it_is_the_date_and_who_gave_it() -> None:
    from backcourse.content.clinic import Clinic
    from backcourse.render.report import sheet_head

    def text(fragment: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    clinic = Clinic(name="Riverside <Physio>", therapist="Jo Okafor", contact="020 7946 0000",
                    logo=None)
    said = sheet_head("Ana  <b>B</b>", dt.date(2026, 3, 2), clinic)
    assert text(said) == ("For: Ana <b>B</b> · Mon 2 Mar 2026 · From: Jo Okafor, Riverside "
                          "<Physio>, 020 7946 0000")
    assert "<b>" not in said  # escaped
    blank = sheet_head("", dt.date(2026, 3, 2), None)
    assert text(blank) == "For: · Mon 2 Mar 2026 · From:" and 'class="bc-blank"' in blank


@pytest.mark.parametrize("today, said", [
    ("2026-01-05", ""),  # the plan's first day: nothing to count yet
    ("2026-01-07", "In the first week of your plan you did 1 of the 3 planned sessions"),
    ("2026-01-20", "In the first 3 weeks of your plan you did 2 of the 9 planned sessions"),
    ("2026-02-10", "In the last 4 weeks of your plan you did 0 of the 12 planned sessions"),
    ("2026-04-06", "In the last 4 weeks of your plan you did 1 of the 12 planned sessions"),
])
def test_sessions_are_counted_within_the_plan(today: str, said: str) -> None:
    """A physiotherapist read '0 of the 12 planned sessions' in a client's first week and
    '8 of 12 in the last 4 weeks' beside '36 of 36' after the plan had ended."""
    from backcourse.core.records import Plan, SessionLog
    from backcourse.render.report import recent_sessions

    plan = Plan(created_on="2026-01-05", start_on="2026-01-05", weeks=8, sessions_per_week=3)
    logs = [SessionLog(done_on=d, exercise="big-three", rung="big-three-1", sets=1, seconds=10,
                       pain_before=2, pain_after=2)
            for d in ("2026-01-06", "2026-01-13", "2026-02-23")]
    assert recent_sessions(logs, plan, dt.date.fromisoformat(today)).startswith(said)


def summary_of(tmp_path: Path, days: tuple[str, ...], clinic: Clinic | None = None,
               made: dt.date | None = None) -> str:
    """What a physiotherapist reads in a group summary of clients with these report days
    (from its top, below the browser's title)."""
    from backcourse.export.reports import Outcome, write_summary

    rows = [row(f"c{n}", f"Client {n}", plan=f"8,3,{d}") for n, d in enumerate(days)]
    outcomes = [Outcome(c, None, "active", False) for c in read_roster(roster(tmp_path, *rows),
                                                                       COURSE)]
    out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
    out.mkdir()
    return text_of(write_summary(outcomes, out, clinic, made)).removeprefix("Group summary ")


def test_the_summary_starts_with_the_clinic_and_the_day_it_was_prepared(tmp_path: Path) -> None:
    """A physiotherapist's summary had no date and no clinic: the client reports' letterhead,
    then the day, the clients' report day when they share one."""
    clinic = Clinic(name="Riverside <Physio>", therapist="Jo Okafor", contact="020 7946 0000",
                    logo=None)
    made = dt.date(2026, 4, 9)
    assert summary_of(tmp_path, ("2026-04-06", "2026-04-06"), clinic=clinic, made=made
                      ).startswith("Riverside <Physio> Jo Okafor · 020 7946 0000 "
                                   "Group summary Prepared Mon 6 Apr 2026. 2 clients. Personal "
                                   "health information: keep it private. Needs attention")
    assert summary_of(tmp_path, ("2026-03-02", "2026-04-06"), made=made).startswith(
        "Group summary Prepared Thu 9 Apr 2026. 2 clients. The clients' reports "
        "are dated Mon 2 Mar 2026 to Mon 6 Apr 2026. Personal health information")
    one = summary_of(tmp_path, ("2026-04-06",))
    assert "Prepared Mon 6 Apr 2026. 1 client. Personal" in one
    assert "Why no report" not in one and "Problem" not in one  # no empty column


def test_no_table_cell_of_the_summary_can_split_a_word() -> None:
    """A physiotherapist read "Kim (syntheti c)": links broke anywhere, even in a cell. The
    last word on breaking in a cell's content is the cell's own (break only a word wider than
    the page), and names and ids keep to one line."""
    from backcourse.render.html import STYLE

    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", STYLE, flags=re.S))
    wrap = [(sel.strip(), body) for sel, body in rules if "overflow-wrap" in body]
    cell = [n for n, (sel, _) in enumerate(wrap) if ".bc td *" in sel.split(",")]
    assert cell and all(n < cell[-1] for n, (_, body) in enumerate(wrap) if "anywhere" in body)
    assert "overflow-wrap:inherit" in wrap[cell[-1]][1]
    assert ("overflow-wrap:break-word" in next(body for sel, body in wrap
                                               if ".bc td" in sel.split(",")))
    assert "word-break" not in STYLE and "hyphens" not in STYLE
    assert any(sel.strip() == ".bc .bc-nowrap" and "white-space:nowrap" in body
               for sel, body in rules)


def printed_words(summary: Path) -> tuple[list[str], set[str]]:
    """The lines of the summary's PDF, and every word of its page: a word split across two
    lines prints as two pieces that are not words of the page. (A line may end after a
    hyphen, as in a long file path, at any of its hyphens; pdftotext joins the parts
    without it.)"""
    lines_ = subprocess.run(["pdftotext", str(summary.with_suffix(".pdf")), "-"], check=True,
                            capture_output=True, text=True).stdout.splitlines()
    words = set(text_of(summary).split())
    for word in [w for w in words if "-" in w]:
        parts = word.split("-")
        for kept in itertools.product(("-", ""), repeat=len(parts) - 1):
            words.add(parts[0] + "".join(h + p for h, p in zip(kept, parts[1:], strict=True)))
    return [" ".join(line.split()) for line in lines_ if line.strip()], words


@pytest.mark.slow
def test_the_printed_summary_never_splits_a_word_or_a_name(tmp_path: Path) -> None:
    """A physiotherapist read "Kim (syntheti c)" in the summary's PDF, beside a long reason."""
    from backcourse.core.program import Record, Withheld
    from backcourse.core.records import Screening
    from backcourse.export.handouts import to_pdf
    from backcourse.export.reports import Outcome, told, write_summary

    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        pytest.skip("needs chromium and pdftotext (.ci/run installs both)")
    who = read_roster(roster(tmp_path, row("alex", "Alex (synthetic)"),
                             row("kim", "Kim (synthetic)", screening="same day", flags="E10"),
                             row("a-very-long-client-identifier-0042", "Ana Sofía Ng")), COURSE)
    screening = Screening(taken_on="2026-03-02", outcome="same day", flagged=("E10",))
    why = "warning sign: " + told(Withheld(Record(None, (), ()), screening), COURSE,
                                  dt.date(2026, 3, 2))
    out = tmp_path / "out"
    out.mkdir()
    summary = write_summary([Outcome(who[0], None, "active", True),
                             Outcome(who[1], None, "withheld", None, attention=(why,)),
                             Outcome(who[2], None, "active", False,
                                     attention=("no session logged for 14 days or more",))],
                            out)
    to_pdf(summary, shutil.which("chromium") or "")
    printed, words = printed_words(summary)
    assert [w for line in printed for w in line.split() if w not in words] == []
    for c in who:
        assert c.name in printed and c.client_id in printed, c.name  # each on a line of its own
