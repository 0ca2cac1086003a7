"""Launch links for a class: the course on Binder, or pulled into a JupyterHub by nbgitpuller."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from backcourse.core.errors import BackcourseError

FIRST = "notebooks/00_start_here.ipynb"
_GITHUB = re.compile(r"(?:https://github\.com/)?([\w.-]+)/([\w.-]+?)(?:\.git)?/?")


def _github(repo: str) -> tuple[str, str]:
    found = _GITHUB.fullmatch(repo.strip())
    if found is None:
        raise BackcourseError(f"the repository must be https://github.com/OWNER/NAME or OWNER/NAME "
                         f"(got {repo!r})")
    return found.group(1), found.group(2)


def binder_url(repo: str, branch: str = "main") -> str:
    """The mybinder.org launch link that opens notebook 00 in JupyterLab."""
    owner, name = _github(repo)
    return (f"https://mybinder.org/v2/gh/{owner}/{name}/{quote(branch, safe='')}"
            f"?urlpath={quote(f'lab/tree/{FIRST}', safe='')}")


def binder_badge(repo: str, branch: str = "main") -> str:
    """The Markdown badge for a README."""
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(repo, branch)})"


def clone_url(repo: str) -> tuple[str, str]:
    """The address nbgitpuller clones and the folder it makes in each home: a GitHub
    repository (OWNER/NAME or its https address), or any git server's https address (a
    school's own, e.g. https://git.school.edu/course/backcourse.git)."""
    if _GITHUB.fullmatch(repo.strip()):
        owner, name = _github(repo)
        return f"https://github.com/{owner}/{name}", name
    url = repo.strip().rstrip("/")
    if not re.fullmatch(r"https://[^/\s]+/\S*[\w.-]", url):
        raise BackcourseError("the repository must be OWNER/NAME on GitHub or your git server's "
                              f"https:// address (got {repo!r})")
    return url, url.rsplit("/", 1)[1]  # nbgitpuller's folder: the last part, as it is


def on_github(repo: str) -> bool:
    """Whether ``repo`` names a GitHub repository (Binder builds only from those here)."""
    return _GITHUB.fullmatch(repo.strip()) is not None


def nbgitpuller_url(hub: str, repo: str, branch: str = "main") -> str:
    """A JupyterHub link that pulls the course into each student's home and opens notebook 00."""
    if not re.match(r"https?://[^/\s]+", hub):
        raise BackcourseError(f"the hub must be a web address such as https://hub.example.edu "
                         f"(got {hub!r})")
    url, name = clone_url(repo)
    query = urlencode({"repo": url, "branch": branch, "urlpath": f"lab/tree/{name}/{FIRST}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
