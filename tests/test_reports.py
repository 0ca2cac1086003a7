"""`backcourse report`: a validated roster, a private report per client, a group summary."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from backcourse import cli
from backcourse.content.load import load_course
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
        write_persona(journal, "steady")
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
    """20 synthetic clients: exported persona journals and baseline rows, one name hostile."""
    base = tmp_path_factory.mktemp("group")
    rows = []
    for n in range(12):
        persona = sorted(PERSONAS)[n % 4]
        with Journal(":memory:") as journal:
            write_persona(journal, persona, seed=n)
            journal.export_json(base / f"j{n}.json")
        rows.append(row(f"client-{n}", f"Client {n}", f"j{n}.json", screening="",
                        plan="6,2,2026-04-06"))
    for n in range(12, 20):
        rows.append(row(f"client-{n}", "<script>alert(1)</script>" if n == 12 else f"C{n}",
                        extra=f"{n % 6},60,,90,{n * 2},{n * 2 + 1},{n},{n}"))
    rows[5] = row("client-5", "Broken", "j5.json", screening="")
    clients = read_roster(roster(base, *rows), COURSE)
    (base / "j5.json").unlink()  # the file goes missing after the check: fails mid-run
    outcomes = run_reports(clients, base / "out", jobs=2)
    return base / "out", outcomes


@pytest.mark.slow
def test_twenty_clients_get_reports_and_a_summary(group: tuple[Path, list]) -> None:
    out, outcomes = group
    assert len(outcomes) == 20
    made = sorted(p.name for p in out.glob("client-*.html"))
    assert len(made) == 19 and "client-5.html" not in made
    summary = (out / "index.html").read_text(encoding="utf-8")
    assert summary.count("<tr><td>") == 20 and '">Where the group stands: 20 clients' in summary


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
    """The shared assets too: copied owner-only, not with the package's own modes."""
    out, _ = group
    assert (out / "assets" / "reveal.js" / "dist" / "reveal.js").is_file()
    for path in [out, *out.rglob("*")]:
        want = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == want, path


@pytest.mark.slow
def test_clients_with_a_red_flag_get_no_plan(group: tuple[Path, list]) -> None:
    out, outcomes = group
    flagged = [o for o in outcomes if o.state == "withheld"]
    assert flagged
    for o in flagged:
        text = (out / f"{o.client.file_id}.html").read_text(encoding="utf-8")
        assert "Your exercise plan is on hold" in text and "Your next 6 weeks" not in text
    planned = [o for o in outcomes if o.state == "active"]
    assert planned and all("Your next" in (out / f"{o.client.file_id}.html").read_text(
        encoding="utf-8") for o in planned)


def test_the_shipped_example_roster_is_valid() -> None:
    from backcourse.infra.paths import data_dir

    clients = read_roster(data_dir() / "examples" / "roster.csv", COURSE)
    assert [c.client_id for c in clients] == ["alex", "sam", "robin", "kim"]


@pytest.mark.parametrize("given", ["ABSOLUTE", "../outside.json", "sub/../../outside.json",
                                   "link.json"])
def test_a_journal_outside_the_rosters_folder_is_refused(tmp_path: Path, given: str) -> None:
    """A roster names exports beside it or below it; never any other file on the machine."""
    folder = tmp_path / "class"
    (folder / "sub").mkdir(parents=True)
    with Journal(":memory:") as journal:
        write_persona(journal, "steady")
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
