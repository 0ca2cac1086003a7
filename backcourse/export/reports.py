"""Personal reports for a roster of clients (`backcourse report`): notebook 08 per client.

Each client gets a private, throw-away journal (imported from their export, or built from
the roster row), notebook 08 is run on it with papermill's parameters, and the result is
written as HTML with the code hidden. Reports are health data: files are owner-only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from backcourse.content.load import load_course
from backcourse.core.errors import BackcourseError
from backcourse.core.program import Active
from backcourse.core.recommend import baseline_plan, recommend
from backcourse.core.records import Assessment, Screening, Side
from backcourse.export.handouts import page_exporter
from backcourse.export.roster import Client
from backcourse.export.run import copy_assets, fan_out, run_notebook
from backcourse.infra.files import PRIVATE_FOLDER, new_private, private_folder
from backcourse.infra.paths import notebooks_dir
from backcourse.journal.program import program_status
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.pages import page, trusted

NOTEBOOK = "08_my_program.ipynb"


@dataclasses.dataclass(frozen=True)
class Outcome:
    client: Client
    path: Path | None
    state: str
    ready: bool | None
    error: str | None = None


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


def client_report(client: Client, out: Path) -> Outcome:
    """Run notebook 08 for one client and write ``out/<file_id>.html``."""
    import nbformat

    with tempfile.TemporaryDirectory(prefix="backcourse-report-") as work:
        home = Path(work)
        with Journal(home / f"{client.file_id}.sqlite3") as journal:
            fill_journal(journal, client)
            status = program_status(load_course(), journal)
        nb = run_notebook(notebooks_dir() / NOTEBOOK, home, {
            "learner": client.file_id, "journal_home": str(home), "weeks": client.weeks,
            "sessions_per_week": client.sessions_per_week, "today": client.today})
    who = html.escape(" ".join((client.name or client.client_id).split()))
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
        f"<p><strong>Report for {who}</strong>, prepared {dt.date.today():%d %b %Y}. "
        "Personal health information: keep it private.</p>"))
    body, _ = page_exporter().from_notebook_node(nb)
    target = out / f"{client.file_id}.html"
    new_private(target, body)
    ready = status.readiness.ready if isinstance(status, Active) else None
    return Outcome(client, target, status.state, ready)


def check_out(out: Path) -> None:
    """Refuse a folder for the reports unless it is new or empty, so that no earlier report
    can be overwritten."""
    if os.path.lexists(out) and (not out.is_dir() or any(out.iterdir())):
        raise BackcourseError(f"{out} is not an empty folder; choose a new folder for the "
                              "reports so that no earlier report is overwritten")


def run_reports(
    clients: Sequence[Client], out: Path, *, jobs: int,
    on_done: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """All reports, ``jobs`` at a time; a failing client is recorded and the rest go on.

    ``out`` must be new or empty (:func:`check_out`).
    """
    check_out(out)
    private_folder(out).chmod(PRIVATE_FOLDER)
    copy_assets(out, private=True)
    by_row = {c.row: c for c in clients}
    outcomes, failed = fan_out(by_row, lambda row: client_report(by_row[row], out), jobs,
                               on_done)
    outcomes += [Outcome(by_row[row], None, "failed", None,
                         f"{type(exc).__name__}: {exc}".splitlines()[0])
                 for row, exc in failed.items()]
    outcomes.sort(key=lambda o: o.client.row)
    write_summary(outcomes, out)
    return outcomes


STATE_WORDS = {"active": "plan shown",
               "withheld": "warning sign reported: told to seek care; plan withheld",
               "no-screening": "no safety check yet",
               "rescreen": "pain rising: safety check to be repeated",
               "failed": "report failed"}


def write_summary(outcomes: Sequence[Outcome], out: Path) -> Path:
    """One page for the group: a table of every client and a chart of where they stand."""
    from backcourse.render import charts as plots

    rows = "".join(
        f"<tr><td>{o.client.row}</td><td>"
        + (f'<a href="{html.escape(o.path.name)}">' if o.path else "")
        + html.escape(o.client.name or o.client.client_id) + ("</a>" if o.path else "")
        + f"</td><td>{html.escape(STATE_WORDS[o.state])}</td><td>"
        + ("" if o.ready is None else "yes" if o.ready else "not yet")
        + f"</td><td>{html.escape(o.error or '')}</td></tr>"
        for o in outcomes)
    counts = {STATE_WORDS[s]: sum(o.state == s for o in outcomes) for s in STATE_WORDS}
    chart = render.figure(plots.group_states({k: v for k, v in counts.items() if v}),
                          "What this means: clients with a warning sign or rising pain need "
                          "attention first.")
    table = render.wrap(render.table(("Row", "Client", "Status", "Ready for the capstone",
                                      "Problem"), rows), chart)
    target = out / "index.html"
    new_private(target, page("group_summary.html.j2", title="Group summary",
                             stylesheet="assets/print.css", count=len(outcomes),
                             table=trusted(table)))
    return target
