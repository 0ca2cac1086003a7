"""The ``backcourse`` command (also ``python -m backcourse``).

Heavy imports happen inside the subcommand that needs them, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from backcourse import __version__

DEFAULT_WORKSPACE = Path("~/backcourse")
FIRST_NOTEBOOK = "00_start_here.ipynb"


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
    result: int = args.run(args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcourse",
        description="An evidence-based Jupyter course on exercise for low back pain.",
    )
    parser.add_argument("--version", action="version", version=f"backcourse {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")

    op = sub.add_parser("open", help="open the course in JupyterLab at notebook 00")
    op.add_argument("dir", nargs="?", type=Path,
                    help=f"workspace folder to copy the course into (default: {DEFAULT_WORKSPACE}; "
                         "a source checkout opens its own notebooks/)")
    op.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    op.add_argument("--port", type=_port, default=0,
                    help="port on 127.0.0.1, 1-65535 (default or 0: a free one)")
    op.set_defaults(run=_open)

    ap = sub.add_parser("app", help="the learner app in your browser: safety check, "
                                    "self-assessment, programme and session log")
    ap.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    ap.add_argument("--port", type=_port, default=0,
                    help="port on 127.0.0.1, 1-65535 (default or 0: a free one)")
    ap.add_argument("--learner", default="me", help="learner id (default: me)")
    ap.add_argument("--home", type=Path,
                    help="data folder (default: $BACKCOURSE_HOME or the user data folder)")
    ap.set_defaults(run=_app)

    li = sub.add_parser("links", help="Binder and JupyterHub (nbgitpuller) links for a class")
    li.add_argument("--repo", required=True, help="the course's GitHub repository (OWNER/NAME)")
    li.add_argument("--branch", default="main", help="branch to launch (default: main)")
    li.add_argument("--hub", help="your JupyterHub's address, for an nbgitpuller link")
    li.set_defaults(run=_links)

    fi = sub.add_parser("figures", help="every exercise figure as SVG, and a contact sheet")
    fi.add_argument("--out", type=Path, required=True, help="folder to write the figures into")
    fi.set_defaults(run=_figures)

    ch = sub.add_parser("check", help="validate the content, notebooks and citations")
    ch.add_argument("--readability", action="store_true",
                    help="also report the reading grade of each notebook (needs textstat)")
    ch.set_defaults(run=_check)

    sl = sub.add_parser("slides", help="offline reveal.js slides of the notebooks, for teaching")
    _export_args(sl, "decks")
    sl.set_defaults(run=_slides)

    ha = sub.add_parser("handouts", help="printable handouts and exercise cards")
    _export_args(ha, "handouts")
    ha.add_argument("--pdf", action="store_true", help="also print each page to PDF (Chromium)")
    ha.set_defaults(run=_handouts)

    re_ = sub.add_parser("report", help="a personal report per client of a roster (papermill)")
    re_.add_argument("--roster", type=Path, required=True, help="the clients, as CSV")
    re_.add_argument("--out", type=Path, required=True, help="folder to write the reports into")
    re_.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                     help="clients run at once (default: the number of CPUs)")
    re_.set_defaults(run=_report)

    jo = sub.add_parser("journal", help="where your journal is; export, import or delete it")
    jo.add_argument("action", choices=["path", "export", "import", "delete"])
    jo.add_argument("file", nargs="?", type=Path, help="the JSON file to export to or import from")
    jo.add_argument("--learner", default="me", help="learner id (default: me)")
    jo.add_argument("--home", type=Path,
                    help="data folder (default: $BACKCOURSE_HOME or the user data folder)")
    jo.add_argument("--csv", type=Path, metavar="DIR", help="with export: also one CSV per table")
    jo.add_argument("--replace", action="store_true",
                    help="with import: overwrite a journal that already has entries")
    jo.add_argument("--yes", action="store_true", help="with delete: do not ask to confirm")
    jo.set_defaults(run=_journal)
    return parser


def _export_args(parser: argparse.ArgumentParser, what: str) -> None:
    """The arguments every notebook export takes: which notebooks, where, how many at once."""
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks by number, name or path (default: all)")
    parser.add_argument("--out", type=Path, required=True, help=f"folder to write the {what} into")
    parser.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                        help="notebooks run at once (default: the number of CPUs)")


def _links(args: argparse.Namespace) -> int:
    from backcourse.core.links import binder_badge, binder_url, nbgitpuller_url

    try:
        print(f"Binder: {binder_url(args.repo, args.branch)}")
        print(f"README badge: {binder_badge(args.repo, args.branch)}")
        if args.hub:
            print(f"JupyterHub: {nbgitpuller_url(args.hub, args.repo, args.branch)}")
            print("(the hub's user image needs backcourse and nbgitpuller installed)")
    except ValueError as exc:
        print(f"backcourse links: {exc}", file=sys.stderr)
        return 2
    return 0


def _figures(args: argparse.Namespace) -> int:
    from backcourse.content.load import load_course
    from backcourse.render.figures import contact_sheet

    try:
        index, *drawn = contact_sheet(load_course(), args.out)
    except OSError as exc:
        print(f"backcourse figures: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {len(drawn)} SVG files and a contact sheet. Open {index}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from backcourse.content.check import check_course, readability

    report = check_course()
    if not report.ok:
        print(f"backcourse check: {len(report.problems)} problem(s)", file=sys.stderr)
        for line in report.problems:
            print(line, file=sys.stderr)
        return 1
    print(f"backcourse check: OK ({report.summary()})")
    if args.readability:
        rows = readability()
        print(f"\n{'notebook':<32} {'words':>6} {'grade':>6}")
        for name, words, grade in rows:
            print(f"{name:<32} {words:>6} {grade:>6.1f}")
    return 0


def _slides(args: argparse.Namespace) -> int:
    from tqdm import tqdm  # type: ignore[import-untyped]

    from backcourse.export.slides import build_slides, find_notebooks
    from backcourse.infra.files import folder

    try:
        chosen = find_notebooks(args.notebooks)
        folder(args.out)  # before the progress bar
    except (ValueError, OSError) as exc:
        print(f"backcourse slides: {exc}", file=sys.stderr)
        return 2
    try:
        with tqdm(total=len(chosen), unit="deck", desc="slides", file=sys.stderr) as bar:
            decks, failed = build_slides(chosen, args.out, jobs=args.jobs,
                                         on_done=lambda _p: bar.update())
    except OSError as exc:
        print(f"backcourse slides: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"Wrote {len(decks)} deck(s), index.html and assets/ to {args.out} "
          f"({size / 1e6:.1f} MB in all). Open {args.out / 'index.html'}")
    return _failures(failed)


def _failures(failed: dict[Path, Exception]) -> int:
    """List each notebook that failed, with its reason; exit 1 if any did."""
    for path, error in failed.items():
        print(f"FAILED {path.name}: {type(error).__name__}: {error}".splitlines()[0],
              file=sys.stderr)
    return 1 if failed else 0


def _handouts(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from backcourse.export.handouts import build_handouts
    from backcourse.export.slides import find_notebooks
    from backcourse.infra.files import folder

    try:
        chosen = find_notebooks(args.notebooks)
        folder(args.out)  # before the progress bar
        with tqdm(total=len(chosen), unit="handout", desc="handouts", file=sys.stderr) as bar:
            made, failed = build_handouts(chosen, args.out, jobs=args.jobs, pdf=args.pdf,
                                          on_done=lambda _p: bar.update())
    except (ValueError, OSError, subprocess.SubprocessError) as exc:
        print(f"backcourse handouts: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {len(made)} page(s){' and PDFs' if args.pdf else ''} to {args.out}. "
          f"Open {args.out / 'index.html'}")
    return _failures(failed)


def _report(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from backcourse.content.load import load_course
    from backcourse.export.reports import check_out, run_reports
    from backcourse.export.roster import RosterError, read_roster

    try:
        clients = read_roster(args.roster, load_course())
    except RosterError as exc:
        print(f"backcourse report: the roster has {len(exc.problems)} problem(s); nothing was run",
              file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return 2
    try:
        check_out(args.out)  # before the progress bar
        with tqdm(total=len(clients), unit="client", desc="reports", file=sys.stderr) as bar:
            outcomes = run_reports(clients, args.out, jobs=args.jobs,
                                   on_done=lambda _row: bar.update())
    except OSError as exc:
        print(f"backcourse report: {exc}", file=sys.stderr)
        return 2
    failed = [o for o in outcomes if o.error]
    print(f"Wrote {len(outcomes) - len(failed)} report(s) and a group summary to {args.out} "
          f"(owner-only files). Open {args.out / 'index.html'}")
    for o in failed:
        print(f"FAILED row {o.client.row} ({o.client.client_id}): {o.error}", file=sys.stderr)
    return 1 if failed else 0


def _journal(args: argparse.Namespace) -> int:
    import sqlite3

    from backcourse.content.load import load_course
    from backcourse.journal.store import (
        Journal,
        JournalError,
        delete_journal,
        journal_path,
        read_export_file,
    )

    try:
        path = journal_path(args.learner, args.home)
        if args.action == "path":
            print(path)
            return 0
        if args.action == "delete":
            return _delete(path, args.yes, delete_journal)
        if args.file is None:
            print(f"backcourse journal {args.action}: name the JSON file", file=sys.stderr)
            return 2
        if args.action == "import":
            records = read_export_file(args.file, load_course())  # before the journal opens
            with Journal(path) as journal:
                count = journal.import_records(records, str(args.file), replace=args.replace)
            print(f"Imported {count} entries into {path}")
            return 0
        if not os.path.lexists(path):
            print(f"backcourse journal export: no journal at {path}", file=sys.stderr)
            return 1
        with Journal(path, readonly=True) as journal:
            print(f"Wrote {journal.export_json(args.file)}")
            for written in journal.export_csv(args.csv) if args.csv else []:
                print(f"Wrote {written}")
    except (JournalError, sqlite3.DatabaseError, OSError) as exc:
        print(f"backcourse journal {args.action}: {exc}", file=sys.stderr)
        return 1
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def course_folder(target: Path | None) -> tuple[Path, list[str]]:
    """Where to open the course, copying it into a workspace when needed."""
    from backcourse.infra.paths import notebooks_dir, source_root
    from backcourse.serve.workspace import sync

    root = source_root()
    if target is None and root is not None:
        return root / "notebooks", [f"Opening the course from the source checkout at {root}."]
    dest = (target or DEFAULT_WORKSPACE).expanduser().resolve()
    report = sync(notebooks_dir(), dest)
    return dest, [f"Your course folder is {dest}.", *report.lines()]


def lab_command(folder: Path, port: int, browser: bool) -> list[str]:
    """The JupyterLab command line: loopback only, root-safe. The login token goes in the
    environment (:func:`with_token`), never on the command line, where any local user
    could read it."""
    command = [
        sys.executable, "-m", "backcourse.serve", "jupyterlab",  # tokens kept out of its log
        f"--ServerApp.root_dir={folder}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
        # no update checks or news from the web: settings shipped in backcourse/serve/lab_settings
        f"--LabApp.app_settings_dir={Path(__file__).parent / 'serve' / 'lab_settings'}",
        "--LabApp.extension_manager=readonly",
    ]
    if not browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def _open(args: argparse.Namespace) -> int:
    try:
        folder, messages = course_folder(args.dir)
    except OSError as exc:
        print(f"backcourse open: cannot prepare the course folder: {exc}", file=sys.stderr)
        return 1
    for line in messages:
        print(line)
    port = args.port or free_port()
    token = secrets.token_urlsafe(24)
    print(f"Open the course at: http://127.0.0.1:{port}/lab/tree/{FIRST_NOTEBOOK}?token={token}")
    print("Stop JupyterLab with Ctrl-C.", flush=True)
    return _become(lab_command(folder, port, browser=not args.no_browser),
                   with_token(dict(os.environ), token))


def _become(command: list[str], env: dict[str, str]) -> int:
    """Hand this process over to a server (so Ctrl-C reaches it directly)."""
    if os.name == "posix":
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)


def with_token(env: dict[str, str], token: str) -> dict[str, str]:
    """The environment with the server's login token (readable by this user only)."""
    env.pop("JUPYTER_TOKEN_FILE", None)
    env["JUPYTER_TOKEN"] = token
    return env


def app_command(port: int, browser: bool) -> list[str]:
    """The Voila command line for the learner app: loopback only, code hidden; the token
    comes from the environment (``auto_token`` makes Voila read it)."""
    from backcourse.infra.paths import app_page

    command = [
        # loopback Host names only, tokens kept out of its log
        sys.executable, "-m", "backcourse.serve", "voila", str(app_page() / "backcourse.ipynb"),
        "--template=backcourse",  # Voila's lab template without its web font links
        "--theme=light",
        "--strip_sources=True",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--Voila.auto_token=True",
        "--KernelManager.transport=ipc",  # kernels on local sockets in Voila's private folder
        # a closed page's kernel is meant to stop through a request Voila sends without its
        # XSRF value (voila-dashboards/voila#1458), so stop kernels left idle instead
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
    ]
    if not browser:
        command.append("--no-browser")
    return command


def app_environment(learner: str, home: Path | None, token: str) -> dict[str, str]:
    """The server's environment: its token and template, and for its kernel, which runs in
    the package's folder, the journal's folder as an absolute path."""
    from backcourse.infra.paths import HOME_ENV, LEARNER_ENV, app_page, learner_home

    env = with_token(dict(os.environ), token)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(app_page() / "jupyter"), env.get("JUPYTER_PATH")) if p)
    env[LEARNER_ENV] = learner
    env[HOME_ENV] = str(learner_home(home).resolve())
    return env


def _app(args: argparse.Namespace) -> int:
    from backcourse.journal.store import Journal, JournalError, journal_path

    try:
        path = journal_path(args.learner, args.home)
        Journal(path).close()  # private and the learner's own before any server starts
    except (JournalError, OSError) as exc:
        print(f"backcourse app: {exc}", file=sys.stderr)
        return 2
    print(f"Your journal: {path}")
    port = args.port or free_port()
    token = secrets.token_urlsafe(24)
    print(f"Open your back programme at: http://127.0.0.1:{port}/?token={token}")
    print("Stop the app with Ctrl-C.", flush=True)
    return _become(app_command(port, browser=not args.no_browser),
                   app_environment(args.learner, args.home, token))
