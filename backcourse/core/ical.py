"""A training plan as an iCalendar file (RFC 5545), for reminders without an account (pure).

One event per planned session. With a time of day, events are *floating* local times
(RFC 5545 §3.3.5, form 1): 18:00 stays 18:00 on both sides of a daylight-saving change, in
whatever time zone the calendar shows. Without one, they are all-day events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from backcourse.core.course import Course
from backcourse.core.dates import parse_date
from backcourse.core.errors import BackcourseError
from backcourse.core.program import Active, ProgramStatus
from backcourse.core.schedule import Session, describe_work, weekly_plan

PRODUCT = "-//backcourse//training plan//EN"
REMIND_BEFORE_MIN = 15


def text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 asks."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def describe(session: Session, advice: str) -> str:
    """What to do in a session: each prerequisite's level and every move's dose, then
    ``advice`` (the course's own words on when to stop)."""
    return "\n".join([*(describe_work(name, rung) for name, rung in session.work), advice])


def plan_ics(sessions: Sequence[Session], *, at: dt.time | None, stamp: dt.datetime,
             advice: str, learner: str = "me") -> str:
    """The calendar: events at ``at`` (or all day) as long as each session's estimate,
    stamped ``stamp`` (UTC), each ending with ``advice``.

    Event ids are stable (learner, day and number), so importing an updated plan replaces
    the events it had before instead of doubling them.
    """
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware (UTC)")
    utc = stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{text('Back exercise plan')}"]
    for n, session in enumerate(sessions, start=1):
        summary = f"Back exercises, week {session.week} (about {session.minutes} min)"
        if at is None:
            when = [f"DTSTART;VALUE=DATE:{session.day:%Y%m%d}",
                    f"DTEND;VALUE=DATE:{session.day + dt.timedelta(days=1):%Y%m%d}"]
        else:
            start = dt.datetime.combine(session.day, at)
            when = [f"DTSTART:{start:%Y%m%dT%H%M%S}", f"DURATION:PT{session.minutes}M"]
        uid = text(f"{learner}-{session.day:%Y%m%d}-{n}")
        lines += ["BEGIN:VEVENT", f"UID:{uid}@backcourse", f"DTSTAMP:{utc}", *when,
                  f"SUMMARY:{text(summary)}", f"DESCRIPTION:{text(describe(session, advice))}",
                  "TRANSP:TRANSPARENT"]
        if at is not None:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-PT{REMIND_BEFORE_MIN}M",
                      f"DESCRIPTION:{text('Back exercises soon')}", "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


#: why a learner's plan cannot be exported, by programme state
NOT_NOW = {
    "no-screening": "take the safety check first (notebook 00 or the app); then save a plan",
    "withheld": "your latest safety check says to see a clinician first; the plan is withheld",
    "rescreen": "your plan is paused because pain is rising; take the safety check again",
}


def plan_calendar(course: Course, status: ProgramStatus, *, today: dt.date,
                  at: dt.time | None, stamp: dt.datetime, learner: str = "me") -> str:
    """The learner's saved plan from ``today`` on, at their current levels, as iCalendar;
    a BackcourseError saying why when the plan may not be shown or there is none."""
    if not isinstance(status, Active):
        raise BackcourseError(NOT_NOW[status.state])
    plan = status.record.plan
    if plan is None:
        raise BackcourseError("no plan saved yet: save one in notebook 08 or the app")
    sessions = [s for s in weekly_plan(course, start=parse_date(plan.start_on),
                                       weeks=plan.weeks, sessions_per_week=plan.sessions_per_week,
                                       rungs=status.starts)
                if s.day >= today]
    if not sessions:
        raise BackcourseError(f"your plan ended before {today}: save a new one in notebook 08 "
                              "or the app")
    return plan_ics(sessions, at=at, stamp=stamp, advice=course.rule_for("regress").says,
                    learner=learner)
