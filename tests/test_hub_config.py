"""The tested hub config (docs/hub/jupyterhub_config.py), loaded as JupyterHub loads it: a
missing password is one clear line, the settings the guide names are there, and nothing in
it needs SimpleLocalProcessSpawner, so the guide's switch to LocalProcessSpawner keeps it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "docs" / "hub" / "jupyterhub_config.py"


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> Any:
    from traitlets.config import Config

    monkeypatch.setenv("CLASS_DIR", str(tmp_path))
    for name in ("CLASS_PASSWORD", "CLASS_ADMIN_TOKEN", "KERNEL_CULL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    c = Config()
    exec(compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec"),  # noqa: S102
         {"get_config": lambda: c, "__file__": str(CONFIG)})
    return c


@pytest.mark.slow  # starts jupyterhub, which stops while it reads the config
@pytest.mark.parametrize("password", [None, "short"])
def test_without_a_class_password_the_hub_stops_with_one_line(
        password: str | None, tmp_path: Path) -> None:
    env = {"CLASS_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    if password:
        env["CLASS_PASSWORD"] = password
    done = subprocess.run([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "jupyterhub_config.py: set CLASS_PASSWORD in the environment to the class password, 8 "
        "characters or more"]


def test_the_settings_the_guide_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    c = load(monkeypatch, tmp_path, CLASS_PASSWORD="a long class password",
             KERNEL_CULL_TIMEOUT="60")
    hub = c.JupyterHub
    assert c.Authenticator.admin_users == set() and hub.cookie_max_age_days == 0.5
    assert "admin_access" not in hub  # a no-op since JupyterHub 3: the guide says so
    assert hub.bind_url.startswith("http://127.0.0.1:")
    assert c.Authenticator.allow_all is False
    assert "--MappingKernelManager.cull_idle_timeout=60" in c.Spawner.args
    server_config = Path(c.Spawner.environment["JUPYTER_CONFIG_PATH"])
    assert json.loads((server_config / "jupyter_server_config.json").read_text()) == {
        "LabApp": {"extension_manager": "readonly"},
        "MappingKernelManager": {"cull_idle_timeout": 1800, "cull_interval": 300,
                                 "cull_connected": True}}


def test_the_spawner_environment_needs_nothing_of_one_spawner(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """LocalProcessSpawner has no home_dir: every value is plain text, or a callable that
    works on a spawner without one."""
    c = load(monkeypatch, tmp_path, CLASS_PASSWORD="a long class password")
    bare = SimpleNamespace(user=SimpleNamespace(name="alice"))
    env = {k: v(bare) if callable(v) else v for k, v in c.Spawner.environment.items()}
    assert all(isinstance(v, str) for v in env.values())
    assert "BACKCOURSE_HOME" not in env  # the journal follows HOME, as on TLJH and Z2JH
