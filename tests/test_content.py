"""Content in data/ loads into a validated catalogue; a broken entry is named precisely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcourse.content.load import load_course
from backcourse.core.model import STRENGTHS
from backcourse.core.parse import ContentError


def test_shipped_content_loads_and_is_complete() -> None:
    """The real course has ten units, one capstone and three ordered prerequisites."""
    course = load_course()
    assert [u.id for u in course.units] == [f"{i:02d}" for i in range(10)]
    assert course.capstone.id == "hanging-knee-raise"
    assert [x.id for x in course.prerequisites] == ["dead-hang", "psoas-march", "big-three"]
    assert len(course.habits) == 6
    assert all(s.strength in STRENGTHS for s in course.evidence)
    assert {q.unit for q in course.quiz} == {u.id for u in course.units}


def test_capstone_bundles_every_habit_and_prerequisites_cover_them_all() -> None:
    """The capstone trains all six habits; together the prerequisites do too."""
    course = load_course()
    habits = {h.id for h in course.habits}
    assert set(course.capstone.habits) == habits
    assert set().union(*(x.habits for x in course.prerequisites)) == habits
    assert all(set(x.habits) < habits for x in course.prerequisites)


def test_readiness_points_at_a_rung_of_each_prerequisite() -> None:
    """Each prerequisite has exactly one readiness criterion naming one of its rungs."""
    course = load_course()
    criteria = {c.exercise: c.rung for c in course.capstone.readiness}
    assert set(criteria) == {x.id for x in course.prerequisites}
    for exercise_id, rung_id in criteria.items():
        assert course.exercise(exercise_id).rung(rung_id).level >= 2


def _edit_yaml(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _entry(doc: dict[str, Any], key: str, ident: str, id_field: str = "id") -> dict[str, Any]:
    return next(e for e in doc[key] if e[id_field] == ident)


BROKEN = {
    "references": ("references.yaml",
                   lambda d: _entry(d, "references", "hayden2021a", "key").pop("year"),
                   "data/references.yaml: references[hayden2021a]: year: is missing"),
    "habits": ("habits.yaml",
               lambda d: _entry(d, "habits", "core-work").update(evidence=[]),
               "data/habits.yaml: habits[core-work]: evidence: must list at least one item"),
    "evidence": ("evidence.yaml",
                 lambda d: _entry(d, "evidence", "exercise-eases-pain").update(strength="strong"),
                 "data/evidence.yaml: evidence[exercise-eases-pain]: strength: must be one of "
                 "'high', 'moderate', 'low', 'very low' (got 'strong')"),
    "exercises": ("exercises.yaml",
                  lambda d: _entry(d, "exercises", "dead-hang")["rungs"][1]["moves"][0]["dose"]
                  .update(sets=0),
                  "data/exercises.yaml: exercises[dead-hang]: rungs[1].moves[0].dose.sets: "
                  "must be at least 1 (got 0)"),
    "red flags": ("red_flags.yaml",
                  lambda d: _entry(d, "red_flags", "E1").update(action="asap"),
                  "data/red_flags.yaml: red_flags[E1]: action: must be one of 'emergency', "
                  "'same day', 'soon', 'advice' (got 'asap')"),
    "quiz": ("quiz.yaml",
             lambda d: _entry(d, "quiz", "safety-rare").update(answer=5),
             "data/quiz.yaml: quiz[safety-rare]: answer: points at option 5 but only 3 exist"),
    "reference year": ("references.yaml",
                       lambda d: _entry(d, "references", "owen2020", "key").update(year=2019),
                       "data/references.yaml: references[owen2020]: key: should end with the "
                       "year 2019, then an optional letter"),
    "start rules": ("recommendation.yaml",
                    lambda d: _entry(d, "start_rules", "big-three-full")["at_least"][1]
                    .update(or_test="back_extension_bed"),
                    "data/recommendation.yaml: start_rules[big-three-full]: at_least[1].or_test: "
                    "unknown test 'back_extension_bed'"),
    "battery": ("battery.yaml",
                lambda d: _entry(d, "battery", "side_bridge").pop("stop_if"),
                "data/battery.yaml: battery[side_bridge]: stop_if: a test you do needs at least "
                "one reason to stop"),
    "units": ("course.yaml",
              lambda d: _entry(d, "units", "03").update(minutes="twenty"),
              "data/course.yaml: units[03]: minutes: must be a whole number (got text 'twenty')"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_entry_gives_one_line_naming_file_entry_and_field(
    kind: str, data_copy: Path
) -> None:
    """Each kind of content reports its defect as a single precise line."""
    name, change, expected = BROKEN[kind]
    _edit_yaml(data_copy / name, change)
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert str(caught.value) == expected


def test_a_broken_norms_row_names_its_line_and_column(data_copy: Path) -> None:
    """CSV rows are named by their line number in the file."""
    path = data_copy / "norms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[7] = "-3"  # the sd column
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert str(caught.value) == "data/norms.csv: row 2: sd: must be at least 0 (got -3)"


def test_a_norm_age_band_is_both_ends_or_neither(data_copy: Path) -> None:
    """An empty band means the source reports no range; half a band is a mistake."""
    path = data_copy / "norms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    assert cells[3:5] == ["", ""]  # age_min, age_max: not reported by McGill 1999
    cells[3] = "18"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert str(caught.value) == ("data/norms.csv: row 2: age_min: give both age_min and "
                                 "age_max, or leave both empty (not reported)")


def test_unknown_cross_references_are_named(data_copy: Path) -> None:
    """A citation of a missing reference, or a readiness rung that does not exist, is caught."""
    _edit_yaml(data_copy / "evidence.yaml",
               lambda d: _entry(d, "evidence", "traction-no-help").update(refs=["nobody2020"]))
    _edit_yaml(data_copy / "exercises.yaml",
               lambda d: _entry(d, "exercises", "hanging-knee-raise")["readiness"][0]
               .update(rung="dead-hang-9"))
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert caught.value.problems and [str(p) for p in caught.value.problems] == [
        "data/evidence.yaml: evidence[traction-no-help]: refs[0]: unknown reference 'nobody2020'",
        "data/exercises.yaml: exercises[hanging-knee-raise]: readiness[0].rung: "
        "'dead-hang' has no rung 'dead-hang-9'",
    ]


@pytest.mark.parametrize("change, expected", [
    (lambda c: c.update(any_of=["S3", "X9"]),
     "combinations[cancer-and-pain]: any_of[1]: unknown question 'X9'"),
    (lambda c: c.update(action="soon"),
     "combinations[cancer-and-pain]: action: 'soon' is less urgent than its questions alone "
     "('same day')"),
    (lambda c: c.update(all_of=[], any_of=["S3"]),
     "combinations[cancer-and-pain]: all_of: a combination needs at least two yes answers"),
    (lambda c: c.update(at_least=4),
     "combinations[cancer-and-pain]: at_least: cannot exceed the 3 questions in any_of"),
])
def test_a_combination_must_name_real_questions_and_escalate(
        change: Callable[[dict[str, Any]], None], expected: str, data_copy: Path) -> None:
    """A combination less urgent than its parts, or of unknown questions, would mislead."""
    _edit_yaml(data_copy / "red_flags.yaml",
               lambda d: change(_entry(d, "combinations", "cancer-and-pain")))
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert str(caught.value) == f"data/red_flags.yaml: {expected}"


def test_a_retired_question_id_is_never_asked_again(data_copy: Path) -> None:
    _edit_yaml(data_copy / "red_flags.yaml", lambda d: _entry(d, "red_flags", "S9")
               .update(id="S4"))
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert "retired[S4]: id: this id is still asked; a retired id is never reused" in str(
        caught.value)


@pytest.mark.parametrize("name", ["evidence.yaml", "red_flags.yaml", "references.yaml"])
def test_a_file_that_is_not_yaml_is_one_problem_with_no_follow_on_noise(
        name: str, data_copy: Path) -> None:
    """Other files name its entries, but nothing is checked against a file that could not
    be read, and a file read for several parts is read (and reported) once."""
    (data_copy / name).write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert [p.field for p in caught.value.problems] == ["(syntax)"]
    assert str(caught.value).startswith(f"data/{name}: line 2: (syntax): not valid YAML")


def test_every_error_of_an_entry_is_reported(data_copy: Path) -> None:
    _edit_yaml(data_copy / "evidence.yaml", lambda d: _entry(d, "evidence", "traction-no-help")
               .update(strength="strong", rated_by="nobody", refs=[]))
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert [p.field for p in caught.value.problems] == ["strength", "rated_by", "refs"]


def test_duplicate_ids_are_refused(data_copy: Path) -> None:
    """Two entries with one id would make look-ups ambiguous."""
    _edit_yaml(data_copy / "quiz.yaml",
               lambda d: d["quiz"].append(dict(_entry(d, "quiz", "safety-rare"))))
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert str(caught.value) == (
        "data/quiz.yaml: quiz[safety-rare]: id: duplicate id (also used by entry #2)"
    )


def test_bad_yaml_and_missing_files_are_reported_not_raised_raw(data_copy: Path) -> None:
    """Syntax errors name the line; a missing file says so."""
    (data_copy / "habits.yaml").write_text("habits:\n  - id: [unclosed\n", encoding="utf-8")
    (data_copy / "quiz.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    lines = [str(p) for p in caught.value.problems]
    assert lines[0].startswith("data/habits.yaml: line 3: (syntax): not valid YAML")
    assert "data/quiz.yaml: (file): (file): file is missing" in lines


@pytest.mark.parametrize("name, change, expected", [
    ("red_flags.yaml", lambda d: d.update(red_flags=[]),
     "data/red_flags.yaml: (file): red_flags: the file must hold a non-empty list under "
     "'red_flags'"),
    ("progression.yaml", lambda d: d["rules"].pop(3),
     "data/progression.yaml: rules: decision: one rule per decision, in the order stop, "
     "rescreen, regress, progress, hold (got stop, rescreen, regress, hold)"),
    ("app.yaml", lambda d: d["sections"].reverse(),
     "data/app.yaml: sections: id: one section per part, in the order about, safety, "
     "assessment, programme, session, log (got log, session, programme, assessment, safety, "
     "about)"),
    ("app.yaml", lambda d: d["sections"][0].update(id="home"),
     "data/app.yaml: sections[home]: id: must be one of 'about', 'safety', 'assessment', "
     "'programme', 'session', 'log' (got 'home')"),
    ("exercises.yaml",
     lambda d: _entry(d, "exercises", "psoas-march")["rungs"][0].update(id="dead-hang-1"),
     "data/exercises.yaml: exercises[psoas-march]: rungs[dead-hang-1].id: level ids must be "
     "unique across all exercises"),
])
def test_structural_gaps_that_would_break_the_course_are_refused(
    data_copy: Path, name: str, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    """An empty safety screen, a missing rule or a shared level id cannot slip through."""
    _edit_yaml(data_copy / name, change)
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert expected in [str(p) for p in caught.value.problems]


def test_a_file_that_is_not_utf8_is_named(data_copy: Path) -> None:
    (data_copy / "habits.yaml").write_bytes("habits:\n  - name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert str(caught.value.problems[0]).startswith(
        "data/habits.yaml: (file): (encoding): not UTF-8 text")
