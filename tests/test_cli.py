"""The backcourse command: help, version, check and how JupyterLab is started."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import backcourse
from backcourse import cli
from backcourse.serve import launch


def test_version_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "backcourse", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"backcourse {backcourse.__version__}"
    out = subprocess.run([sys.executable, "-m", "backcourse", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "open" in out and "check" in out


def test_check_passes_on_the_shipped_course(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check"]) == 0
    checked, verdict = capsys.readouterr().out.splitlines()
    assert checked.startswith("Checking the content in ")
    assert "/data and the notebooks in " in checked
    assert verdict.startswith("backcourse check: OK (10 units, ")


def test_check_lists_problems_and_fails(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken content file makes the command exit 1 with the problem line on stderr."""
    path = data_copy / "habits.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["habits"][0]["name"] = ""
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert cli.main(["check", "--data", str(data_copy)]) == 1
    out, err = capsys.readouterr()
    assert f"Checking the content in {data_copy} and the notebooks in " in out
    assert "data/habits.yaml: habits[hip-flexor-strength]: name: is blank; write some text" in err


def test_check_defaults_to_the_checkout_you_are_in(
    data_copy: Path, notebooks_copy: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer editing a checkout checks that checkout, not the installed course."""
    root = data_copy.parent
    (root / "pyproject.toml").write_text('[project]\nname = "backcourse"\n', encoding="utf-8")
    (data_copy / "habits.yaml").write_text("habits: [", encoding="utf-8")
    monkeypatch.chdir(notebooks_copy)
    assert cli.main(["check"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (
        f"Checking the content in {data_copy} and the notebooks in {notebooks_copy}")
    assert "data/habits.yaml" in err
    (root / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    assert cli.main(["check"]) == 0  # not a backcourse checkout: the installed course
    assert str(data_copy) not in capsys.readouterr().out


def test_check_refuses_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--data", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"backcourse check: the content folder {tmp_path / 'nowhere'} does not exist"


def test_lab_command_is_loopback_token_protected_and_root_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0)
    command = launch.lab_command(tmp_path, 8899, browser=False)
    assert "--ServerApp.ip=127.0.0.1" in command and "--ServerApp.port=8899" in command
    assert "--no-browser" in command and not any("token" in c.lower() for c in command)
    env = launch.with_token({"JUPYTER_TOKEN_FILE": "/elsewhere", "PATH": "/bin"}, "secret")
    assert env == {"JUPYTER_TOKEN": "secret", "PATH": "/bin"}
    assert "--allow-root" in command
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert "--LabApp.default_url=/lab/tree/00_start_here.ipynb" in command
    (settings,) = [c for c in command if c.startswith("--LabApp.app_settings_dir=")]
    overrides = Path(settings.split("=", 1)[1]) / "overrides.json"
    assert '"fetchNews": "false"' in overrides.read_text(encoding="utf-8")
    monkeypatch.setattr(cli.os, "geteuid", lambda: 1000)
    assert "--allow-root" not in launch.lab_command(tmp_path, 1, browser=True)


def test_source_checkout_opens_its_own_notebooks() -> None:
    folder, messages = launch.course_folder(None)
    assert folder == Path(backcourse.__file__).parent.parent / "notebooks"
    assert "source checkout" in messages[0]


def test_a_named_folder_gets_a_copy_of_the_course(tmp_path: Path) -> None:
    folder, messages = launch.course_folder(tmp_path / "ws")
    assert (folder / "00_start_here.ipynb").is_file()
    assert messages[1].startswith("Copied ")


@pytest.mark.parametrize("command", ["open", "app"])
@pytest.mark.parametrize("port", ["-1", "70000", "65536", "eighty", ""])
def test_a_port_outside_1_to_65535_is_one_clear_error(command: str, port: str) -> None:
    """Refused before any server starts (-1 once crashed, 70000 wrapped round to 4464);
    in a subprocess, as a server started by mistake takes over the process."""
    result = subprocess.run([sys.executable, "-m", "backcourse", command, "--no-browser",
                             "--port", port], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (f"argument --port: must be a port from 1 to 65535, or 0 for a free one "
            f"(got {port!r})") in result.stderr


@pytest.mark.parametrize("port, chosen", [("0", 0), ("1", 1), ("65535", 65535)])
def test_ports_1_to_65535_are_taken_and_0_picks_a_free_one(port: str, chosen: int) -> None:
    for command in ("open", "app"):
        assert cli._parser().parse_args([command, "--port", port]).port == chosen


@pytest.mark.slow
@pytest.mark.parametrize("command", ["slides", "handouts", "report"])
def test_exports_run_their_kernels_off_tcp_and_print_no_warning(command: str,
                                                                 tmp_path: Path) -> None:
    """Kernels talk over local sockets in a private folder, so ipykernel's warning about
    unencrypted TCP never shows next to health data."""
    roster = tmp_path / "roster.csv"
    roster.write_text("client_id,screening,today\nx,clear,2026-03-02\n", encoding="utf-8")
    given = {"slides": ["09"], "handouts": ["09"], "report": ["--roster", str(roster)]}
    result = subprocess.run([sys.executable, "-m", "backcourse", command, *given[command],
                             "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert "TCP" not in said and "encryption" not in said and "WARNING" not in said
