"""Personal reports for a roster of clients (`backcourse report`): a report notebook per
client.

Each client gets a private, throw-away journal (imported from their export, or built from
the roster row), and the report notebook (``client_report.ipynb``, or an instructor's copy
given with ``--template``) is run on it in a fresh kernel with papermill's parameters, then
written as HTML with the code hidden, and as PDF with ``--pdf``. Reports are health data:
files are owner-only. The group summary lists who needs attention and the group's change.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import os
import re
import statistics
import tempfile
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from backcourse.content.clinic import Clinic, read_clinic
from backcourse.content.load import load_course, share_course
from backcourse.core.course import Course
from backcourse.core.errors import BackcourseError
from backcourse.core.model import Measure
from backcourse.core.outcomes import Change, attention, changes, improved
from backcourse.core.program import Active, Withheld
from backcourse.core.recommend import baseline_plan, recommend
from backcourse.core.records import Assessment, Score, Screening, Side
from backcourse.export.handouts import Pages, printable, to_pdf
from backcourse.export.roster import Client
from backcourse.export.run import Kernels, copy_assets, fan_out
from backcourse.infra.files import (
    PRIVATE_FOLDER,
    FileProblem,
    new_private,
    private_folder,
    read_text,
)
from backcourse.journal.program import program_status
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.html import ACTION_TOLD, day
from backcourse.render.outcomes import points
from backcourse.render.pages import page, trusted
from backcourse.render.report import letterhead

TEMPLATE = Path(__file__).resolve().parent / "client_report.ipynb"  # instructors copy it
#: the summary's column, and the heading that says what it means
READY = "Ready for the goal exercise"


def preload(course: Path) -> str:
    """What every report kernel does while it waits for its client: import the report's
    code and take the course this process loaded (the same for every client; no client's
    data)."""
    return (f"import backcourse.report; from backcourse.content.load import adopt_course; "
            f"adopt_course({str(course)!r})")


@dataclasses.dataclass(frozen=True)
class Outcome:
    client: Client
    path: Path | None
    state: str
    ready: bool | None
    error: str | None = None
    attention: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()


def fill_journal(journal: Journal, client: Client) -> None:
    """Put a client's exported journal, or their roster row, into an empty journal."""
    course = load_course()
    if client.journal is not None:
        journal.import_json(client.journal, course, replace=True)
        return
    assert client.screening is not None
    journal.add(Screening(taken_on=client.today, outcome=client.screening, flagged=client.flags,
                          cleared=client.cleared))
    for key, seconds in client.results.items():
        test, _, side = key.rpartition("_")
        if side not in ("left", "right"):
            test, side = key, "both"
        journal.add(Assessment(taken_on=client.today, test=test, side=_side(side), value=seconds,
                               unit="s"))
    if client.pain_now is not None:
        journal.add(Assessment(taken_on=client.today, test="pain_now", value=client.pain_now,
                               unit="points"))
    if client.screening in ("clear", "advice") or client.cleared:
        journal.add(baseline_plan(course, recommend(course, client.results, client.pain_now),
                                  client.today))


def _side(text: str) -> Side:
    return "left" if text == "left" else "right" if text == "right" else "both"


def check_template(path: Path) -> Path:
    """A report notebook an instructor gave: a readable notebook with a parameters cell."""
    import json

    try:
        nb = json.loads(read_text(path))
    except FileProblem as exc:
        raise BackcourseError(f"cannot use the report template: {exc}") from None
    except ValueError:
        raise BackcourseError(f"{path} is not a notebook (not valid JSON)") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not any(
            isinstance(c, dict) and "parameters" in c.get("metadata", {}).get("tags", [])
            for c in cells):
        raise BackcourseError(f"{path} has no cell tagged 'parameters'; copy the shipped "
                              "template (backcourse report-template FILE) and keep that cell")
    return path


def client_report(client: Client, out: Path, kernels: Kernels, pages: Pages, *,
                  template: Path = TEMPLATE, clinic: Path | None = None,
                  browser: str = "") -> Outcome:
    """Run the report notebook for one client in the next fresh kernel of ``kernels`` (in
    its own new learner folder); write ``out/<file_id>.html`` (and .pdf) with ``pages``."""
    kernel = kernels.take()
    try:
        course = load_course()
        today = dt.date.fromisoformat(client.today)
        home = kernel.home
        with Journal(home / f"{client.file_id}.sqlite3") as journal:
            fill_journal(journal, client)
            status = program_status(course, journal)
            scores = journal.all(Score)
        plan = status.record.plan
        since = dt.date.fromisoformat(plan.start_on) if plan else None
        nb = kernel.run(template, {
            "learner": client.file_id, "journal_home": str(home), "weeks": client.weeks,
            "sessions_per_week": client.sessions_per_week, "today": client.today,
            "client_name": " ".join((client.name or client.client_id).split()),
            "notes": client.notes, "clinic": str(clinic.resolve()) if clinic else None})
    finally:
        kernels.retire(kernel)  # the client's throw-away journal goes with its kernel's folder
    target = out / f"{client.file_id}.html"
    new_private(target, pages.html(without_blank_cells(printable(nb))))
    if browser:
        to_pdf(target, browser)
    found = tuple(changes(course.measures, scores))
    warning = told(status, course, today) if isinstance(status, Withheld) else ""
    reasons = tuple(attention(status.state, status.record.logs, today, since, course.attention,
                              warning, course.thresholds.regress, scores, course.retests,
                              plan.last_day() if plan else None))
    ready = status.readiness.ready if isinstance(status, Active) else None
    return Outcome(client, target, status.state, ready, attention=reasons, changes=found)


#: what a page shows nothing of: tags, and the styles and scripts they hold
HIDDEN = re.compile(r"<(style|script)\b.*?</\1>|<[^>]+>", re.S)


def without_blank_cells(nb: Any) -> Any:
    """The notebook without the cells that show nothing (a part with nothing to say, such
    as notes left empty): on paper, their padding alone can spill onto a page of its own
    before the home sheet's new page."""
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or any(map(_shows, c.outputs))]
    return nb


def _shows(output: Any) -> bool:
    if output.output_type in ("stream", "error"):
        return True
    data = output.get("data", {})
    if "text/html" in data:
        return bool(HIDDEN.sub("", "".join(data["text/html"])).strip())
    return any(k != "text/plain" for k in data) or bool("".join(data.get("text/plain", ""))
                                                        .strip(" '\""))


def told(status: Withheld, course: Course, today: dt.date) -> str:
    """What a client with a warning sign was told, and when: the clinician checks today
    that they did it (the course is offline: it cannot alert anyone itself)."""
    signs = [f.short for f in course.red_flags if f.id in status.screening.flagged]
    taken = dt.date.fromisoformat(status.screening.taken_on)
    days = (today - taken).days
    ago = ("today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago")
    todo = ACTION_TOLD.get(status.screening.outcome, ACTION_TOLD["soon"])
    return (", ".join(f"“{s}”" for s in signs) + f" in the safety check; the client was told "
            f"on {day(taken)} ({ago}) to {todo}; check they did, today")


def check_out(out: Path) -> None:
    """Refuse a folder for the reports unless it is new or empty, so that no earlier report
    can be overwritten."""
    if os.path.lexists(out) and (not out.is_dir() or any(out.iterdir())):
        raise BackcourseError(f"{out} is not an empty folder; choose a new folder for the "
                              "reports so that no earlier report is overwritten")


def run_reports(
    clients: Sequence[Client], out: Path, *, jobs: int, template: Path = TEMPLATE,
    clinic: Path | None = None, browser: str = "",
    on_done: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """All reports, ``jobs`` at a time; a failing client is recorded and the rest go on.

    ``out`` must be new or empty (:func:`check_out`); ``browser`` prints PDFs too.
    """
    check_out(out)
    private_folder(out).chmod(PRIVATE_FOLDER)
    copy_assets(out, private=True)
    by_row = {c.row: c for c in clients}
    with tempfile.TemporaryDirectory(prefix="backcourse-course-") as shared:
        kernels = Kernels(len(by_row), template.parent, ahead=jobs,
                          preload=preload(share_course(Path(shared))))
        try:
            pages = Pages()  # while the first kernels start
            outcomes, failed = fan_out(by_row, lambda row: client_report(
                by_row[row], out, kernels, pages, template=template, clinic=clinic,
                browser=browser), jobs, on_done)
        finally:
            kernels.close()
    outcomes += [Outcome(by_row[row], None, "failed", None,
                         f"{type(exc).__name__}: {exc}".splitlines()[0])
                 for row, exc in failed.items()]
    outcomes.sort(key=lambda o: o.client.row)
    summary = write_summary(outcomes, out, read_clinic(clinic) if clinic else None)
    if browser:
        to_pdf(summary, browser)
    return outcomes


#: each client's state as the summary's table and chart say it, one wording each
STATE_WORDS = {"active": "home plan in their report",
               "withheld": "warning sign: plan on hold until a clinician has seen them",
               "no-screening": "no safety check yet",
               "rescreen": "pain rising: plan paused until the safety check is repeated",
               "failed": "report failed"}


def urgent(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """The clients who need attention, most urgent first: a warning sign, then rising pain,
    then the rest (a flare-up, no sessions), each group in roster order."""
    rows = [o for o in outcomes if o.attention]
    rows.sort(key=lambda o: (0 if o.state == "withheld" else 1 if o.state == "rescreen" else 2,
                             o.client.row))
    return rows


def call_when(o: Outcome) -> str:
    """When to call a client who needs attention: the same day for a warning sign or rising
    pain, else within the week."""
    return "today" if o.state in ("withheld", "rescreen") else "this week"


def attention_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """The attention list as the command prints it: one line per client, most urgent first."""
    return [f"{o.client.client_id} ({' '.join((o.client.name or '-').split())}"
            + (f", {o.client.phone}" if o.client.phone else "")
            + f"), call {call_when(o)}: " + "; ".join(o.attention) for o in urgent(outcomes)]


def needs_attention(outcomes: Sequence[Outcome]) -> str:
    """The clients to look at now, each with why (warning sign first, named, dated and what
    the client was told to do) and a box to tick once they have been called."""
    rows = urgent(outcomes)
    offline = ("<p><strong>This course is offline: it cannot alert anyone.</strong> Make this "
               "summary after each class. Call a client with a warning sign or rising pain "
               "the same day, and the others within the week.</p>")
    if not rows:
        return offline + "<p>No client needs attention now.</p>"
    return offline + render.table(("Client id", "Client", "Call", "Why", "Called"), "".join(
        f"<tr>{_who(o, phone=True)}<td><strong>{call_when(o)}</strong></td><td>"
        + "<br>".join(escape(r) for r in o.attention)
        + '</td><td><span aria-label="not yet ticked">☐</span></td></tr>' for o in rows))


def readiness_words(course: Course) -> str:
    """What "Ready for the goal exercise" (the capstone) means, said about the client: each
    readiness goal, and no recent flare-up, with the progression rules' own numbers."""
    goals = []
    for c in course.capstone.readiness:
        x = course.exercise(c.exercise)
        rung = x.rung(c.rung)
        goals.append(f"{x.name}: they have mastered level {rung.level} ({rung.name}) or a "
                     "higher level.")
    calm, flare = course.calm, course.thresholds.regress
    goals.append(f"No flare-up in their last {calm.sessions} sessions: no session in which "
                 f"their worst pain during an exercise went above {flare.max_pain} out of 10, "
                 f"or their pain the next morning was {points(flare.points)} or more above "
                 "their pain before it (the course's step-back rule).")
    return (f"<h2>What “{READY}” means</h2><p>The goal exercise is the course's last one "
            f"(its capstone): {escape(course.capstone.name)}. “Yes” only when all of these "
            "hold, from the client's own log, and the client is not listed under “Needs "
            "attention”:</p>" + render.items(goals)
            + f"<p>{escape(render.mastered(course, 'they'))}</p>")


def group_change(outcomes: Sequence[Outcome]) -> str:
    """For each measure, how many clients with a plan have a retest and how many changed by
    at least the smallest change that matters, with the median change said against it.
    A client whose plan is on hold is left out: their plan stopped."""
    course = load_course()
    counted = [o for o in outcomes if o.state != "withheld"]
    rows = ""
    for m in course.measures:
        if m.levels:
            continue
        mine = [c for o in counted for c in o.changes if c.measure.id == m.id and c.latest]
        if not mine:
            continue
        verdicts = [c.verdict for c in mine]
        rows += (f"<tr><th scope='row'>{escape(m.short)}</th><td>{len(mine)}</td>"
                 f"<td>{verdicts.count('better')}</td><td>{verdicts.count('same')}</td>"
                 f"<td>{verdicts.count('worse')}</td><td>"
                 f"{escape(median_words(statistics.median(c.gain or 0 for c in mine), m))}"
                 "</td></tr>")
    said = overall_words([c.latest or c.baseline for o in counted for c in o.changes
                          if c.measure.levels], course)
    if not rows:
        return ("<p>No client with a plan has retaken the pain and daily-task scores yet."
                "</p>") + said
    return render.table(("Measure", "Clients with a plan and a retest", "Better",
                         "About the same", "Worse", "Median change"), rows,
                        caption="Better or worse means by at least the smallest change that "
                        "matters; each client is compared with their own start. Clients "
                        "whose plan is on hold are not counted.") + said


def median_words(median: float, measure: Measure) -> str:
    """The group's median change, said against the measure's smallest change that matters
    so that a change below it never reads as a win."""
    way = "better" if median > 0 else "worse" if median < 0 else ""
    said = f"{points(abs(median))} {way}".strip() if median else "no change"
    limit = measure.mic_points
    if limit is not None and abs(median) < limit:
        said += f": smaller than the smallest change that matters ({points(limit)})"
    return said


def overall_words(ratings: Sequence[Score], course: Course) -> str:
    """What every client who rated their overall change said (their latest rating),
    counted by answer."""
    if not ratings:
        return ""
    measure = next(m for m in course.measures if m.id == ratings[0].measure)
    said: dict[str, int] = {}
    for score in ratings:
        level = ("better or much better" if improved(measure, score)
                 else measure.level(score.value).lower())
        said[level] = said.get(level, 0) + 1
    who = f"{len(ratings)} client" + ("" if len(ratings) == 1 else "s")
    return (f"<p>Overall change, rated by {who} with a plan: "
            + ", ".join(f"{n} said {escape(level)}" for level, n in said.items()) + ".</p>")


def _who(o: Outcome, *, phone: bool = False) -> str:
    """A client's id and name (linked to their report) as two table cells, each on one
    line; with ``phone``, their number from the roster under the name."""
    name = escape(o.client.name or o.client.client_id)
    link = f'<a href="{escape(o.path.name)}">{name}</a>' if o.path else name
    number = f"<br>{escape(o.client.phone)}" if phone and o.client.phone else ""
    return (f'<td class="bc-nowrap">{escape(o.client.client_id)}</td>'
            f'<td class="bc-nowrap">{link}{number}</td>')


def prepared(outcomes: Sequence[Outcome], made: dt.date) -> tuple[dt.date, str]:
    """The day the summary was prepared: the clients' report day (the roster's ``today``)
    when they all share one, else ``made``, the day it was made, with a sentence that gives
    the span of the clients' report days."""
    days = sorted({dt.date.fromisoformat(o.client.today) for o in outcomes})
    if len(days) <= 1:
        return (days[0] if days else made), ""
    return made, f"The clients' reports are dated {day(days[0])} to {day(days[-1])}."


def _readiness(o: Outcome) -> str:
    """The summary's "ready for the goal exercise" cell: a client who needs attention is
    seen to first, never "yes", though their report says they reached the levels."""
    if o.attention:
        return ("levels reached; first deal with what needs attention" if o.ready
                else "not yet: needs attention first")
    return "" if o.ready is None else "yes: see them before they try it" if o.ready else "not yet"


def write_summary(outcomes: Sequence[Outcome], out: Path, clinic: Clinic | None = None,
                  made: dt.date | None = None) -> Path:
    """One page for the group, under the clinic's letterhead (when given) and the day it
    was prepared: who needs attention, a chart of where they stand, the group's change and
    every client."""
    from backcourse.render import charts as plots

    failed = any(o.error for o in outcomes)  # the column shows only when a report failed
    rows = "".join(
        f"<tr>{_who(o)}<td>{escape(STATE_WORDS[o.state])}</td><td>"
        + _readiness(o)
        + (f"</td><td>{escape(o.error or '')}" if failed else "") + "</td></tr>"
        for o in outcomes)
    # a client with a home plan and a reason to call counts apart, as the attention table
    # lists them
    counts = collections.Counter(
        "home plan; call this week" if o.state == "active" and o.attention
        else STATE_WORDS[o.state] for o in outcomes)
    chart = render.figure(plots.group_states(counts),
                          "What this means: clients with a warning sign (a red flag found by "
                          "the course's safety check, a screening questionnaire) or rising "
                          "pain need a call today; those with a home plan and a reason to "
                          "call this week are listed under “Needs attention” too.")
    when, span = prepared(outcomes, made or dt.date.today())
    count = f"{len(outcomes)} client{'' if len(outcomes) == 1 else 's'}."
    body = render.wrap(letterhead(clinic, "Group summary", when, f"{count} {span}".strip()),
                       "<h2>Needs attention</h2>", needs_attention(outcomes), chart,
                       "<h2>The group's change since the start</h2>", group_change(outcomes),
                       "<h2>Every client</h2>",
                       render.table(("Client id", "Client", "Status", READY,
                                     *(("Why no report",) if failed else ())), rows),
                       readiness_words(load_course()))
    target = out / "index.html"
    new_private(target, page("group_summary.html.j2", title="Group summary",
                             stylesheet="assets/print.css", body=trusted(body)))
    return target
