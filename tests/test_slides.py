"""`backcourse slides`: offline decks that share one assets folder and show no learner data."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from offline import external_loads

from backcourse import cli
from backcourse.export.slides import build_slides, find_notebooks
from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal, journal_path


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole course as slides, built while a red-flag learner's journal is the default."""
    home = tmp_path_factory.mktemp("home")
    with Journal(journal_path("me", home)) as journal:
        write_persona(journal, "kim")
    out = tmp_path_factory.mktemp("slides")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BACKCOURSE_HOME", str(home))
        built, failed = build_slides(find_notebooks([]), out, jobs=2)
    assert failed == {} and len(built) == 10
    return out


@pytest.mark.slow
def test_every_deck_and_an_index_are_written(decks: Path) -> None:
    names = sorted(p.name for p in decks.glob("*.slides.html"))
    assert names == [f"{p.stem}.slides.html" for p in find_notebooks([])]
    index = (decks / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}"' in index for name in names)


@pytest.mark.slow
def test_nothing_is_loaded_from_the_web(decks: Path) -> None:
    """No script, style, image, font or import points outside the folder (HTML and CSS)."""
    pages = [*decks.glob("*.html"), *(decks / "assets").rglob("*.css")]
    for page in pages:
        assert external_loads(page.read_text(encoding="utf-8", errors="replace")) == [], page.name


@pytest.mark.slow
def test_decks_load_the_shared_assets_by_relative_path(decks: Path) -> None:
    for deck in decks.glob("*.slides.html"):
        text = deck.read_text(encoding="utf-8")
        for url in ("assets/require.js", "assets/jquery.min.js",
                    "assets/reveal.js/dist/reveal.js", "assets/reveal.js/plugin/notes/notes.js",
                    "assets/reveal.js/dist/theme/white.css"):
            assert url in text, (deck.name, url)
            assert (decks / url).is_file()
        assert "function requirejs" not in text  # the library is shared, not copied in
    assert [p.name for p in decks.iterdir() if p.is_dir()] == ["assets"]


@pytest.mark.slow
def test_speaker_notes_outputs_and_widgets_but_no_code(decks: Path) -> None:
    text = (decks / "00_start_here.slides.html").read_text(encoding="utf-8")
    assert '<aside class="notes">' in text
    assert "By the end you will be able to" in text  # executed output
    assert "application/vnd.jupyter.widget-state+json" in text
    assert "assets/html-manager/embed-amd.js" in text
    assert "lesson.intro" not in text and "journal_home = None" not in text


@pytest.mark.slow
def test_no_learner_data_reaches_a_slide(decks: Path) -> None:
    """Decks run against an empty, throw-away journal, whatever journal is the default."""
    text = (decks / "08_my_program.slides.html").read_text(encoding="utf-8")
    assert "No safety check on record yet" in text
    assert "Your exercise plan is on hold" not in text


@pytest.mark.slow
def test_a_failing_notebook_is_reported_and_the_rest_still_build(tmp_path: Path) -> None:
    broken = tmp_path / "99_broken.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise RuntimeError('x')")])
    nbformat.write(nb, broken)
    decks, failed = build_slides([broken, find_notebooks(["09"])[0]], tmp_path / "out")
    assert [d.notebook for d in decks] == ["09_review.ipynb"] and list(failed) == [broken]
    assert "09_review.slides.html" in (tmp_path / "out" / "index.html").read_text()


def test_naming_a_notebook_twice_builds_it_once() -> None:
    assert len(find_notebooks(["00", "00_start_here", "00_start_here.ipynb"])) == 1


def test_cli_names_an_unknown_notebook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.main(["slides", "42", "--out", str(tmp_path)]) == 2
    assert "no notebook '42'" in capsys.readouterr().err


def test_a_slide_shows_each_key_frame_caption_as_text_under_its_frame() -> None:
    """Slides only: the frames drawn without captions, each caption as text, the alt text
    once for the whole figure; other HTML, and the figure outside slides, are untouched."""
    from backcourse.content.load import load_course
    from backcourse.core.kinematics import alt_text
    from backcourse.export.run import frame_figures as slide_figures
    from backcourse.render.figures import figure_for, figure_html, thumbnail_html

    figure = figure_for(load_course(), "curl-up")
    notebook = figure_html(figure)
    assert "<figcaption" not in notebook and "<text" in notebook  # notebooks keep their look
    html = "<p>Before</p>" + notebook + "<p>After</p>"
    slide = slide_figures(html)
    assert slide.startswith("<p>Before</p>") and slide.endswith("<p>After</p>")
    assert "<text" not in slide  # no caption drawn into a picture
    captions = [c.split("</figcaption>")[0] for c in slide.split("<figcaption>")[1:]]
    assert captions == ["1. Start (hands under the low back)", "2. Hold",
                        "In motion (click to replay)"]
    assert slide.count(f'aria-label="{alt_text(figure)}"') == 1 and 'alt=""' in slide
    still = slide_figures(figure_html(figure, animate=False))
    assert "<svg" not in still and still.count("<figcaption>") == 2
    zoom = thumbnail_html(figure, "Curl-up")
    after = slide_figures(zoom + notebook)  # a zoom opens in a table: left as it is
    assert after.startswith(zoom + '<div class="bc-figures bc-row"') and "bc-zoom" in zoom
