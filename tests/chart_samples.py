"""Every chart of render.charts drawn from the course and a synthetic learner ("sam", with
a flare-up in week 5; 12 weeks), for the chart tests and for looking at them in a browser."""

from __future__ import annotations

from backcourse.content.load import load_course
from backcourse.core.assessment import asymmetries, compare, ratios
from backcourse.core.records import Assessment, SessionLog
from backcourse.journal.samples import START, write_persona
from backcourse.journal.store import Journal
from backcourse.render import charts
from backcourse.render.plot import Chart

#: one self-check, as a learner saves it in notebook 02
RESULTS = {"trunk_flexion": 100.0, "trunk_extension": 150.0, "side_bridge_left": 80.0,
           "side_bridge_right": 90.0}
#: PEG (0-10) at baseline and three follow-ups, for the general chart over time
PEG = [("2026-01-05", 6.3), ("2026-02-02", 5.7), ("2026-03-02", 4.3), ("2026-03-30", 3.0)]


def learner() -> tuple[list[SessionLog], list[Assessment]]:
    journal = Journal(":memory:")
    write_persona(journal, "sam", weeks=12)
    return journal.sessions(), journal.all(Assessment)


def every_chart() -> dict[str, Chart]:
    course = load_course()
    names = course.result_names()
    logs, tests = learner()
    comparisons = [compare(course, course.self_test(k.rsplit("_", 1)[0] if "bridge" in k
                                                    else k), k, v, 24, "male")
                   for k, v in RESULTS.items()]
    return {
        "effect_sizes": charts.effect_sizes([course.statement(i)
                                             for i in course.unit("01").evidence]),
        "norm_means": charts.norm_means(course.norms_for("mcgill1999"), names),
        "pain_trend": charts.pain_trend(logs, course.thresholds.regress.max_pain,
                                        names={e.id: e.name for e in course.prerequisites}),
        "levels": charts.levels(logs, course.prerequisites),
        "adherence": charts.adherence(logs, START, 12, 3),
        "holds": charts.holds(tests, course.norms_for("mcgill1999"), names),
        "results_vs_norms": charts.results_vs_norms(comparisons, names),
        "ratio_chart": charts.ratio_chart(ratios(course, RESULTS, "male")),
        "sides_chart": charts.sides_chart(asymmetries(course.battery, RESULTS)),
        "group_states": charts.group_states(
            {"home plan in their report": 14, "no safety check yet": 3,
             "warning sign: plan on hold until a clinician has seen them": 1,
             "pain rising: plan paused until the safety check is repeated": 2}, as_of="2026-03-30"),
        "measure_over_time": charts.measure_over_time(
            PEG, name="PEG score", low=0, high=10, mic=1, better="lower",
            about="PEG: the average of 3 questions on pain, enjoyment of life and general "
                  "activity."),
    }


def page(chart: Chart, width: int) -> str:
    """A plain page with one chart in a container of ``width`` CSS pixels."""
    return (f'<!doctype html><html><body style="margin:0;background:#fff">'
            f'<div style="width:{width - 24}px;padding:12px">{chart.svg}</div></body></html>')


__all__ = ["PEG", "RESULTS", "every_chart", "learner", "page"]
