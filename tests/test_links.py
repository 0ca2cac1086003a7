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


def test_a_school_git_server_gets_a_hub_link_and_no_binder_link(
        capsys: pytest.CaptureFixture[str]) -> None:
    """nbgitpuller clones any git address; the course folder is its last part, as is."""
    repo = "https://git.school.edu/health/backcourse.git"
    query = parse_qs(urlsplit(nbgitpuller_url("https://hub.school.edu", repo, "release-1"))
                     .query)
    assert query == {"repo": [repo], "branch": ["release-1"],
                     "urlpath": ["lab/tree/backcourse.git/notebooks/00_start_here.ipynb"]}
    assert cli.main(["links", "--repo", repo, "--hub", "https://hub.school.edu"]) == 0
    out = capsys.readouterr().out
    assert "Binder" not in out and out.startswith("JupyterHub: https://hub.school.edu/hub/")
    assert cli.main(["links", "--repo", repo]) == 2
    assert "outside GitHub gets a JupyterHub link only: give --hub" in capsys.readouterr().err
