"""The learner app driven from Python: sections, the gate, the log table, and how it starts."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import ipywidgets as widgets
import pytest
from tree import shown

from backcourse import cli
from backcourse.content.load import load_course
from backcourse.core.records import Screening
from backcourse.infra.paths import app_page
from backcourse.journal.store import Journal, journal_path
from backcourse.serve import launch
from backcourse.views.app import LearnerApp, app_references

COURSE = load_course()
TODAY = dt.date(2026, 3, 2)


def texts(app: LearnerApp) -> str:
    """All HTML and button text in the open section."""
    return "\n".join(w.value if isinstance(w, widgets.HTML) else w.description
                     for w in shown(app.body) if isinstance(w, widgets.HTML | widgets.Button))


def buttons(app: LearnerApp) -> dict[str, widgets.Button]:
    return {w.description: w for w in shown(app.body) if isinstance(w, widgets.Button)}


def control(app: LearnerApp, description: str) -> widgets.Widget:
    """The open section's control with this description (its visible label and name)."""
    return next(w for w in shown(app.body) if getattr(w, "description", "") == description)


def screened(home: Path, outcome: str = "clear", flagged: tuple[str, ...] = ()) -> None:
    with Journal(journal_path("me", home)) as journal:
        journal.add(Screening(taken_on="2026-03-01", outcome=outcome, flagged=flagged))


def test_sections_come_from_data_and_open_at_the_safety_check(tmp_path: Path) -> None:
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    assert [label for label, _ in app.nav.options] == [
        "Safety check", "Self-assessment", "My programme", "Exercise now", "Log a session"]
    assert "Check my answers" in buttons(app)
    assert "<h1>My back programme</h1>" in app.widget.children[0].value


def test_before_any_screening_each_section_points_to_the_app_not_a_notebook(
        tmp_path: Path) -> None:
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    for part in ("assessment", "programme", "session", "log"):
        app.nav.value = part
        shown = texts(app)
        assert "No safety check on record yet" in shown
        assert "the Safety check section" in shown and "notebook 00" not in shown
        assert not {"Save and compare", "Save this exercise", "Start the session"} & set(
            buttons(app))


def test_answering_the_screen_in_the_app_opens_the_other_sections(tmp_path: Path) -> None:
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    for row in shown(app.body):
        if isinstance(row, widgets.ToggleButtons):
            row.value = "No"
    buttons(app)["Check my answers"].click()
    assert "No warning signs" in texts(app)
    app.nav.value = "assessment"
    assert "Save and compare" in buttons(app)


def test_a_red_flag_withholds_every_section_but_the_screen(tmp_path: Path) -> None:
    screened(tmp_path, "emergency", ("E3",))
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    for part in ("assessment", "programme", "session", "log"):
        app.nav.value = part
        shown = texts(app)
        assert "Your exercise plan is on hold" in shown and "Get emergency care now" in shown
        assert "<h3>What to do next session</h3>" not in shown
        assert shown.count("Your exercise plan is on hold") == 1
        assert not {"Save and compare", "Save this exercise", "Start the session"} & set(
            buttons(app))


def log_one(app: LearnerApp, reps: str) -> None:
    """Log the open form's exercise: ``reps``, 1 set, every pain 1."""
    control(app, "Reps").value = reps
    for name in ("Sets", "Pain before the exercise (0 = none, 10 = the worst)",
                 "Worst pain during the exercise (0-10)", "Pain after the exercise (0-10)"):
        control(app, name).value = 1
    buttons(app)["Save this exercise"].click()


def test_a_logged_session_shows_in_the_table_at_once_and_after_a_restart(
        tmp_path: Path) -> None:
    screened(tmp_path)
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    app.nav.value = "log"
    assert "No sessions logged yet" in texts(app)
    log_one(app, "8")
    assert "Your logged exercises (1)" in texts(app)
    again = LearnerApp(home=str(tmp_path), today=TODAY)
    again.nav.value = "log"
    assert "Your logged exercises (1)" in texts(again) and "8 reps" in texts(again)


def test_the_environment_names_the_learner_and_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOURSE_LEARNER", "ana")
    monkeypatch.setenv("BACKCOURSE_HOME", str(tmp_path))
    app = LearnerApp.from_environment()
    assert app.journal.path == str(tmp_path / "ana.sqlite3")


def test_every_source_the_app_cites_is_listed_below_it(tmp_path: Path) -> None:
    keys = app_references(COURSE)
    assert {"hayden2021a", "henschke2009", "keele2021", "mcgill1999"} <= keys
    sources = LearnerApp(home=str(tmp_path)).widget.children[-1].value
    for key in keys:
        assert f'id="ref-{key}"' in sources


def test_the_app_command_is_loopback_hides_code_and_keeps_the_token_off_the_command_line(
        ) -> None:
    command = launch.app_command(8866, browser=False)
    assert command[1:5] == ["-m", "backcourse.serve", "voila", str(app_page() / "backcourse.ipynb")]
    for option in ("--Voila.ip=127.0.0.1", "--Voila.port=8866", "--Voila.auto_token=True",
                   "--template=backcourse", "--strip_sources=True", "--no-browser"):
        assert option in command
    assert not any(c.startswith(("--Voila.token", "--token", "--IdentityProvider.token"))
                   for c in command)
    assert "--no-browser" not in launch.app_command(8866, browser=True)


def test_the_server_gets_the_token_template_and_an_absolute_journal_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = launch.app_environment("ana", tmp_path / "data", "secret")
    first = Path(env["JUPYTER_PATH"].split(":")[0])
    template = first / "voila" / "templates" / "backcourse"
    assert json.loads((template / "conf.json").read_text()) == {"base_template": "lab"}
    assert (env["BACKCOURSE_LEARNER"], env["BACKCOURSE_HOME"], env["JUPYTER_TOKEN"]) == (
        "ana", str(tmp_path / "data"), "secret")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKCOURSE_HOME", "relative")  # the kernel runs elsewhere
    assert launch.app_environment("me", None, "t")["BACKCOURSE_HOME"] == str(tmp_path / "relative")


@pytest.mark.slow
def test_the_served_page_needs_the_token_and_loads_nothing_from_the_web(
        tmp_path: Path) -> None:
    """Voila's own template links a web font; the app's template drops those links."""
    import re
    import urllib.request

    from servers import BACKCOURSE, server

    env = {k: v for k, v in os.environ.items() if k != "BACKCOURSE_HOME"}
    with server([*BACKCOURSE, "app", "--no-browser", "--home", str(tmp_path / "home")],
                "Open your back programme at: ", tmp_path / "server.log", env) as url:
        page = urllib.request.urlopen(url, timeout=60).read().decode("utf-8")
        stranger = urllib.request.urlopen(url.split("?")[0], timeout=60)
        assert "/login" in stranger.url and "jupyter-config-data" not in stranger.read().decode()
    assert "jupyter-config-data" in page  # the page itself, not a login form
    assert "Kernel is running over TCP" not in (tmp_path / "server.log").read_text()
    loads = re.findall(r"<(?:link|script|img)\b[^>]*?(?:href|src)=[\"']([^\"']+)", page)
    assert loads and not [u for u in loads if re.match(r"(https?:)?//", u)]


@pytest.mark.slow
def test_the_app_answers_only_loopback_names_on_its_port_and_its_log_hides_the_token(
        tmp_path: Path) -> None:
    """A page elsewhere reaching 127.0.0.1 through its own name (DNS rebinding) is refused,
    for pages and files alike; no line of the server's log shows the token."""
    import urllib.error
    import urllib.request

    from servers import BACKCOURSE, server

    def status(url: str, host: str) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}),
                                        timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    log = tmp_path / "server.log"
    with server([*BACKCOURSE, "app", "--no-browser", "--home", str(tmp_path / "home")],
                "Open your back programme at: ", log) as url:
        base, token = url.split("/?token=")
        port = base.rsplit(":", 1)[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert status(f"{base}/login", host) == 200, host
        for host in (f"evil.example:{port}", f"127.0.0.1:{int(port) + 1}", "localhost",
                     f"127.0.0.2:{port}"):
            assert status(f"{base}/login", host) == 403, host
            assert status(f"{base}/voila/static/voila.js?token={token}", host) == 403, host
        assert status(f"{base}/voila/static/nope.js?token={token}", f"127.0.0.1:{port}") == 403
    lines = log.read_text().splitlines()
    assert "GET /voila/static/nope.js?token=[secret] (127.0.0.1)" in "\n".join(lines)
    assert [n for n in lines if token in n] == [f"Open your back programme at: {url}"]


def test_tokens_are_redacted_wherever_a_log_line_has_one() -> None:
    from backcourse.serve.servers import redact

    assert redact("403 GET /x?a=1&token=abc-DEF_1&b=2 (127.0.0.1)") == (
        "403 GET /x?a=1&token=[secret]&b=2 (127.0.0.1)")
    assert redact("{'Authorization': 'token abc', 'Host': 'h'}") == (
        "{'Authorization': 'token [secret]', 'Host': 'h'}")
    assert redact("Authorization: Bearer abc") == "Authorization: Bearer [secret]"
    assert redact('"token": "abc"') == '"token": "[secret]"'
    assert redact("302 GET /login?next=%2F%3Ftoken%3Dabc") == (
        "302 GET /login?next=%2F%3Ftoken%3D[secret]")
    assert redact("said s3cr3t in passing", ["s3cr3t"]) == "said [secret] in passing"


def test_a_bad_learner_id_stops_before_any_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["app", "--learner", "../x", "--no-browser"]) == 2
    assert "learner id '../x'" in capsys.readouterr().err


def test_the_app_notebook_is_clean_and_only_calls_the_package() -> None:
    nb = json.loads((app_page() / "backcourse.ipynb").read_text(encoding="utf-8"))
    (cell,) = nb["cells"]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "".join(cell["source"]).endswith("LearnerApp.from_environment()")


def test_the_morning_rating_updates_the_table_and_old_sections_are_closed(
        tmp_path: Path) -> None:
    screened(tmp_path)
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    app.nav.value = "log"
    log_one(app, "5")
    later = LearnerApp(home=str(tmp_path), today=TODAY + dt.timedelta(days=1))
    later.nav.value = "log"
    old = list(shown(later.body))[1:]
    control(later, "Pain now, the morning after (0-10)").value = 3
    buttons(later)["Save this morning's pain"].click()
    assert "<td data-label='Next day'>3</td>" in texts(later)
    later.nav.value = "safety"
    later.nav.value = "log"  # the journal changed: the section is built afresh
    assert all(w.comm is None for w in old)  # closed, so the kernel can free them
    assert "<td data-label='Next day'>3</td>" in texts(later)
    assert not set(shown(later.body)) & set(old)


def test_the_session_player_runs_in_the_app_survives_a_look_elsewhere_and_fills_the_log(
        tmp_path: Path) -> None:
    screened(tmp_path)
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    app.nav.value = "session"
    assert "Today's session" in texts(app)
    player = app.body.children[1]
    menus = {w.description: w for w in shown(player) if isinstance(w, widgets.Dropdown)}
    rating, peak = menus["Pain now (0-10)"], menus["Worst pain during the session (0-10)"]
    rating.value = 2
    buttons(app)["Start the session"].click()
    app.nav.value = "log"  # a look at the log mid-session loses nothing
    app.nav.value = "session"
    assert app.body.children[1] is player
    first = load_course().prerequisites[0].rungs[0].moves[0]
    assert f"Set 1 of {first.dose.sets}" in texts(app)
    for _ in range(500):  # press whatever the player offers, as a hurried learner would
        offered = {k: b for k, b in buttons(app).items() if b.layout.display != "none"}
        if "Finish and save" in offered:
            break
        for name in ("Start the hold", "+1 rep", "Skip the rest", "Set done"):
            if name in offered:
                offered[name].click()
                break
    rating.value, peak.value = 3, 4
    buttons(app)["Finish and save"].click()
    assert "Saved to your journal" in texts(app)
    app.nav.value = "log"
    assert "Your logged exercises (3)" in texts(app)


def test_a_section_is_kept_while_the_journal_stays_the_same_and_rebuilt_once_it_changes(
        tmp_path: Path) -> None:
    screened(tmp_path)
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    app.nav.value = "assessment"
    control(app, "Your age (years)").value = "42"
    app.nav.value = "programme"
    assert "No sessions logged yet" in texts(app)
    app.nav.value = "assessment"
    assert control(app, "Your age (years)").value == "42"  # a look elsewhere loses nothing
    app.nav.value = "log"
    log_one(app, "8")
    app.nav.value = "programme"  # the saved session shows at once
    assert "No sessions logged yet" not in texts(app) and ">Pain over 1 session day" in texts(app)
    app.nav.value = "assessment"
    assert control(app, "Your age (years)").value == ""


def test_prepare_readies_the_sections_not_on_show_and_leaves_a_session_underway(
        tmp_path: Path) -> None:
    screened(tmp_path)
    app = LearnerApp(home=str(tmp_path), today=TODAY)
    app.nav.value = "session"
    menus = {w.description: w for w in shown(app.body) if isinstance(w, widgets.Dropdown)}
    menus["Pain now (0-10)"].value = 2
    buttons(app)["Start the session"].click()
    player = app.body.children[1]
    app.nav.value = "log"
    for _ in app.parts:
        app.prepare()
    assert set(app._built) == {s.id for s in app.parts}
    ready = {part: built[1] for part, built in app._built.items()}
    log_one(app, "8")  # the journal changes: others are out of date
    for _ in app.parts:
        app.prepare()
    assert app._built["log"][1] == ready["log"]  # the section on show is never rebuilt
    assert app._built["programme"][1] != ready["programme"]
    assert all(w.comm is None for w in shown(ready["programme"][1]))
    app.nav.value = "session"
    assert app.body.children[1] is player  # a session underway is kept
    app.nav.value = "programme"
    assert list(app.body.children) != ready["programme"] and "Pain over 1 session day" in texts(app)
