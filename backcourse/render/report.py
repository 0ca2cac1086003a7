"""A client's report as HTML fragments: the letterhead, what matters first, start against
latest, adherence, a one-page home exercise sheet and what produced the report.

The report notebook calls these through :mod:`backcourse.report`; no widgets, no quiz and
no instructor text ever reach them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape

from backcourse.core.course import Course
from backcourse.core.model import Measure
from backcourse.core.outcomes import Change
from backcourse.core.program import Active, ProgramStatus
from backcourse.core.records import Assessment, Plan, SessionLog
from backcourse.render.html import SAFETY_NET, Places, cites, day, gate, items, table
from backcourse.render.outcomes import number, outcome_table, points

#: where a client does each step, as a report says it
REPORT = Places(screen="the course, or with your therapist",
                battery="the course, or with your therapist",
                plan="your plan", rerun="ask your therapist for a new report")
LETTERHEAD = """<style>
.bc-letterhead{display:flex;gap:1em;align-items:center;border-bottom:2px solid #0072B2;
  padding-bottom:0.4em;margin-bottom:0.6em}
.bc-letterhead img{max-height:60px;max-width:160px}
.bc-letterhead p{margin:0}
</style>"""
#: the printed page (A4) and its margins, top and bottom then left and right, in mm
PAGE_MM, MARGIN_MM = (210, 297), (9, 11)
STYLE = """<style>
@media print{.jp-Cell,.jp-OutputArea,.jp-OutputArea-child{break-inside:auto !important}
  table{break-inside:avoid}}
""" + f"@page{{margin:{MARGIN_MM[0]}mm {MARGIN_MM[1]}mm}}" + """
.jp-Cell:has(.bc-sheet),.bc-sheet:not(.jp-Cell .bc-sheet){break-before:page;break-after:page}
td small{font-size:9pt}
.bc-sheet h2{margin:0;font-size:16pt}
.bc-keep{break-inside:avoid}
.bc-sheet .bc-sheet-head{border-bottom:2px solid #0072B2;margin:0 0 0.2em;font-size:10.5pt}
.bc-blank{display:inline-block;width:12em;border-bottom:1px solid #333}
.bc-sheet .bc-moves{display:flex;flex-direction:column;gap:0.15em}
.bc-sheet .bc-item{border:1px solid #999;border-radius:4px;padding:0.1em 0.4em;
  break-inside:avoid;font-size:10.5pt;line-height:1.1;display:grid;
  grid-template-columns:27% 1fr;gap:0 0.8em;align-items:center}
.bc-sheet .bc-item img{display:block;width:auto;height:auto;max-width:100%;
  max-height:var(--fig);margin:0 auto}
.bc-sheet .bc-item h3{font-size:12pt;margin:0}
.bc-sheet .bc-item p{margin:0.1em 0}
.bc-sheet .bc-item ol{margin:0.1em 0;padding-left:1.3em}
.bc-sheet .bc-rung{font-style:italic;text-align:center;color:#333}
.bc-sheet > p,.bc-sheet .bc-pain{font-size:10.5pt;line-height:1.1;margin:0.2em 0}
.bc-sheet .bc-pain{display:grid;grid-template-columns:1fr 1fr;gap:0 1.2em}
.bc-sheet .bc-pain p{margin:0.2em 0}
.bc-sheet .bc-stop{border:2px solid #B3261E;padding:0.15em 0.6em;margin-top:0.3em;
  font-size:10.5pt;line-height:1.1}
.bc-sheet .bc-stop p{margin:0.15em 0}
.bc-sheet .bc-stop ul{margin:0.1em 0;padding-left:1.2em;columns:2;column-gap:1.5em}
.bc-bar{display:inline-block;height:0.8em;background:#009E73;vertical-align:middle}
.bc-provenance{font-size:9.5pt;color:#333;break-inside:avoid}
.bc-provenance td,.bc-provenance th{padding:0.1em 0.4em}
</style>"""


def letterhead(clinic: object | None, title: str, today: dt.date, about: str = "") -> str:
    """The clinic's name, therapist and contact (and logo), then the page's title, the day
    it was prepared (and ``about``, a sentence): a client's report and the group summary."""
    head = ""
    if clinic is not None:
        logo = getattr(clinic, "logo", None)
        head = ('<div class="bc-letterhead">'
                + (f'<img src="{escape(logo)}" alt="{escape(getattr(clinic, "name", ""))} logo">'
                   if logo else "")
                + f"<div><p><strong>{escape(getattr(clinic, 'name', ''))}</strong></p>"
                f"<p>{escape(getattr(clinic, 'therapist', ''))} · "
                f"{escape(getattr(clinic, 'contact', ''))}</p></div></div>")
    return (LETTERHEAD + head + f"<h1>{escape(title)}</h1><p><small>Prepared {day(today)}. "
            + (f"{escape(about)} " if about else "")
            + "Personal health information: keep it private.</small></p>")


def header(clinic: object | None, client: str, today: dt.date) -> str:
    """A client's report's styles and letterhead, saying whom the report is for."""
    who = " ".join(client.split()) or "your client"
    return STYLE + letterhead(clinic, f"Your back programme: report for {who}", today)


def first(status: ProgramStatus, course: Course, changes: Sequence[Change],
          logs: Sequence[SessionLog], today: dt.date, next_check: str, weeks: int,
          contact: str = "") -> str:
    """What matters most, first: a warning sign (with the check's date and age) and what
    to do, or where the client stands in one paragraph, every score with its date."""
    if not isinstance(status, Active):
        return gate(status, course, REPORT, report_day=today, cite=False, contact=contact)
    plan = status.record.plan
    parts = []
    ended = False
    if plan is not None:
        start = dt.date.fromisoformat(plan.start_on)
        week = (today - start).days // 7 + 1
        ended = week > plan.weeks
        parts.append(f"You are in week {week} of your {plan.weeks}-week plan."
                     if week <= plan.weeks else
                     f"Your {plan.weeks}-week plan ended on {day(plan.last_day())}.")
    if plan is not None:
        parts.append(recent_sessions(logs, plan, today))
    for c in changes:
        if c.measure.id in ("pain", "psfs") and c.latest is not None:
            high = f"{c.measure.high:g}"
            parts.append(f"{c.measure.short}: {number(c.baseline.value)} out of {high} at the "
                         f"start ({day(c.baseline.taken_on)}), {number(c.latest.value)} out of "
                         f"{high} at your latest check ({day(c.latest.taken_on)}). "
                         f"{c.sentence}")
    moves = "; ".join(m.name for s in status.steps for m in s.next.moves)
    parts.append(f"{f'Your next {weeks} weeks' if ended else 'Next'}: {moves}. The home "
                 "exercise sheet has the details.")
    if status.readiness.ready:  # as the group summary says "ready" for the therapist
        parts.append("You have reached every level the course asks for before its goal "
                     f"exercise, the {course.capstone.name.lower()}. Ask "
                     f"{contact or 'your therapist'} whether it suits you before you try it.")
    if next_check:
        parts.append(f"Next check of your progress: {next_check}.")
    return f'<div class="bc-box bc-ok"><p>{escape(" ".join(parts))}</p></div>'


def _in_order(key: str, order: Mapping[str, int]) -> tuple[int, bool]:
    """A result's place in the battery (``order``: result key to index), left before right
    in every report."""
    twins = {key, key.replace("_left", "_right"), key.replace("_right", "_left")}
    return min((order[k] for k in twins if k in order), default=len(order)), \
        key.endswith("_right")


def holds_table(assessments: Sequence[Assessment], course: Course) -> str:
    """Each timed hold at the start and the latest test, with the published average."""
    names = course.result_names()
    timed = [a for a in assessments if a.unit == "s"]
    rows = ""
    order = {k: i for i, k in enumerate(names)}
    for key in sorted(dict.fromkeys(a.key for a in timed), key=lambda k: _in_order(k, order)):
        mine = sorted((a for a in timed if a.key == key), key=lambda a: a.taken_on)
        start, last = mine[0], mine[-1]
        test = next((t for t in course.battery if key in t.keys()), None)
        norm = ""
        found = [n for n in course.norms_for(test.norms) if n.test == key] if (
            test is not None and test.norms) else []
        if found:
            norm = ", ".join(f"{escape(n.sex)} {n.value:g}&nbsp;s" for n in found)
        rows += (f"<tr><th scope='row'>{escape(names.get(key, key))}</th>"
                 f"<td>{start.value:g}&nbsp;s<br><small>{day(start.taken_on)}</small></td>"
                 + (f"<td>{last.value:g}&nbsp;s<br><small>{day(last.taken_on)}</small></td>"
                    if last is not start else "<td>not yet</td>")
                 + f"<td>{norm or 'no published average'}</td></tr>")
    if not rows:
        return ""
    return table(("Timed hold", "At the start", "Latest", "Published average"), rows,
                 caption="Holds: compare with yourself. The averages come from young healthy "
                 "adults in a laboratory (men and women), so they are not a pass mark. No "
                 "smallest important change has been published for these holds.")


def recent_sessions(logs: Sequence[SessionLog], plan: Plan, today: dt.date) -> str:
    """Sessions done in the plan's last 4 weeks up to ``today`` (fewer weeks early on; none
    after it ended), against the number planned in them: one plain sentence, or nothing on
    the plan's first day."""
    start = dt.date.fromisoformat(plan.start_on)
    end = min(today, plan.last_day())
    if end <= start:
        return ""
    since = max(start, end - dt.timedelta(days=27))
    weeks = -(-((end - since).days + 1) // 7)  # weeks begun in that stretch
    done = len({s.done_on for s in logs if since <= dt.date.fromisoformat(s.done_on) <= end})
    which = ("In the last 4 weeks of your plan" if weeks == 4 else
             "In the first week of your plan" if weeks == 1 else
             f"In the first {weeks} weeks of your plan")
    return (f"{which} you did {done} of the {weeks * plan.sessions_per_week} planned sessions "
            f"({plan.sessions_per_week} a week).")


def outcomes(changes: Sequence[Change], assessments: Sequence[Assessment],
             course: Course) -> str:
    plain = [c for c in changes if not c.measure.levels]
    groc = next((c for c in changes if c.measure.levels), None)
    said = outcome_table(plain, course, cite=False) + holds_table(assessments, course)
    if groc is not None and groc.latest is not None:
        said += (f"<p><strong>{escape(groc.measure.name)}:</strong> "
                 f"{escape(groc.measure.level(groc.latest.value))} "
                 f"({day(groc.latest.taken_on)}).</p>")
    return said


def adherence(logs: Sequence[SessionLog], start: dt.date, weeks: int, per_week: int,
              today: dt.date) -> str:
    """Sessions done in each week of the plan so far, against the number planned."""
    done = [0] * weeks
    for d in {dt.date.fromisoformat(s.done_on) for s in logs}:
        week = (d - start).days // 7
        if 0 <= week < weeks:
            done[week] += 1
    shown = min(weeks, max(1, (today - start).days // 7 + 1))
    rows = "".join(
        f"<tr><td>Week {n + 1}</td><td>{done[n]} of {per_week}</td><td>"
        f'<span class="bc-bar" style="width:{min(done[n], per_week) * 2}em" '
        f'aria-hidden="true"></span></td></tr>' for n in range(shown))
    total = sum(done[:shown])
    when = "in all" if (today - start).days >= 7 * weeks else "so far"
    return (f'<div class="bc-keep"><p>{total} of {shown * per_week} planned sessions done '
            f"{when} ({100 * total // max(1, shown * per_week)}%).</p>"
            + table(("Week", "Sessions", ""), rows) + "</div>")


def sheet_head(client: str, today: dt.date, clinic: object | None) -> str:
    """Whose sheet it is, its date, and who gave it (the clinic, else a line to write on)."""
    who = escape(" ".join(client.split())) or "&nbsp;" * 24
    by = (f"{escape(getattr(clinic, 'therapist', ''))}, {escape(getattr(clinic, 'name', ''))}"
          f', <span class="bc-nowrap">{escape(getattr(clinic, "contact", ""))}</span>'
          if clinic is not None
          else '<span class="bc-blank"></span>')
    return (f'<p class="bc-sheet-head"><strong>For:</strong> {who} · '
            f"{day(today)} · <strong>From:</strong> {by}</p>")


#: Fits the home exercise sheet just before it on one printed page: laid out at the printed
#: width (the page's less the margins and what surrounds the sheet on screen), a sheet that
#: would run over is zoomed out just enough, to no less than 80%.
FIT_SCRIPT = f"""<script>(function () {{
  var sheet = document.currentScript.previousElementSibling, mm = 96 / 25.4;
  var around = document.body.clientWidth - sheet.getBoundingClientRect().width;
  sheet.style.width = ({PAGE_MM[0] - 2 * MARGIN_MM[1]} * mm - around) + 'px';
  var room = {PAGE_MM[1] - 2 * MARGIN_MM[0]} * mm * 0.97;
  var tall = sheet.getBoundingClientRect().height;
  sheet.style.width = '';
  if (tall > room) {{ sheet.style.zoom = Math.max(0.8, room / tall).toFixed(3); }}
}})();</script>"""


def home_sheet(status: Active, course: Course, per_week: int, next_check: str,
               contact: str, head: str = "") -> str:
    """The plan for the coming weeks on one A4 page: whose it is (``head``, see
    :func:`sheet_head`), what the levels need, a row per move, named once, with one large
    picture of where the move ends (the position before it as a ghost, an arrow for the
    motion) and its level under it, its numbered steps and dose; how much pain is OK and
    when to move up (or that a level is the top one); when to stop, and the emergency
    line."""
    from backcourse.render.figures import alt_text, as_img, figure_for, key_frames_svg

    cards = []
    for step in status.steps:
        for move in step.next.moves:
            figure = figure_for(course, move.id)
            cards.append(
                '<div class="bc-item"><div>'
                + as_img(key_frames_svg(figure, captions=False, only=[-1]), alt_text(figure),
                         "bc-sheet-figure")
                + f"<p class='bc-rung'>Level {step.next.level} of {len(step.exercise.rungs)}</p>"
                + f"</div><div><h3>{escape(move.name)}</h3>"
                + f"{items(move.how[:3], 'ol')}"
                f"<p><strong>Dose:</strong> {escape(move.dose.describe())}</p></div></div>")
    gear = dict.fromkeys(g for step in status.steps for g in step.next.equipment)
    check = f" Next check of your progress: {escape(next_check)}." if next_check else ""
    return (f'<section class="bc-sheet">{head}<h2>Your home exercises</h2>'
            f"<p>{per_week} sessions a week, with a rest day between. Breathe out slowly; never "
            f"hold your breath.{check}</p>{_gear_line(course, list(gear)) if gear else ''}"
            f'<div class="bc-moves" style="--fig:{_figure_height(len(cards))}px">'
            f'{"".join(cards)}</div><div class="bc-pain"><p><strong>How much pain is OK, and '
            f"when to step back:</strong> {escape(course.rule_for('regress').says)}</p><p>"
            f"<strong>When to move up:</strong> {escape(move_up(status, course, contact))}</p>"
            "</div>"
            f'<div class="bc-stop"><p><strong>Stop and rest if:</strong></p>'
            f"{items(course.stops(s.exercise for s in status.steps))}"
            "<p><strong>Get help:</strong> if pain or a warning sign "
            f"is new or getting worse, stop and contact {escape(contact)}. "
            f"{escape(SAFETY_NET)}</p></div></section>{FIT_SCRIPT}")


def move_up(status: Active, course: Course, contact: str) -> str:
    """When to move up: the progression rule for the levels below the top; for the moves at
    the top of their ladder, named as the sheet names them, that there is no level above."""
    top = [s for s in status.steps if s.next.level == len(s.exercise.rungs)]
    if not top:
        return course.rule_for("progress").says
    if len(top) == len(status.steps):
        return (f"Every move here is at its top level: keep each at its target, and ask "
                f"{contact} before anything harder.")
    names = [m.name for s in top for m in s.next.moves]
    return (f"{course.rule_for('progress').says} Already at the top level: {'; '.join(names)}. "
            f"Keep {'them' if len(names) > 1 else 'it'} at the target, and ask {contact} "
            "before anything harder.")


def _gear_line(course: Course, ids: Sequence[str]) -> str:
    """What the sheet's levels need, each thing once in a few words, with its safety line."""
    gear = [course.gear(i) for i in ids]
    said = "".join(f" {escape(g.brief)}" for g in gear if g.brief)
    return f"<p><strong>You need:</strong> {escape(', '.join(g.short for g in gear))}.{said}</p>"


def _figure_height(moves: int) -> int:
    """How tall the pictures may be so that every move's row fits on the page beside its
    steps, with room left for the pain rules and the stop box."""
    return max(96, min(170, 520 // max(1, moves) - 10))


def provenance(version: str, parameters: Mapping[str, object], data_hash: str,
               sources: Sequence[tuple[str, Sequence[str]]], course: Course,
               measures: Sequence[Measure] = ()) -> str:
    """What produced the report, so that it can be re-run and checked, and for the
    clinician: the measures' full names and the sources behind every part."""
    params = "; ".join(f"{k} = {v!r}" for k, v in parameters.items())
    rows = (f"<tr><th scope='row'>backcourse</th><td>version {escape(version)}</td></tr>"
            f"<tr><th scope='row'>Parameters</th><td>{escape(params)}</td></tr>"
            f"<tr><th scope='row'>Data read</th><td>SHA-256 {escape(data_hash)} of the "
            "client's journal (every saved entry, in order)</td></tr>"
            + "".join(f"<tr><th scope='row'>{escape(m.short)}</th><td>{escape(m.name)} "
                      f"({cites(m.refs, course)})</td></tr>" for m in measures)
            + "".join(f"<tr><th scope='row'>{escape(what)}</th><td>{cites(keys, course)}</td></tr>"
                      for what, keys in sources if keys))
    return ('<div class="bc-provenance"><h2>How this report was made (for your clinician)</h2>'
            + table(("What", "Used for this report"), rows) + "</div>")


__all__ = ["REPORT", "adherence", "first", "header", "home_sheet", "letterhead",
           "outcomes", "points", "provenance", "sheet_head"]
