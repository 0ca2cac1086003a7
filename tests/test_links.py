"""Launch links for Binder and for a JupyterHub class (nbgitpuller)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from backcourse import cli
from backcourse.core.links import binder_badge, binder_url, nbgitpuller_url


@pytest.mark.parametrize("repo", ["ORG/backcourse", "https://github.com/ORG/backcourse",
                                  "https://github.com/ORG/backcourse.git/"])
def test_binder_opens_notebook_00_in_jupyterlab(repo: str) -> None:
    assert binder_url(repo) == ("https://mybinder.org/v2/gh/ORG/backcourse/main"
                                "?urlpath=lab%2Ftree%2Fnotebooks%2F00_start_here.ipynb")
    assert binder_badge(repo, "v1.0").startswith(
        "[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ORG/"
        "backcourse/v1.0?")


def test_nbgitpuller_pulls_the_repository_and_opens_notebook_00_inside_it() -> None:
    url = nbgitpuller_url("https://hub.example.edu/", "ORG/back-course", "spring")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/ORG/back-course"], "branch": ["spring"],
        "urlpath": ["lab/tree/back-course/notebooks/00_start_here.ipynb"]}


@pytest.mark.parametrize("hub, repo, message", [
    ("https://hub.example.edu", "gitlab.com/a/b/c", "the repository must be"),
    ("hub.example.edu", "ORG/backcourse", "the hub must be a web address"),
])
def test_bad_addresses_get_a_message(hub: str, repo: str, message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["links", "--repo", repo, "--hub", hub]) == 2
    assert message in capsys.readouterr().err
