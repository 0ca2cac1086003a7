"""Citations resolve, match their source, are all used, and every claim carries one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backcourse.content.check import check_course
from backcourse.content.load import load_course
from backcourse.core.citations import check_markdown, citations, uncited_claims


def refs() -> dict:
    return {r.key: r for r in load_course().references}


def test_citation_links_are_found_in_order() -> None:
    """A citation is a Markdown link to the reference's anchor."""
    text = "Exercise helps [Hayden 2021a](#ref-hayden2021a); see [NICE 2016](#ref-nice2016)."
    assert [(c.label, c.key) for c in citations(text)] == [
        ("Hayden 2021a", "hayden2021a"), ("NICE 2016", "nice2016")]


def test_claims_need_a_citation_but_instructions_do_not() -> None:
    """Research words without a link are flagged; plain instructions and headings are not."""
    text = ("## What the evidence says\n\nLift your knee slowly.\n\n"
            "Exercise helps many people a little.\n\n"
            "- Traction makes little difference [Wegner 2013](#ref-wegner2013).\n"
            "- Studies disagree about endurance.")
    assert uncited_claims(text) == ["Exercise helps many people a little.",
                                    "- Studies disagree about endurance."]


def test_dangling_and_mismatched_citations_are_reported() -> None:
    """An unknown key or a label naming another source is an error."""
    issues = [str(i) for i in check_markdown(
        "One trial [Smith 2020](#ref-nobody2020). A review [Owen 2020](#ref-hayden2021a).",
        refs(), "nb: cell 3")]
    assert issues == [
        "nb: cell 3: cites unknown reference 'nobody2020'",
        "nb: cell 3: label 'Owen 2020' does not match 'hayden2021a' (expected 'Hayden 2021a')",
    ]


@pytest.mark.parametrize("label, key, ok", [
    ("Hayden 2021a", "hayden2021a", True), ("Hayden 2021b", "hayden2021b", True),
    ("Hayden 2021", "hayden2021a", False), ("Hayden 2021b", "hayden2021a", False),
    ("Hayden 2021a", "hayden2021b", False), ("Owen 2020a", "owen2020", False),
])
def test_a_letter_after_the_year_must_match_the_key(label: str, key: str, ok: bool) -> None:
    """Two sources with the same first author and year differ by the letter in key and label."""
    issues = list(check_markdown(f"A review [{label}](#ref-{key}).", refs(), "nb"))
    assert (issues == []) is ok


def test_a_letter_after_the_year_in_the_key_goes_into_the_label() -> None:
    """The Cochrane review and the network meta-analysis share a first author and a year."""
    cochrane, network = refs()["hayden2021a"], refs()["hayden2021b"]
    assert (cochrane.label, network.label) == ("Hayden 2021a", "Hayden 2021b")
    assert (cochrane.dated, refs()["owen2020"].dated) == ("2021a", "2020")


def test_organisation_labels_use_their_short_name() -> None:
    """Guidelines by organisations are cited by their short name."""
    assert refs()["nice2016"].label == "NICE 2016"
    assert refs()["hambergvanreenen2007"].label == "Hamberg-van Reenen 2007"
    assert refs()["bieringsorensen1984"].label == "Biering-Sørensen 1984"


def test_the_shipped_course_passes_every_check() -> None:
    """Content, notebooks and citations of the real course are clean."""
    report = check_course()
    assert tuple(map(str, report.problems)) == ()
    assert report.counts["notebooks"] == 10
    assert report.counts["citations"] > 30


def test_an_unused_reference_is_reported(data_copy: Path, notebooks_copy: Path) -> None:
    """Every reference in data/ must be cited somewhere."""
    path = data_copy / "references.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["references"].append({"key": "lonely2001", "authors": ["Lonely A"], "year": 2001,
                              "title": "Never cited", "venue": "Nowhere",
                              "url": "https://example.org/lonely"})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = check_course(data_copy, notebooks_copy)
    assert tuple(map(str, report.problems)) == (
        "data/references.yaml: references[lonely2001]: key: never cited in data/ or notebooks/; "
        "cite it or remove it",)


def _insert_markdown(path: Path, source: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(1, {"cell_type": "markdown", "id": "x1", "metadata": {}, "source": source})
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_a_notebook_claim_without_citation_fails(data_copy: Path, notebooks_copy: Path) -> None:
    """A learner-facing claim added to a notebook without a key is caught with its cell."""
    _insert_markdown(notebooks_copy / "04_hanging.ipynb",
                     "Hanging cures disc problems, research shows.")
    report = check_course(data_copy, notebooks_copy)
    assert tuple(map(str, report.problems)) == (
        "notebooks/04_hanging.ipynb: cell 1: claim without a citation: "
        "'Hanging cures disc problems, research shows.'",)


def test_a_dangling_key_in_a_notebook_fails(data_copy: Path, notebooks_copy: Path) -> None:
    """A citation of a key that data/references.yaml lacks is caught."""
    _insert_markdown(notebooks_copy / "03_hip_flexor_strength.ipynb",
                     "A trial [Ghost 2019](#ref-ghost2019) found it.")
    report = check_course(data_copy, notebooks_copy)
    assert tuple(map(str, report.problems)) == (
        "notebooks/03_hip_flexor_strength.ipynb: cell 1: cites unknown reference 'ghost2019'",)
