"""The clinic's letterhead for client reports (``--clinic FILE``): a small YAML file with the
clinic's name, the therapist, how to reach them and an optional logo, embedded in the page."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

from backcourse.core.errors import BackcourseError, Problem
from backcourse.core.parse import Collector, parse, rule
from backcourse.infra.files import FileProblem, read_bytes, read_text

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".gif": "image/gif", ".svg": "image/svg+xml"}
LOGO_BYTES = 512 * 2**10


@dataclasses.dataclass(frozen=True, kw_only=True)
class ClinicFile:
    """What the file may say (the logo path is relative to the file)."""

    name: str = rule(pattern=r"\S.{0,119}")
    therapist: str = rule(pattern=r"\S.{0,119}")
    contact: str = rule(pattern=r"\S.{0,199}")
    logo: str | None = None


@dataclasses.dataclass(frozen=True)
class Clinic:
    name: str
    therapist: str
    contact: str
    logo: str | None  # a data: URI, so the report needs no other file


def read_clinic(path: Path) -> Clinic:
    """Read and check the clinic file; every problem is named, nothing is half-read."""
    import yaml

    label = path.name
    try:
        doc = yaml.safe_load(read_text(path, limit=64 * 2**10))
    except FileProblem as exc:
        raise BackcourseError(f"cannot read the clinic file: {exc}") from None
    except yaml.YAMLError as exc:
        raise BackcourseError([Problem(label, "(file)", "(syntax)",
                                       f"not valid YAML: {exc}".splitlines()[0])]) from None
    out = Collector(label, "clinic")
    given = parse(ClinicFile, doc, out)
    if given is None:
        raise BackcourseError(out.problems)
    logo = None
    if given.logo is not None:
        picture = path.parent / given.logo
        kind = LOGO_TYPES.get(picture.suffix.lower())
        if kind is None:
            raise BackcourseError([Problem(label, "clinic", "logo", "must be a .png, .jpg, "
                                           ".gif or .svg file")])
        try:
            data = read_bytes(picture, limit=LOGO_BYTES)
        except FileProblem as exc:
            raise BackcourseError([Problem(label, "clinic", "logo", str(exc))]) from None
        logo = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return Clinic(given.name, given.therapist, given.contact, logo)
