"""The README's first two commands are the ones a new user needs, and CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)\n```", text, re.DOTALL)


def test_first_command_installs_and_opens_the_course() -> None:
    first = commands()[0]
    assert first.startswith("python3 -m venv .venv") and first.endswith("backcourse open")


def test_second_command_runs_the_whole_suite_and_ci_runs_it_verbatim() -> None:
    second = commands()[1]
    assert "pytest" in second and '".[test]"' in second
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci.splitlines()


def test_the_binder_badge_and_hub_link_are_the_ones_the_links_command_prints() -> None:
    from backcourse.core.links import binder_badge, nbgitpuller_url

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert binder_badge("OWNER/backcourse") in text
    assert nbgitpuller_url("https://your-hub.example.edu", "OWNER/backcourse") in text
