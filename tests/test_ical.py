"""The plan as an iCalendar file, read back with the `icalendar` library as a calendar app
would: one event per planned session, the right days and times, across a daylight-saving
change, and a clear refusal when there is no plan to show."""

from __future__ import annotations

import datetime as dt
import stat
import zoneinfo
from pathlib import Path

import icalendar
import pytest

from backcourse import cli
from backcourse.content import load_course
from backcourse.core.errors import BackcourseError
from backcourse.core.ical import fold, plan_calendar, plan_ics
from backcourse.core.program import Record, decide
from backcourse.core.records import Plan, Screening
from backcourse.core.schedule import session_minutes, weekly_plan
from backcourse.journal.store import Journal, journal_path

COURSE = load_course()
STAMP = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
ADVICE = COURSE.rule_for("regress").says


def events(calendar: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(calendar).walk("VEVENT"))


def test_one_event_per_session_at_the_same_local_time_across_a_clock_change() -> None:
    """Europe's clocks go forward on 2026-03-29: 18:00 stays 18:00 on either side."""
    plan = weekly_plan(COURSE, start=dt.date(2026, 3, 23), weeks=2, sessions_per_week=3)
    found = events(plan_ics(plan, at=dt.time(18, 0), stamp=STAMP, advice=ADVICE))
    assert len(found) == len(plan) == 6
    starts = [e.decoded("DTSTART") for e in found]
    assert [s.date() for s in starts] == [s.day for s in plan]
    assert {(s.hour, s.minute, s.tzinfo) for s in starts} == {(18, 0, None)}  # floating
    london = zoneinfo.ZoneInfo("Europe/London")
    offsets = {s.replace(tzinfo=london).utcoffset() for s in starts}
    assert offsets == {dt.timedelta(0), dt.timedelta(hours=1)}  # the plan does cross it
    assert all(e.decoded("DURATION") == dt.timedelta(minutes=plan[0].minutes) for e in found)
    assert all(a.get("TRIGGER").dt == -dt.timedelta(minutes=15)
               for e in found for a in e.walk("VALARM"))


def test_each_event_says_what_to_do_and_when_to_step_back() -> None:
    plan = weekly_plan(COURSE, start=dt.date(2026, 5, 4), weeks=1, sessions_per_week=2)
    first = events(plan_ics(plan, at=None, stamp=STAMP, advice=ADVICE))[0]
    text = str(first.get("DESCRIPTION"))
    for name, rung in plan[0].work:
        assert f"{name}, level {rung.level}" in text
        assert all(f"{m.name}, {m.dose.describe()}" in text for m in rung.moves)
    assert text.endswith(ADVICE)
    assert str(first.get("SUMMARY")) == f"Back exercises, week 1 (about {plan[0].minutes} min)"
    assert first.decoded("DTSTART") == dt.date(2026, 5, 4)  # all day, without a time
    assert first.decoded("DTEND") == dt.date(2026, 5, 5)
    assert not first.walk("VALARM")


def test_lines_are_folded_at_75_octets_with_crlf_and_text_survives_the_round_trip() -> None:
    long = "Relève-toi, doucement; puis: encore, " * 12
    folded = fold(f"DESCRIPTION:{long}")
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    plan = weekly_plan(COURSE, start=dt.date(2026, 5, 4), weeks=1, sessions_per_week=1)
    calendar = plan_ics(plan, at=None, stamp=STAMP, advice=long)
    assert calendar.endswith("\r\n") and "\n" not in calendar.replace("\r\n", "")
    assert str(events(calendar)[0].get("DESCRIPTION")).endswith(long)


def test_event_ids_are_stable_so_a_new_export_replaces_the_old_events() -> None:
    plan = weekly_plan(COURSE, start=dt.date(2026, 5, 4), weeks=2, sessions_per_week=3)
    once = [str(e.get("UID")) for e in events(plan_ics(plan, at=None, stamp=STAMP,
                                                          advice=ADVICE))]
    later = STAMP + dt.timedelta(days=3)
    again = [str(e.get("UID")) for e in events(plan_ics(plan, at=None, stamp=later,
                                                           advice=ADVICE))]
    assert once == again and len(set(once)) == len(once)


def test_a_session_estimate_counts_work_rests_and_setting_up() -> None:
    level_one = [x.rungs[0] for x in COURSE.prerequisites]
    top = [x.rungs[-1] for x in COURSE.prerequisites]
    assert 5 <= session_minutes(level_one) <= session_minutes(top)
    assert session_minutes(level_one) % 5 == 0


def _status(screening: Screening | None, plan: Plan | None):  # type: ignore[no-untyped-def]
    return decide(COURSE, screening, Record(plan, (), ()))


def test_only_an_active_plan_becomes_a_calendar() -> None:
    today = dt.date(2026, 5, 6)
    clear = Screening(taken_on="2026-05-01", outcome="clear")
    plan = Plan(created_on="2026-05-01", start_on="2026-05-04", weeks=2, sessions_per_week=3)
    calendar = plan_calendar(COURSE, _status(clear, plan), today=today, at=None, stamp=STAMP)
    days = [e.decoded("DTSTART") for e in events(calendar)]
    assert days and min(days) >= today and len(days) == 5  # from today on
    refusals = {
        "take the safety check first": _status(None, plan),
        "see a clinician first": _status(Screening(taken_on="2026-05-01", outcome="same day",
                                                   flagged=("S3",)), plan),
        "no plan saved yet": _status(clear, None),
    }
    for words, status in refusals.items():
        with pytest.raises(BackcourseError, match=words):
            plan_calendar(COURSE, status, today=today, at=None, stamp=STAMP)
    with pytest.raises(BackcourseError, match="your plan ended before 2026-06-30"):
        plan_calendar(COURSE, _status(clear, plan), today=dt.date(2026, 6, 30), at=None,
                      stamp=STAMP)


def test_the_plan_command_writes_a_private_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.date.today().isoformat()
    with Journal(journal_path("sam", tmp_path)) as journal:
        journal.add(Screening(taken_on=today, outcome="clear"))
        journal.add(Plan(created_on=today, start_on=today, weeks=4, sessions_per_week=3))
    out = tmp_path / "plan.ics"
    assert cli.main(["plan", "--ics", str(out), "--at", "07:45", "--learner", "sam",
                     "--home", str(tmp_path)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    found = events(out.read_text(encoding="utf-8"))
    assert len(found) == 12 and {e.decoded("DTSTART").time() for e in found} == {
        dt.time(7, 45)}
    assert capsys.readouterr().out.startswith(f"Wrote 12 sessions to {out}")


@pytest.mark.parametrize("at", ["7pm", "25:00", "7:45:00"])
def test_a_bad_time_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       at: str) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["plan", "--ics", str(tmp_path / "p.ics"), "--at", at])
    assert exited.value.code == 2
    assert "write the time as HH:MM on a 24-hour clock" in capsys.readouterr().err


def test_no_journal_is_one_line_and_writes_nothing(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["plan", "--ics", str(tmp_path / "p.ics"), "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("backcourse plan: no journal at ") and "\n" not in err
    assert not (tmp_path / "p.ics").exists() and not journal_path("me", tmp_path).exists()
