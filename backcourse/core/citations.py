"""Citations in learner-facing prose: find them, check them, and flag uncited claims.

In notebooks a citation is a Markdown link to the reference's anchor, written with the
label of the source: ``[Owen 2020](#ref-owen2020)``; a letter after the year tells apart
two sources with the same first author and year: ``[Hayden 2021b](#ref-hayden2021b)``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping

from backcourse.core.errors import Problem
from backcourse.core.model import Reference

CITATION = re.compile(r"\[([^\]]+)\]\(#ref-([a-z0-9-]+)\)")

# Words that mark a sentence as a claim about health or exercise research.
CLAIM_WORDS = re.compile(
    r"\b(evidence|stud(y|ies)|trials?|reviews?|research|guidelines?|proven|shown|linked|"
    r"associated|reduces?|lowers?|improves?|effective|effects?|risks?|benefits?|causes?|"
    r"predicts?|helps?|harm(s|ful)?|cure[sd]?)\b",
    re.IGNORECASE,
)


@dataclasses.dataclass(frozen=True)
class Citation:
    label: str
    key: str


def citations(text: str) -> list[Citation]:
    """Every citation link in ``text``, in order."""
    return [Citation(m.group(1), m.group(2)) for m in CITATION.finditer(text)]


def paragraphs(markdown: str) -> Iterator[str]:
    """Blocks of prose: headings, code fences and HTML comments are left out."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if lines:
            yield "\n".join(lines)


def uncited_claims(markdown: str) -> list[str]:
    """Paragraphs (or list items) that read as a research claim but carry no citation."""
    found = []
    for para in paragraphs(markdown):
        for item in re.split(r"\n(?=\s*(?:[-*+]|\d+\.)\s)", para):
            if CLAIM_WORDS.search(CITATION.sub("", item)) and not CITATION.search(item):
                found.append(item.strip())
    return found


def check_markdown(
    markdown: str, references: Mapping[str, Reference], where: str
) -> Iterator[Problem]:
    """Dangling keys, labels that do not match their source, and uncited claims."""
    for cite in citations(markdown):
        ref = references.get(cite.key)
        if ref is None:
            yield Problem(where, "", "", f"cites unknown reference {cite.key!r}")
        elif ref.surname not in cite.label or not re.search(rf"\b{ref.dated}\b", cite.label):
            yield Problem(where, "", "", f"label {cite.label!r} does not match {cite.key!r} "
                                       f"(expected {ref.label!r})")
    for claim in uncited_claims(markdown):
        short = claim if len(claim) < 90 else claim[:87] + "..."
        yield Problem(where, "", "", f"claim without a citation: {short!r}")
