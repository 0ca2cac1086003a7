"""The ``backcourse`` command (also ``python -m backcourse``).

Heavy imports happen inside the subcommand that needs them, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from backcourse import __version__
from backcourse.core.errors import BackcourseError
from backcourse.serve import launch


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more (got {text!r})")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"must be a port from 1 to 65535, or 0 for a free one (got {text!r})")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):  # a file name that is not UTF-8 prints too
        sys.stdout.reconfigure(errors="backslashreplace")
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    command = f"journal {args.action}" if args.command == "journal" else args.command
    try:
        result: int = args.run(args)
    except BackcourseError as exc:
        return _refused(command, exc)
    except OSError as exc:
        print(f"backcourse {command}: {exc}", file=sys.stderr)
        return 1
    return result


def _refused(command: str, exc: BackcourseError) -> int:
    """Every refusal, printed the same way: one line, or a count and one line per problem."""
    lines = str(exc).splitlines()
    if len(lines) == 1:
        print(f"backcourse {command}: {lines[0]}", file=sys.stderr)
    else:
        print(f"backcourse {command}: {len(exc.problems)} problems; nothing was changed",
              file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcourse",
        description="An evidence-based Jupyter course on exercise for low back pain.",
    )
    parser.add_argument("--version", action="version", version=f"backcourse {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")

    op = sub.add_parser("open", help="open the course in JupyterLab at notebook 00")
    op.add_argument("dir", nargs="?", type=Path,
                    help="workspace folder to copy the course into (default: "
                         f"{launch.DEFAULT_WORKSPACE}; a source checkout opens its own notebooks/)")
    op.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    op.add_argument("--port", type=_port, default=0,
                    help="port on 127.0.0.1, 1-65535 (default or 0: a free one)")
    op.set_defaults(run=_open, command="open")

    ap = sub.add_parser("app", help="the learner app in your browser: safety check, "
                                    "self-assessment, programme and session log")
    ap.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    ap.add_argument("--port", type=_port, default=0,
                    help="port on 127.0.0.1, 1-65535 (default or 0: a free one)")
    ap.add_argument("--learner", default="me", help="learner id (default: me)")
    ap.add_argument("--home", type=Path,
                    help="data folder (default: $BACKCOURSE_HOME or the user data folder)")
    ap.set_defaults(run=_app, command="app")

    li = sub.add_parser("links", help="Binder and JupyterHub (nbgitpuller) links for a class")
    li.add_argument("--repo", required=True,
                    help="the course's repository: OWNER/NAME on GitHub, or your git server's "
                         "https:// address (then only the JupyterHub link)")
    li.add_argument("--branch", default="main",
                    help="branch to launch, e.g. a release branch (default: main)")
    li.add_argument("--hub", help="your JupyterHub's address, for an nbgitpuller link")
    li.set_defaults(run=_links, command="links")

    fi = sub.add_parser("figures", help="every exercise figure as SVG, and a contact sheet")
    fi.add_argument("--out", type=Path, required=True, help="folder to write the figures into")
    fi.add_argument("--blind", action="store_true",
                    help="numbered figures in a shuffled order, without names or captions, "
                         "for a blind review (the answers go to key.txt)")
    fi.set_defaults(run=_figures, command="figures")

    ch = sub.add_parser("check", help="validate the content, notebooks and citations")
    ch.add_argument("--data", type=Path, help="content folder to check (default: the checkout "
                    "you are in, else the installed course)")
    ch.add_argument("--notebooks", type=Path, help="notebooks folder to check (default: as for "
                    "--data)")
    ch.add_argument("--readability", action="store_true",
                    help="also report the reading grade of each notebook")
    ch.set_defaults(run=_check, command="check")

    sl = sub.add_parser("slides", help="offline reveal.js slides of the notebooks, for teaching")
    _export_args(sl, "decks")
    sl.set_defaults(run=_slides, command="slides")

    ha = sub.add_parser("handouts", help="printable handouts and exercise cards")
    _export_args(ha, "handouts")
    ha.add_argument("--pdf", action="store_true", help="also print each page to PDF (Chromium)")
    ha.set_defaults(run=_handouts, command="handouts")

    si = sub.add_parser("site", help="the course as a static website that runs in the browser "
                                     "(JupyterLite): nothing to install for the learner")
    si.add_argument("--out", type=Path, required=True,
                    help="folder for the site (new, empty, or an earlier site: it is rebuilt)")
    si.add_argument("--cache", type=Path, help="downloads and build tools kept between builds "
                    "(default: backcourse/site in your cache folder)")
    si.add_argument("--offline", action="store_true",
                    help="use only the cache; refuse anything that needs a download")
    si.add_argument("--no-handouts", action="store_true",
                    help="skip the readable page per notebook (a quicker build, for testing)")
    si.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                    help="notebooks run at once for the handouts (default: the number of CPUs)")
    si.set_defaults(run=_site, command="site")

    re_ = sub.add_parser("report", help="a personal report per client of a roster (papermill)")
    re_.add_argument("--roster", type=Path, required=True, help="the clients, as CSV")
    re_.add_argument("--out", type=Path, required=True, help="folder to write the reports into")
    re_.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                     help="clients run at once (default: the number of CPUs)")
    re_.add_argument("--journals", type=Path, metavar="DIR",
                     help="the folder the roster's journal column names files in: the one "
                          "students share into, where NAME.json counts only if the user NAME "
                          "owns it; default: the roster's folder")
    re_.add_argument("--template", type=Path, help="your copy of the report notebook "
                     "(default: the one shipped; see report-template)")
    re_.add_argument("--clinic", type=Path, help="YAML file with the clinic's name, therapist, "
                     "contact and an optional logo, shown at the top of every report")
    re_.add_argument("--pdf", action="store_true", help="also print each report to PDF "
                     "(Chromium), owner-only like the HTML")
    re_.set_defaults(run=_report, command="report")

    pl = sub.add_parser("plan", help="your saved plan as a calendar file, for reminders")
    pl.add_argument("--ics", type=Path, required=True, metavar="FILE",
                    help="the iCalendar file to write (e.g. plan.ics)")
    pl.add_argument("--at", type=_time_of_day, metavar="HH:MM",
                    help="the time of day for sessions, with a reminder 15 minutes before "
                         "(default: all-day events)")
    pl.add_argument("--learner", default="me", help="learner id (default: me)")
    pl.add_argument("--home", type=Path,
                    help="data folder (default: $BACKCOURSE_HOME or the user data folder)")
    pl.set_defaults(run=_plan, command="plan")

    rt = sub.add_parser("report-template", help="copy the client report notebook, to edit it "
                        "and pass it to report --template")
    rt.add_argument("file", type=Path, help="where to write the copy (.ipynb)")
    rt.set_defaults(run=_report_template, command="report-template")

    jo = sub.add_parser("journal", help="where your journal is; export, import, share or "
                                        "delete it")
    jo.add_argument("action", choices=["path", "export", "import", "share", "delete"])
    jo.add_argument("file", nargs="?", type=Path, help="the JSON file to export to or import from")
    jo.add_argument("--learner", default="me", help="learner id (default: me)")
    jo.add_argument("--home", type=Path,
                    help="data folder (default: $BACKCOURSE_HOME or the user data folder)")
    jo.add_argument("--csv", type=Path, metavar="DIR", help="with export: also one CSV per table")
    jo.add_argument("--replace", action="store_true",
                    help="with import: overwrite a journal that already has entries")
    jo.add_argument("--yes", action="store_true", help="with delete: do not ask to confirm")
    jo.add_argument("--to", type=Path, metavar="DIR",
                    help="with share: the folder your instructor named (it must exist)")
    jo.add_argument("--name", help="with share: the copy's name in that folder (default: your "
                    "JupyterHub user name, else your login name)")
    jo.set_defaults(run=_journal, command="journal")
    return parser


def _export_args(parser: argparse.ArgumentParser, what: str) -> None:
    """The arguments every notebook export takes: which notebooks, where, how many at once."""
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks by number, name or path (default: all)")
    parser.add_argument("--out", type=Path, required=True, help=f"folder to write the {what} into")
    parser.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                        help="notebooks run at once (default: the number of CPUs)")


def _links(args: argparse.Namespace) -> int:
    from backcourse.core.links import (
        binder_badge,
        binder_url,
        clone_url,
        nbgitpuller_url,
        on_github,
    )

    clone_url(args.repo)  # refused before anything is printed
    if on_github(args.repo):
        print(f"Binder: {binder_url(args.repo, args.branch)}")
        print(f"README badge: {binder_badge(args.repo, args.branch)}")
    if args.hub:
        print(f"JupyterHub: {nbgitpuller_url(args.hub, args.repo, args.branch)}")
        print("(the students' environment needs backcourse and nbgitpuller: docs/jupyterhub.md)")
    elif not on_github(args.repo):
        raise BackcourseError("a repository outside GitHub gets a JupyterHub link only: give "
                              "--hub")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from backcourse.content.load import load_course
    from backcourse.render.figures import contact_sheet

    index, *drawn = contact_sheet(load_course(), args.out, blind=args.blind)
    print(f"Wrote {len(drawn)} SVG files and a contact sheet. Open {index}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from backcourse.content.check import check_course, readability
    from backcourse.content.load import load_course
    from backcourse.infra.paths import checkout_around, data_dir, notebooks_dir

    here = checkout_around(Path.cwd())
    data = args.data or (here / "data" if here else data_dir())
    notebooks = args.notebooks or (here / "notebooks" if here else notebooks_dir())
    for what, folder in (("content", data), ("notebooks", notebooks)):
        if not folder.is_dir():
            raise BackcourseError(f"the {what} folder {folder} does not exist")
    print(f"Checking the content in {data} and the notebooks in {notebooks}")
    report = check_course(data, notebooks)
    if not report.ok:
        print(f"backcourse check: {len(report.problems)} problem(s)", file=sys.stderr)
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"backcourse check: OK ({report.summary()})")
    if args.readability:
        rows = readability(load_course(data), notebooks)
        print(f"\n{'notebook':<32} {'words':>6} {'grade':>6}")
        for name, words, grade in rows:
            print(f"{name:<32} {words:>6} {grade:>6.1f}")
    return 0


def _slides(args: argparse.Namespace) -> int:
    from backcourse.export.slides import build_slides, find_notebooks
    from backcourse.infra.files import folder

    chosen = find_notebooks(args.notebooks)
    folder(args.out)  # before the progress bar
    with _progress(len(chosen), "deck", "slides") as done:
        decks, failed = build_slides(chosen, args.out, jobs=args.jobs, on_done=done)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"Wrote {len(decks)} deck(s), index.html and assets/ to {args.out} "
          f"({size / 1e6:.1f} MB in all). Open {args.out / 'index.html'}")
    return _failures(failed)


@contextlib.contextmanager
def _progress(total: int, unit: str, desc: str) -> Iterator[Callable[[object], None]]:
    """A progress bar on stderr for long work; the callback marks one item done."""
    from tqdm import tqdm  # type: ignore[import-untyped]

    with tqdm(total=total, unit=unit, desc=desc, file=sys.stderr) as bar:
        yield lambda _item: bar.update()


def _failures(failed: dict[Path, Exception]) -> int:
    """List each notebook that failed, with its reason; exit 1 if any did."""
    for path, error in failed.items():
        print(f"FAILED {path.name}: {type(error).__name__}: {error}".splitlines()[0],
              file=sys.stderr)
    return 1 if failed else 0


def _handouts(args: argparse.Namespace) -> int:
    from backcourse.export.handouts import build_handouts
    from backcourse.export.slides import find_notebooks
    from backcourse.infra.files import folder

    chosen = find_notebooks(args.notebooks)
    folder(args.out)  # before the progress bar
    try:
        with _progress(len(chosen), "handout", "handouts") as done:
            made, failed = build_handouts(chosen, args.out, jobs=args.jobs, pdf=args.pdf,
                                          on_done=done)
    except subprocess.SubprocessError as exc:
        raise BackcourseError(f"printing to PDF failed: {exc}") from None
    print(f"Wrote {len(made)} page(s){' and PDFs' if args.pdf else ''} to {args.out}. "
          f"Open {args.out / 'index.html'}")
    return _failures(failed)


def _site(args: argparse.Namespace) -> int:
    from backcourse.export.site import build_site

    built = build_site(args.out, cache=args.cache, offline=args.offline,
                       handouts=not args.no_handouts, jobs=args.jobs,
                       say=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"Wrote the site to {built.out} ({built.megabytes:.1f} MB without source maps, "
          f"{sum(built.seconds.values()):.0f} s). Try it: python3 -m http.server -d "
          f"{built.out} --bind 127.0.0.1, then open http://127.0.0.1:8000/")
    return _failures(built.handouts_failed)


def _report(args: argparse.Namespace) -> int:
    from backcourse.content.clinic import read_clinic
    from backcourse.content.load import load_course
    from backcourse.export.handouts import find_browser
    from backcourse.export.reports import (
        TEMPLATE,
        attention_lines,
        check_out,
        check_template,
        run_reports,
    )
    from backcourse.export.roster import read_roster

    clients = read_roster(args.roster, load_course(), journals=args.journals)
    template = check_template(args.template) if args.template else TEMPLATE
    if args.clinic:
        read_clinic(args.clinic)  # every problem named before anything runs
    try:
        browser = find_browser() if args.pdf else ""
    except FileNotFoundError as exc:
        raise BackcourseError(str(exc)) from None
    check_out(args.out)  # before the progress bar
    with _progress(len(clients), "client", "reports") as done:
        outcomes = run_reports(clients, args.out, jobs=args.jobs, template=template,
                               clinic=args.clinic, browser=browser, on_done=done)
    failed = [o for o in outcomes if o.error]
    print(f"Wrote {len(outcomes) - len(failed)} report(s){' with PDFs' if args.pdf else ''} "
          f"and a group summary to {args.out} (owner-only files). "
          f"Open {args.out / 'index.html'}")
    urgent = attention_lines(outcomes)
    print(f"Needs attention ({len(urgent)}): call them when each line says (this course "
          "cannot send alerts)"
          if urgent else "No client needs attention now.")
    for line in urgent:
        print(f"  {line}")
    for o in failed:
        print(f"FAILED row {o.client.row} ({o.client.client_id}): {o.error}", file=sys.stderr)
    return 1 if failed else 0


def _time_of_day(text: str) -> dt.time:
    """``HH:MM`` on a 24-hour clock, for argparse."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        if len(text) == 5:
            return dt.time(hours, minutes)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"write the time as HH:MM on a 24-hour clock, e.g. 18:30 "
                                     f"(got {text[:20]!r})")


def _plan(args: argparse.Namespace) -> int:
    from backcourse.content.load import load_course
    from backcourse.core.ical import plan_calendar
    from backcourse.infra.files import write_private
    from backcourse.journal.program import program_status
    from backcourse.journal.store import Journal, journal_path

    path = journal_path(args.learner, args.home)
    if not os.path.lexists(path):
        raise BackcourseError(f"no journal at {path}: take the safety check and save a plan first")
    course = load_course()
    with Journal(path, readonly=True) as journal:
        status = program_status(course, journal)
    calendar = plan_calendar(course, status, today=dt.date.today(), at=args.at,
                             stamp=dt.datetime.now(dt.timezone.utc), learner=args.learner)
    write_private(args.ics, calendar)
    events = calendar.count("BEGIN:VEVENT")
    print(f"Wrote {events} session{'s' * (events != 1)} to {args.ics} (readable by you only). "
          "Open it with your calendar app to add them.")
    return 0


def _report_template(args: argparse.Namespace) -> int:
    from backcourse.export.reports import TEMPLATE

    if os.path.lexists(args.file):
        raise BackcourseError(f"{args.file} already exists; name a new file")
    args.file.write_bytes(TEMPLATE.read_bytes())
    print(f"Wrote {args.file}. Edit it, then run: backcourse report --template {args.file} "
          "--roster CLIENTS.csv --out DIR")
    return 0


def _journal(args: argparse.Namespace) -> int:
    import sqlite3

    from backcourse.content.load import load_course
    from backcourse.journal.store import (
        Journal,
        delete_journal,
        journal_path,
        read_export_file,
    )

    path = journal_path(args.learner, args.home)
    if args.action == "path":
        print(path)
        return 0
    if args.action == "delete":
        return _delete(path, args.yes, delete_journal)
    if args.action == "share":
        return _share(path, args.to, args.name)
    if args.file is None:
        raise BackcourseError("name the JSON file")
    try:
        if args.action == "import":
            records = read_export_file(args.file, load_course())  # before the journal opens
            with Journal(path) as journal:
                count = journal.import_records(records, str(args.file), replace=args.replace)
            print(f"Imported {count} entries into {path}")
            return 0
        if not os.path.lexists(path):
            raise BackcourseError(f"no journal at {path}")
        with Journal(path, readonly=True) as journal:
            print(f"Wrote {journal.export_json(args.file)}")
            for written in journal.export_csv(args.csv) if args.csv else []:
                print(f"Wrote {written}")
    except sqlite3.DatabaseError as exc:
        raise BackcourseError(f"{path}: {exc}") from None
    return 0


def _share(path: Path, folder: Path | None, name: str | None) -> int:
    import getpass

    from backcourse.journal.share import readers, share_journal

    if folder is None:
        raise BackcourseError("name the folder your instructor gave you with --to DIR; "
                              "nothing was shared")
    copy = share_journal(path, folder, name or os.environ.get("JUPYTERHUB_USER")
                         or getpass.getuser())
    print(f"Shared a copy of your journal: {copy}. {readers(copy)} Share again to update it; "
          "delete it to stop sharing.")
    return 0


def _delete(path: Path, yes: bool, delete: Callable[[Path], list[Path]]) -> int:
    if not os.path.lexists(path):
        print(f"No journal at {path}; nothing to delete.")
        return 0
    if not yes:
        if not sys.stdin.isatty():
            print("backcourse journal delete: refusing without confirmation; "
                  "add --yes to delete from a script", file=sys.stderr)
            return 1
        answer = input(f"Delete your journal at {path}? This cannot be undone. Type yes: ")
        if answer.strip().lower() != "yes":
            print("Nothing deleted.")
            return 1
    for removed in delete(path):
        print(f"Deleted {removed}")
    return 0


def _open(args: argparse.Namespace) -> int:
    try:
        folder, messages = launch.course_folder(args.dir)
    except OSError as exc:
        raise BackcourseError(f"cannot prepare the course folder: {exc}") from None
    for line in messages:
        print(line)
    port = args.port or launch.free_port()
    token = secrets.token_urlsafe(24)
    print(f"Open the course at: http://127.0.0.1:{port}/lab/tree/{launch.FIRST_NOTEBOOK}"
          f"?token={token}")
    print("Stop JupyterLab with Ctrl-C.", flush=True)
    return launch.become(launch.lab_command(folder, port, browser=not args.no_browser),
                         launch.with_token(dict(os.environ), token))


def _app(args: argparse.Namespace) -> int:
    from backcourse.journal.store import Journal, journal_path

    path = journal_path(args.learner, args.home)
    Journal(path).close()  # private and the learner's own before any server starts
    print(f"Your journal: {path}")
    port = args.port or launch.free_port()
    token = secrets.token_urlsafe(24)
    print(f"Open your back programme at: http://127.0.0.1:{port}/?token={token}")
    print("Stop the app with Ctrl-C.", flush=True)
    return launch.become(launch.app_command(port, browser=not args.no_browser),
                         launch.app_environment(args.learner, args.home, token))
