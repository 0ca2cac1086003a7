"""Course content as HTML fragments: pure functions, escaped, shared by notebooks and exports."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from backcourse.core.citations import CITATION
from backcourse.core.course import Course
from backcourse.core.dates import how_long, parse_date, spoken
from backcourse.core.errors import BackcourseError
from backcourse.core.model import (
    Evidence,
    Exercise,
    Move,
    Norm,
    Programme,
    ProgressionRule,
    QuizItem,
    Reference,
    Rung,
    Unit,
)
from backcourse.core.poses import Figure
from backcourse.core.program import Active, NoScreening, Rescreen, Withheld
from backcourse.core.progression import Readiness, Step
from backcourse.core.recommend import Start
from backcourse.core.records import Screening, SessionLog
from backcourse.core.schedule import Session, describe_work
from backcourse.core.screening import Finding, can_clear, judge, worse
from backcourse.render.plot import Chart

ROW = re.compile(r"<tr[ >].*?</tr>", re.S)
CELL = re.compile(r"<t[dh](?=[ >])[^>]*>")
STYLE = """<style>
.bc{font-size:0.95em;line-height:1.45;max-width:60em}
.bc table{border-collapse:collapse;margin:0.4em 0}
.bc th,.bc td{border:1px solid #8a8a8a;padding:0.3em 0.55em;text-align:left !important;
  vertical-align:top}
.bc th{font-weight:600}
.bc .bc-box{border-left:0.3em solid #0072B2;padding:0.3em 0.8em;margin:0.4em 0}
.bc .bc-warn{border-left-color:#D55E00}
.bc .bc-urgent{border-left:0.5em solid #B3261E;background:#FDECEA}
.bc .bc-ok{border-left-color:#009E73}
.bc .bc-strength{white-space:nowrap;font-weight:600}
.bc .bc-yes{font-weight:700;text-align:center}
.bc .bc-no{color:#767676;text-align:center}
.bc figure img{max-width:100%}
.bc figure.bc-chart{margin:0.6em 0}
.bc figure.bc-chart figcaption{margin-top:0.2em}
.bc a{color:#0b57d0;text-decoration:underline;overflow-wrap:anywhere}
.bc .bc-figures{display:flex;flex-wrap:wrap;gap:0.8em;align-items:flex-start;margin:0.3em 0}
.bc .bc-figures img,.bc .bc-figures svg{max-width:100%;height:auto}
.bc .bc-zoom{margin-top:0.3em}
.bc .bc-zoom summary{cursor:zoom-in;list-style:none;display:inline-block}
.bc .bc-zoom summary::-webkit-details-marker{display:none}
.bc .bc-zoom summary:focus-visible{outline:3px solid #0072B2}
.bc .bc-zoom[open] summary{cursor:zoom-out}
.bc .bc-thumb{display:block;max-width:100%;height:auto;border:1px solid #ccc}
.bc .bc-zoom-hint{font-size:0.85em;color:#0b57d0;text-decoration:underline}
.bc .bc-sr{position:absolute;left:-9999px}
.bc{overflow-wrap:anywhere}
/* a table cell never splits a word, links included: columns as wide as their longest
   word; a name or an id (bc-nowrap) stays on one line */
.bc th,.bc td{overflow-wrap:break-word}
.bc th *,.bc td *{overflow-wrap:inherit}
.bc .bc-nowrap{white-space:nowrap}
@media (max-width:480px){
  .bc table.bc-stack,.bc table.bc-stack tbody,.bc table.bc-stack tr,.bc table.bc-stack td,
  .bc table.bc-stack tbody th{display:block;width:auto}
  .bc table.bc-stack thead{display:none}
  .bc table.bc-stack caption{display:block;text-align:left;font-weight:600}
  .bc table.bc-stack tr{border:1px solid #8a8a8a;margin:0.5em 0;padding:0.2em 0}
  .bc table.bc-stack td,.bc table.bc-stack tbody th{border:none;padding:0.1em 0.6em}
  .bc table.bc-stack td[data-label]::before,
  .bc table.bc-stack tbody th[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
</style>"""



@dataclass(frozen=True)
class Places:
    """Where the learner does each step, named in advice (notebooks, or the app's sections)."""

    screen: str = "notebook 00"
    battery: str = "notebook 02"
    plan: str = "notebook 08"
    rerun: str = "run this notebook again"


NOTEBOOKS = Places()
APP = Places(screen="the Safety check section", battery="the Self-assessment section",
             plan="the My programme section", rerun="come back to this section")

STRENGTH_DOTS = {"high": "●●●●", "moderate": "●●●○", "low": "●●○○", "very low": "●○○○"}
DECISION_WORDS = {
    "stop": "Stop: see a clinician first",
    "rescreen": "Pause: redo the safety check",
    "regress": "Step back one level",
    "progress": "Move up one level",
    "hold": "Stay at this level",
}
CHECKED = {
    "source": "numbers checked in the paper",
    "secondary": "numbers as quoted by others; not yet checked in the paper's own table",
}
EMERGENCY_CALL = ("call 999 (or your local emergency number) or go to an emergency department "
                  "(A&E)")
ACTION_WORDS = {
    "emergency": f"Get emergency care now: {EMERGENCY_CALL}. Go now; do not wait to see if it "
                 "settles.",
    "same day": "Contact a doctor today: ask your GP for an urgent appointment, or call NHS 111 "
                "in the evening or at the weekend (outside the UK, your local urgent care line).",
    "soon": "See a GP or physiotherapist within the next few days, before you start exercising.",
    "advice": "You can start the exercises. Keep an eye on this, and see a GP if it gets worse.",
}
ACTION_SHORT = {"emergency": "emergency care now", "same day": "a doctor today",
                "soon": "a GP or physio within days, before exercising",
                "advice": "no visit needed before you start"}
#: what the client was told to do, as the clinician's group summary says it
ACTION_TOLD = {"emergency": "get emergency care at once (999 or A&E)",
               "same day": "contact a doctor that same day",
               "soon": "see a GP or physiotherapist within a few days, before exercising"}
SAFETY_NET = ("Get emergency care at once if you ever notice new trouble peeing, leaking pee "
              "or poo, numbness between your legs, a new loss of feeling or function during "
              "sex, new pain or weakness in both legs, or leg weakness that is getting worse: "
              f"{EMERGENCY_CALL}.")


class Html(str):
    """An HTML fragment that Jupyter displays as HTML and plain consoles show as its text."""

    def _repr_html_(self) -> str:
        return str(self)


def wrap(*parts: str) -> Html:
    """Join fragments into one styled block."""
    return Html(STYLE + '<div class="bc">' + "".join(parts) + "</div>")


def refusal(error: BackcourseError) -> Html:
    """A refused action in one line, announced to screen readers: nothing was saved, and
    what the learner entered is still on the page."""
    reason = "; ".join(map(str, error.problems)).rstrip(".")
    return wrap('<div role="alert" class="bc-box bc-warn"><p><strong>Not saved.</strong> '
                f"{escape(reason[:1].upper() + reason[1:])}. Your answers are still here.</p>"
                "</div>")


def items(values: Iterable[str], tag: str = "ul") -> str:
    """A list (``ul`` or ``ol``); a single item reads as a paragraph, not a list of one."""
    values = list(values)
    if len(values) == 1:
        return f"<p>{escape(values[0])}</p>"
    return f"<{tag}>" + "".join(f"<li>{escape(v)}</li>" for v in values) + f"</{tag}>"


def table(headers: Sequence[str], rows: str, caption: str = "", *,
          kind: str = "bc-stack") -> str:
    """A table with column headers (plain text, escaped) around ready-made body rows, each
    cell labelled by its column's header (``data-label``, added here to every row's cells in
    order). On a phone a ``bc-stack`` table shows each row as a card; a ``bc-calendar``
    (weeks by sessions, narrow enough for a phone) stays a grid."""
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    labels = [escape(h) for h in headers]

    def label(row: re.Match[str]) -> str:
        cells = iter(labels)
        return CELL.sub(lambda c: c.group(0) if "data-label" in c.group(0) else
                        f"{c.group(0)[:-1]} data-label='{next(cells, '')}'>", row.group(0))

    body = ROW.sub(label, rows)
    return (f"<table class='{escape(kind)}'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}"
            "</tbody></table>")


def prose(markdown: str) -> str:
    """Short prose from data as HTML: blank lines part paragraphs; **bold** and citations."""
    paras = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        text = escape(" ".join(block.split()))
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = CITATION.sub(r'<a href="#ref-\2">\1</a>', text)
        paras.append(f"<p>{text}</p>")
    return "".join(paras)


def cite(ref: Reference) -> str:
    return f'<a href="#ref-{escape(ref.key)}">{escape(ref.label)}</a>'


def cites(keys: Iterable[str], course: Course) -> str:
    return "; ".join(cite(course.reference(k)) for k in keys)


def strength(statement: Evidence) -> str:
    who = "rated by the source" if statement.rated_by == "source" else "our rating"
    dots = STRENGTH_DOTS[statement.strength]
    return (f'<span class="bc-strength" aria-label="{statement.strength} certainty">'
            f"{escape(statement.strength.capitalize())} {dots}</span><br><small>{who}: "
            f"{escape(statement.why)}</small>")


def unit_intro(unit: Unit) -> str:
    return (f'<div class="bc-box"><p><strong>Time needed:</strong> about {unit.minutes} minutes'
            f"</p><p><strong>By the end you will be able to:</strong></p>"
            f"{items(unit.objectives)}</div>")


def key_points(unit: Unit) -> str:
    return (f'<div class="bc-box bc-ok"><p><strong>Key points</strong></p>'
            f"{items(unit.key_points)}</div>")


def evidence_table(statements: Sequence[Evidence], course: Course) -> str:
    rows = "".join(
        f"<tr><td>{escape(s.claim)}</td><td>{strength(s)}</td><td>{cites(s.refs, course)}</td></tr>"
        for s in statements
    )
    low = course.term("very-low")
    note = (f"<p><small><strong>{escape(low.term.capitalize())}</strong> means "
            f"{escape(low.plain)}. {_cited(low.means)}</small></p>"
            if any(s.strength == "very low" for s in statements) else "")
    return table(("What research says", "How sure we can be", "Sources"), rows) + note


def quiz_print(questions: Sequence[QuizItem], course: Course) -> str:
    """A knowledge check on paper: each question with lettered options, the answers after."""
    letters = "ABCDEF"  # written out, so the answers' letters are the ones on the page
    asked = "".join(
        f"<li><p><strong>{escape(q.question)}</strong></p><ul style='list-style:none'>"
        + "".join(f"<li>{letters[i]}. {escape(o)}</li>" for i, o in enumerate(q.options))
        + "</ul></li>" for q in questions)
    answers = "; ".join(
        f"{n}: {letters[q.answer]}. {escape(q.explanation)} ({cites(q.refs, course)})"
        for n, q in enumerate(questions, start=1))
    return (f'<div class="bc-quiz"><ol>{asked}</ol>'
            f"<p><small><strong>Answers.</strong> {answers}</small></p></div>")


def coverage_matrix(course: Course) -> str:
    exercises = [*course.prerequisites, course.capstone]
    rows = []
    for x in exercises:
        cells = "".join(
            "<td class='bc-yes' title='trains this habit'>✓<span hidden> yes</span></td>"
            if h.id in x.habits else "<td class='bc-no' title='not a focus'>–</td>"
            for h in course.habits
        )
        top = _figure(course, x.rungs[-1].moves[0].id)
        thumb = _thumb(top, x.name)
        rows.append(f"<tr><th scope='row'>{escape(x.name)}{thumb}</th>{cells}</tr>")
    return table(("Exercise", *(h.name for h in course.habits)), "".join(rows),
                 caption="Which exercise trains which habit (✓ = a main focus)")


def exercise_card(x: Exercise, course: Course, animate: bool = True) -> str:
    """The whole ladder: each move with its figure, steps, dose, cues and mistakes
    (``animate=False`` for print). Each level is a ``bc-level`` block and each move a
    ``bc-move``: slides start a new slide at each level and may split between moves."""
    from backcourse.render import figures

    habits = ", ".join(course.habit(h).name for h in x.habits)
    rungs = []
    for r in x.rungs:
        note = f"<p><em>{escape(r.note)}</em></p>" if r.note else ""
        head = (f"<p><strong>You need:</strong> {escape(_gear(course, r.equipment))}.<br>"
                f"<strong>Ready to move up when:</strong> {escape(r.goal)}</p>")  # the level's
        moves = "".join(
            f'<div class="bc-move"><h5>{escape(m.name)}</h5>'
            f"{figures.figure_html(figures.figure_for(course, m.id), animate)}"
            f"{items(m.how, 'ol')}"
            f"<p><strong>Dose:</strong> {escape(m.dose.describe())}</p>"
            f"<p><strong>Cues:</strong> {escape('; '.join(m.cues))}.</p>"
            f"<p><strong>Common mistakes:</strong> {escape('; '.join(m.mistakes))}.</p></div>"
            for m in r.moves
        )
        rungs.append(f'<div class="bc-level"><h4>Level {r.level}: {escape(r.name)}</h4>{note}'
                     f"{head}{moves}</div>")  # goal heads all of the level's moves
    ladder = ("<p><em>Start each level at its dose and build up to its goal, then move up "
              f"one level. {escape(mastered(course))}</em></p>")
    return (f"<h3>{escape(x.name)}</h3><p>{escape(x.summary)}</p>"
            f"<p><strong>Habits it trains:</strong> {escape(habits)}.<br>"
            f"<strong>You need:</strong> {escape(_gear(course, x.equipment))}.</p>"
            '<div class="bc-box bc-warn"><p><strong>Ask a doctor or physio (clinician) first '
            "if you have:</strong></p>"
            f"{items(x.check_first)}<p><strong>Stop and rest if:</strong></p>"
            f"{items(course.stops([x]))}"
            f"<p><small>These are cautious course rules, not tested limits.</small></p></div>"
            + ladder + "".join(rungs))


def _gear(course: Course, ids: Iterable[str]) -> str:
    return "; ".join(course.gear(i).name for i in ids)


def mastered(course: Course, who: str = "you") -> str:
    """What "mastered" means, in one plain sentence from the progression rule's numbers,
    said to the learner ("you") or about a client ("they")."""
    m = course.thresholds.progress
    return (f"A level is mastered when {who} reach its target in {m.sessions} sessions in a "
            f"row, with pain no worse than {m.max_pain} out of 10 that settles by the next "
            "morning.")


def what_you_need(course: Course, rungs: Iterable[Rung] | None = None) -> str:
    """What these levels need (every level when None), with how to use each thing safely
    and what to do without it: shown once before the first session."""
    chosen = None if rungs is None else {r.id for r in rungs}
    uses: dict[str, list[tuple[str, list[int], int]]] = {}
    for x in sorted(course.exercises, key=lambda x: x.order):
        name = "the goal exercise (capstone)" if x.role == "capstone" else x.name
        for r in x.rungs:
            if chosen is not None and r.id not in chosen:
                continue
            for gear_id in r.equipment:
                found = uses.setdefault(gear_id, [])
                if not found or found[-1][0] != name:
                    found.append((name, [], len(x.rungs)))
                found[-1][1].append(r.level)
    lis = []
    for e in (g for g in course.equipment if g.id in uses):
        where = "; ".join(f"{n}, {_levels(levels, total)}" for n, levels, total in uses[e.id])
        safety = "".join(f"<li>{escape(t)}</li>" for t in e.safety)
        without = f"<li><em>{escape(e.without)}</em></li>" if e.without else ""
        more = f"<ul>{safety}{without}</ul>" if safety or without else ""
        lis.append(f"<li><strong>{escape(e.name[:1].upper() + e.name[1:])}</strong><br>"
                   f"For {escape(where)}.{more}</li>")
    if not lis:
        return ""
    return ('<div class="bc-box bc-need"><p><strong>What you need</strong></p>'
            f"<ul>{''.join(lis)}</ul><p><small>The safety points are our own cautious course "
            "rules, not tested limits.</small></p></div>")


def _levels(levels: Sequence[int], total: int) -> str:
    if len(levels) == total and total > 1:
        return "every level"
    if len(levels) == 1:
        return f"level {levels[0]}"
    if len(levels) == 2:
        return f"levels {levels[0]} and {levels[1]}"
    if levels == list(range(levels[0], levels[-1] + 1)):
        return f"levels {levels[0]} to {levels[-1]}"
    return "levels " + ", ".join(map(str, levels))


def glossary(course: Course) -> str:
    """The course's words, each in plain words first with the term in brackets."""
    rows = "".join(f"<tr><th scope='row'>{escape(t.plain[:1].upper() + t.plain[1:])} "
                   f"({escape(t.term)})</th><td>{_cited(t.means)}</td></tr>"
                   for t in course.glossary)
    return table(("Words we use", "What they mean"), rows)


def _cited(text: str) -> str:
    """Text from data, escaped, its citations as links."""
    return CITATION.sub(r'<a href="#ref-\2">\1</a>', escape(text))


def readiness_table(course: Course) -> str:
    rows = "".join(
        f"<tr><td>{escape(course.exercise(c.exercise).name)}</td>"
        f"<td>Level {course.exercise(c.exercise).rung(c.rung).level}: "
        f"{escape(course.exercise(c.exercise).rung(c.rung).goal)}</td><td>{escape(c.why)}</td></tr>"
        for c in course.capstone.readiness
    )
    return (table(("Lead-up exercise", "Goal to reach", "Why it matters"), rows)
            + f"<p>{escape(mastered(course))}</p>")


def red_flag_list(course: Course) -> str:
    """The safety questions grouped by what to do on a yes, then the answers that are more
    urgent together."""
    parts = []
    for action in ("emergency", "same day", "soon", "advice"):
        group = [f for f in course.red_flags if f.action == action]
        if not group:
            continue
        lis = "".join(
            f"<li>{escape(f.question)}<br><small>Why we ask: {escape(f.concern)} Source: "
            f"{_sources(f.refs, course)}.</small></li>" for f in group
        )
        tone = "bc-ok" if action == "advice" else "bc-warn"
        parts.append(f'<div class="bc-box {tone}"><p><strong>If yes: {escape(ACTION_WORDS[action])}'
                     f"</strong></p><ul>{lis}</ul></div>")
    rows = "".join(
        f"<tr><td>{escape(_together(c.all_of, c.any_of, c.at_least, course))}</td>"
        f"<td>{escape(ACTION_SHORT[c.action])}</td>"
        f"<td>{escape(c.means[:1].upper() + c.means[1:])}. "
        f"<small>({cites(c.refs, course)})</small></td></tr>"
        for c in course.flag_combinations
    )
    parts.append("<p><strong>Some answers are more urgent together.</strong></p>"
                 + table(("Yes to", "What to do", "Why"), rows))
    return "".join(parts)


def _together(all_of: Sequence[str], any_of: Sequence[str], at_least: int,
              course: Course) -> str:
    short = {f.id: f"“{f.short}”" for f in course.red_flags}
    words = " and ".join(short[q] for q in all_of)
    if any_of:
        pick = (f"any of {', '.join(short[q] for q in any_of)}" if at_least == 1
                else f"{at_least} or more of {', '.join(short[q] for q in any_of)}")
        words = f"{words} with {pick}" if words else pick.capitalize()
    return words


def _sources(refs: Sequence[str], course: Course) -> str:
    return cites(refs, course) if refs else "our own cautious rule, not from a study"


def _finding(finding: Finding, course: Course, todo: str | None = "What to do",
             cite: bool = True) -> str:
    """One rule that applies, in plain words; ``todo`` labels its own action (None: omit);
    ``cite`` adds its sources (a client's printed report keeps them for its last section)."""
    said = " and ".join(f"“{escape(f.short)}”" for f in finding.answers)
    if finding.combination is not None:
        why = f"Together, these can point to this: {escape(finding.means)}."
    else:
        why = escape(finding.means)
    action = f"{todo}: {escape(ACTION_SHORT[finding.action])}" if todo else ""
    source = f"source: {_sources(finding.refs, course)}" if cite else ""
    note = "; ".join(p for p in (action, source) if p)
    return f"You said yes to {said}. {why}" + (f" <small>({note})</small>" if note else "")


def _reasons(findings: Sequence[Finding], outcome: str, course: Course,
             cleared: bool = False, cite: bool = True) -> str:
    """The findings that set the outcome, then any other answer they do not already explain;
    once a clinician has cleared them, the signs without what each would have meant. A
    single finding reads as a sentence, not a one-item list."""
    top = [f for f in findings if f.action == outcome]
    explained = {q.id for f in top for q in f.answers}
    rest = [f for f in findings if f.action != outcome
            and not {q.id for q in f.answers} <= explained]
    if cleared:
        return _listed("The signs they checked:",
                       [_finding(f, course, None, cite) for f in [*top, *rest]])
    html = _listed("Why:", [_finding(f, course, None, cite) for f in top]) if top else ""
    if rest:
        html += _listed("Also:", [_finding(f, course, "On its own this would mean", cite)
                                  for f in rest])
    return html


def _listed(label: str, lines: Sequence[str]) -> str:
    """Already escaped lines under a label: one line as a sentence, more as a list."""
    if len(lines) == 1:
        return f"<p>{label} {lines[0]}</p>"
    return f"<p>{label}</p><ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


def day(iso: str | dt.date) -> str:
    """A day as every page says it: "Mon 30 Nov 2026"."""
    return spoken(iso if isinstance(iso, dt.date) else parse_date(iso))


def safety_advice(screening: Screening, course: Course, places: Places = NOTEBOOKS, *,
                  report_day: dt.date | None = None, cite: bool = True,
                  contact: str = "") -> str:
    """What a saved safety check means, and why: the rules its answers meet, with their
    sources. Judged again with today's rules; the more urgent outcome wins.

    A report prepared on ``report_day`` dates the check and says how old it is, so that
    "today" is never read as the day of an old check; ``cite`` False leaves the sources to
    the report's last section; ``contact`` is who to tell once seen."""
    result = judge(course, screening.flagged)
    outcome = worse(screening.outcome, result.outcome)
    why = _reasons(result.findings, outcome, course, screening.cleared, cite)
    retired = [r.question for r in course.retired_flags if r.id in screening.flagged]
    known = {f.id for f in course.red_flags} | {r.id for r in course.retired_flags}
    retired += [f"A warning sign this version of the course does not list ({i})"
                for i in screening.flagged if i not in known]
    if retired:
        why += "<p>You also said yes to these, as an earlier version of this check asked:</p>"
        why += items(retired)
    again = f"take this check again in {escape(places.screen)}"
    net = f"<p><strong>{escape(SAFETY_NET)}</strong></p>"
    if outcome == "clear":
        return ('<div class="bc-box bc-ok"><p><strong>No warning signs.</strong> You can go on '
                f"with the course. If anything changes, {again}.</p>{net}</div>")
    if outcome == "advice":
        return ('<div class="bc-box bc-ok"><p><strong>You can go on with the course.</strong> '
                "None of your answers needs a visit before you start, but keep an eye on this."
                f"</p>{why}{net}<p>If it gets worse or something new appears, stop and "
                f"{again}.</p></div>")
    if screening.cleared and outcome in ("soon", "same day"):
        return ('<div class="bc-box bc-ok"><p><strong>Checked by a clinician.</strong> On '
                f"{day(screening.taken_on)} you said a doctor or physiotherapist examined you "
                "after these signs began, that they have not changed since, and that this "
                f"exercise is fine for you.</p>{why}{net}<p>If any sign is new, changes or gets "
                f"worse, stop and {again}.</p></div>")
    tone = "bc-urgent" if outcome == "emergency" else "bc-warn"
    calm = ("Do not wait until tomorrow or to see if it settles." if outcome == "emergency"
            else "Most people who answer yes turn out to be fine, but a clinician should "
            "check first.")
    cancer_team = ("<p>If you are under a cancer team, also call their 24-hour number.</p>"
                   if outcome in ("emergency", "same day") and "S1" in screening.flagged else "")
    after = (f"When a doctor or physiotherapist has examined you and says exercise is fine, "
             f"{again} and tick the box that says so." if can_clear(course, outcome,
                                                                   screening.flagged)
             else f"Once you have been seen and are well again, {again}.")
    taken = dt.date.fromisoformat(screening.taken_on)
    old = report_day is not None and report_day > taken
    head = (f"<p><strong>Your safety check on {day(screening.taken_on)} "
            f"({how_long(taken, report_day)} before this report) found a warning sign. If "
            "you have not yet done what it says, do it now:</strong></p>"
            if old and report_day is not None else "")
    take = " Take this list with you." if "<li>" in why else ""
    tell = (f"<p>When you have been seen, tell {escape(contact)} what the clinician said.</p>"
            if contact else "")
    dated = ("" if report_day is not None else
             f"<p><small>From your safety check on {day(screening.taken_on)}.</small></p>")
    return (f'<div class="bc-box {tone}">{head}<p><strong>{escape(ACTION_WORDS[outcome])}'
            f"</strong></p>{cancer_team}{why}<p>Your exercise plan is on hold. This is not a "
            f"diagnosis. {calm}{take} {after}</p>{tell}{net}{dated}</div>")


def norms_table(rows: Sequence[Norm], course: Course, test_names: dict[str, str]) -> str:
    body = "".join(
        f"<tr><td>{escape(test_names.get(n.test, n.test))}</td><td>{escape(n.sex)}</td>"
        f"<td>{escape(n.ages)}</td><td>{n.value:g} {escape(n.unit)}"
        + (f" (SD {n.sd:g})" if n.sd is not None else "")
        + f"</td><td>{escape(n.statistic)}</td><td>{escape(n.population)}"
        + (f" (n = {n.n})" if n.n is not None else "") + "</td>"
        f"<td>{cite(course.reference(n.source))}<br><small>{CHECKED[n.checked]}</small></td></tr>"
        for n in rows
    )
    return table(("Test", "Sex", "Age", "Value", "Statistic", "Who was tested", "Source"), body)


def reference_entry(ref: Reference) -> str:
    authors = list(ref.authors[:3]) + (["et al."] if len(ref.authors) > 3 else [])
    details = f" {escape(ref.details)}." if ref.details else ""
    return (f'<li id="ref-{escape(ref.key)}">{escape(", ".join(authors))} ({ref.dated}). '
            f"{escape(ref.title)}. <em>{escape(ref.venue)}</em>.{details} "
            f'<a href="{escape(ref.link)}">{escape(ref.link)}</a></li>')


def reference_list(refs: Iterable[Reference], *, folded: bool = False) -> str:
    """The references, by first author; ``folded``: behind a "Sources" line to open (the
    app's pages, where 38 of them filled three phone screens; a link to one opens it)."""
    ordered = sorted(set(refs), key=lambda r: (r.surname.lower(), r.year, r.key))
    entries = "<ol>" + "".join(reference_entry(r) for r in ordered) + "</ol>"
    if folded:
        return (f'<details class="bc-refs"><summary>Sources ({len(ordered)}): open to read '
                f"them</summary>{entries}</details>")
    return "<h3>References</h3>" + entries


def figure(chart: Chart, caption: str) -> str:
    """A chart inline (real text; its ``<title>`` is the alt text) with a caption."""
    return (f'<figure class="bc-chart">{chart.svg}'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def no_screening(places: Places = NOTEBOOKS) -> str:
    return ('<div class="bc-box bc-warn"><p><strong>No safety check on record yet.</strong>'
            f"</p><p>Do the safety check in {escape(places.screen)} first, then the baseline "
            f"self-check in {escape(places.battery)}. Then {escape(places.rerun)} to see "
            "your plan.</p></div>")


def screening_gate(screening: Screening | None, course: Course,
                   places: Places = NOTEBOOKS) -> str | None:
    """What to do instead of exercising, or None when the latest safety check allows it."""
    if screening is None:
        return no_screening(places)
    return None if screening.allows_exercise else safety_advice(screening, course, places)


def gate(status: NoScreening | Withheld | Rescreen, course: Course,
         places: Places = NOTEBOOKS, *, report_day: dt.date | None = None, cite: bool = True,
         contact: str = "") -> str:
    """What to do instead of a plan: screen first, follow the advice, or re-screen (the
    keywords as for :func:`safety_advice`)."""
    if isinstance(status, NoScreening):
        return no_screening(places)
    if isinstance(status, Withheld):
        return safety_advice(status.screening, course, places, report_day=report_day,
                             cite=cite, contact=contact)
    rule = course.rule_for("rescreen")
    reasons = dict.fromkeys(s.reason for s in status.steps if s.decision == "rescreen")
    return ('<div class="bc-box bc-warn"><p><strong>Your plan is paused.</strong></p>'
            f"<p>{escape(rule.says)}</p><p>{escape(rule.rationale)}</p>"
            + "".join(f"<p class='bc-why'>Why: {escape(r)}.</p>" for r in reasons) + "</div>")


def programme(status: Active, course: Course, weeks: int, plan: str) -> str:
    """Next steps, the coming weeks (``plan``, from :func:`week_plan`) and readiness."""
    return ("<h3>What to do next session</h3>" + steps_table(status.steps, course)
            + what_you_need(course, [s.next for s in status.steps])
            + stop_and_get_help(course, [s.exercise for s in status.steps])
            + f"<h3>Your next {weeks} weeks</h3>" + plan
            + "<h3>Ready for the goal exercise (capstone)?</h3>"
            + readiness_status(status.readiness, course))


def stop_and_get_help(course: Course, exercises: Sequence[Exercise]) -> str:
    """When to stop an exercise, when to step back, and where to get help: on the programme
    (and so on its printout), beside the exercises it is about."""
    return ('<div class="bc-box bc-warn"><h4>When to stop and get help</h4>'
            f"<p>Stop an exercise at once if: {escape('; '.join(course.stops(exercises)))}."
            f"</p><p>{escape(course.rule_for('regress').says)}</p>"
            "<p>If the pain does not settle, spreads down a leg, or you notice any warning "
            "sign, stop the plan, take the safety check again and see a doctor or physio.</p>"
            f"<p><strong>{escape(SAFETY_NET)}</strong></p></div>")


def week_plan(plan: Sequence[Session], calendar: str | None = None,
              start: dt.date | None = None, length: int | None = None,
              places: Places = NOTEBOOKS) -> str:
    """The coming weeks at a glance: what every session holds (said once), then a calendar
    of weeks by session days, the next session marked, its weeks counted from ``start`` (the
    plan's first day) when given; with ``calendar`` (iCalendar text), a link that saves it
    for a calendar app. With the plan's ``length`` in weeks, weeks past it are marked and
    the learner is told when the plan ends and how to make a new one."""
    if not plan:
        return "<p>No sessions planned.</p>"
    first = plan[0]
    holds = "".join(f"<li>{escape(describe_work(name, rung))}</li>" for name, rung in first.work)
    weeks: dict[int, list[Session]] = {}
    for session in plan:
        weeks.setdefault(session.week, []).append(session)
    width = max(len(days) for days in weeks.values())
    def cell(s: Session) -> str:
        if s is first:
            return (f"<td class='bc-next'>{spoken(s.day, year=False)}<br><small>next</small>"
                    "</td>")
        return f"<td>{spoken(s.day, year=False)}</td>"

    over = start is not None and length is not None and plan[-1].week > length
    def label(week: int) -> str:
        return f"Week {week}" + (" <small>(after your plan)</small>" if over and week > (
            length or 0) else "")

    rows = "".join(f"<tr><th scope='row'>{label(week)}</th>" + "".join(map(cell, days))
                   + "<td></td>" * (width - len(days)) + "</tr>" for week, days in weeks.items())
    heads = ["Week", *(f"Session {n}" for n in range(1, width + 1))]
    save = "" if calendar is None else ics_link(calendar)
    return (f"<p>Every session, at your levels today (about {first.minutes} minutes):</p>"
            f"<ul>{holds}</ul><p>Your levels move up as you reach each target; notebook 08 "
            "and the app always show the levels for your next session.</p>"
            + (f"<p>Week 1 of your plan began on {spoken(start)}.</p>" if start else "")
            + (plan_end(start, length, ended=first.week > length, places=places)
               if over and start and length else "") +
            f"<div class='bc-scroll'>{table(heads, rows, kind='bc-calendar')}</div>{save}")


def plan_end(start: dt.date, length: int, *, ended: bool, places: Places) -> str:
    """When a plan of ``length`` weeks from ``start`` ends, and how to make a new one."""
    last = start + dt.timedelta(weeks=length, days=-1)
    return (f'<div class="bc-box bc-warn"><p><strong>Your plan\'s {length} weeks '
            f"{'ended' if ended else 'end'} on {spoken(last)}.</strong> The weeks after that "
            "go on at the same pace, but they are not part of your plan. Time for a new one: "
            "check your progress (see when, below), then do the tests again in "
            f"{escape(places.battery)}. Saving them starts a new plan from that day, at the "
            "levels your new results give.</p></div>")


def ics_link(calendar: str) -> str:
    """A link that saves ``calendar`` (iCalendar text) as a file a calendar app opens."""
    data = base64.b64encode(calendar.encode("utf-8")).decode("ascii")
    return (f'<p class="bc-ics"><a class="bc-button" download="back-exercise-plan.ics" '
            f'href="data:text/calendar;charset=utf-8;base64,{data}">Save these sessions to my '
            "calendar (.ics)</a><br><small>Open the saved file with your calendar app to get "
            "reminders. It stays on this device until you open it.</small></p>")


def habit_evidence(course: Course) -> str:
    """Every habit with the evidence behind it."""
    return "".join(
        f"<h4>{escape(h.name)}</h4><p>{escape(h.summary)}</p>"
        + evidence_table([course.statement(e) for e in h.evidence], course)
        for h in course.habits
    )


def mini_program(programme: Programme) -> str:
    """The three prerequisites as a stand-alone programme of fixed length."""
    return (f'<div class="bc-box"><p><strong>{escape(programme.name)}</strong>: '
            f"{programme.weeks} weeks, {programme.sessions_per_week} sessions a week.</p>"
            f"<p>{escape(programme.summary)}</p></div>")


def steps_table(steps: Sequence[Step], course: Course) -> str:
    """What to do next session per exercise, with a small figure of each move to do."""
    rows = "".join(
        f"<tr><th scope='row'>{escape(s.exercise.name)}</th>"
        f"<td>Level {s.current.level}: {escape(s.current.name)}</td>"
        f"<td><strong>{escape(_decision_words(s))}</strong><br>"
        f"Level {s.next.level}: {escape(s.next.name)}{_thumbs(s.next.moves, course)}"
        + (f"<br><span class='bc-why'>{escape(s.next.note)}</span>"
           if s.next.note and s.next != s.current else "") + "</td>"
        f"<td>{escape(s.rule.says)}<br>"
        f"<span class='bc-why'>Why: {escape(s.reason)}.</span></td></tr>"
        for s in steps
    )
    return table(("Exercise", "Now", "Next session", "The rule"), rows)


def _thumbs(moves: Iterable[Move], course: Course) -> str:
    return "".join(_thumb(_figure(course, m.id), m.name) for m in moves)


def _figure(course: Course, item_id: str) -> Figure:
    from backcourse.render.figures import figure_for

    return figure_for(course, item_id)


def _thumb(figure: Figure, name: str) -> str:
    """A small still of a figure's last key frame; a click or Enter opens the whole figure."""
    from backcourse.render.figures import thumbnail_html

    return thumbnail_html(figure, name)


def _decision_words(step: Step) -> str:
    if step.decision == "progress" and step.next == step.current:
        return "Top level reached: keep it up"
    return DECISION_WORDS[step.decision]


def readiness_status(result: Readiness, course: Course) -> str:
    lis = "".join(
        f"<li>{'✓' if c.met else '✗'} <span class='bc-sr'>{'met' if c.met else 'not yet'}:"
        f"</span> {escape(c.exercise.name)}: goal is level {c.rung.level} mastered. "
        f"{escape(c.why)}</li>"
        for c in result.criteria
    )
    if result.calm:
        calm = result.flare is None
        lis += (f"<li>{'✓' if calm else '✗'} <span class='bc-sr'>{'met' if calm else 'not yet'}:"
                f"</span> {escape(result.calm)}"
                + ("" if calm else f" Latest: {escape(result.flare or '')}.") + "</li>")
    verdict = ("You meet every readiness goal: you can start the goal exercise (capstone) at "
               "level 1 (notebook 07)." if result.ready else "Not ready for the goal exercise "
               "(capstone) yet. Keep working on the goals marked ✗.")
    return (f"<p><strong>{verdict}</strong></p><ul>{lis}</ul>"
            f"<p class='bc-why'>{escape(mastered(course))}</p>")


SESSION_COLUMNS = ("Date", "Exercise", "Level", "Done", "Pain before → worst → after",
                   "Next day")


def session_table(logs: Sequence[SessionLog], course: Course) -> str:
    """The logged sessions, newest first: what was done, at which level, and the pain around it."""
    if not logs:
        return "<p>No sessions logged yet.</p>"
    rows = ""
    for log in sorted(logs, key=lambda x: (x.done_on, x.id or 0), reverse=True):
        exercise = next((x for x in course.exercises if x.id == log.exercise), None)
        rungs = exercise.rungs if exercise else ()
        rung = next((r for r in rungs if r.id == log.rung), None)
        name = exercise.name if exercise else log.exercise
        level = f"Level {rung.level}: {rung.name}" if rung else f"{log.rung} (no longer offered)"
        work = " × ".join(p for p in (f"{log.sets} sets", log.reps and f"{log.reps} reps",
                                      log.seconds and f"{log.seconds} s") if p)
        morning = "not rated" if log.pain_next_day is None else str(log.pain_next_day)
        worst = "not rated" if log.pain_peak is None else str(log.pain_peak)
        cells = (day(log.done_on), escape(name), escape(level), escape(work),
                 f"{log.pain_before} → {worst} → {log.pain_after}", morning)
        rows += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    return table(SESSION_COLUMNS, rows, caption=f"Your logged exercises ({len(logs)})")


def rules_table(rules: Sequence[ProgressionRule], course: Course) -> str:
    rows = "".join(
        f"<tr><td>{n}</td><td><strong>{escape(DECISION_WORDS[r.decision])}</strong></td>"
        f"<td>{escape(r.says)}<br><small>Why: {escape(r.rationale)} "
        f"({cites(r.refs, course)})</small></td></tr>"
        for n, r in enumerate(rules, start=1)
    )
    return table(("Order", "Decision", "Rule"), rows)


def starts_table(starts: Sequence[Start], course: Course) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{escape(s.exercise.name)}</th>"
        f"<td>Level {s.rung.level}: {escape(s.rung.name)}</td>"
        f"<td>{escape(s.reason)} <small>({cites(s.rule.refs, course)})</small></td></tr>"
        for s in starts
    )
    return table(("Exercise", "Start at", "Why"), rows)
