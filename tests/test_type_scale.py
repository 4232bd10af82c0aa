"""One type scale: title, body and caption fixed to the frame, nothing shrunk, all mathematics typeset.

Sizes are digit heights in px at 1080 px (a 16:9 frame 8 units high: 135 px a
unit). The blocks of every lesson are built as the lessons build them and must
fit their region at those sizes (else the layout would shrink them); one
rendered frame is measured glyph by glyph.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.core.losses import get_loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.drawing import type_scale
from gdscenes.drawing.layout import Layout
from gdscenes.drawing.legend import Legend
from gdscenes.drawing.panel import UpdatePanel
from gdscenes.scenes.compare import ComparisonScene
from gdscenes.scenes.descent_1d import CurveScene
from gdscenes.scenes.registry import SCENES

PX_PER_UNIT = 1080 / 8.0


def test_the_scale_itself() -> None:
    assert type_scale.CAPTION_PX >= 22
    assert type_scale.CAPTION_PX < type_scale.BODY_PX < type_scale.TITLE_PX
    for role, px in type_scale.SIZES.items():
        # A digit typeset at each role is that many px tall at 1080p, whichever way it is typeset.
        assert type_scale.math("0", role).height * PX_PER_UNIT == pytest.approx(px, rel=1e-6)
        assert type_scale.latex("0", role).height * PX_PER_UNIT == pytest.approx(px, rel=1e-6)
        assert type_scale.text("0", role).height * PX_PER_UNIT == pytest.approx(px, rel=0.02)


def test_sizes_follow_the_frame_not_the_room() -> None:
    from manim import tempconfig

    with tempconfig({"frame_height": 8.0 * 16 / 9, "frame_width": 8.0}):  # 9:16: the shorter side is the width
        assert type_scale.height("caption") == pytest.approx(type_scale.CAPTION_PX / 1080 * 8.0)
    # A long title wraps onto lines of the title size; it is never scaled down.
    long = type_scale.title("SGD jitters, GD does not (an ill-conditioned quadratic)", 4.5, DARK.text)
    assert len(long) >= 2
    for line in long:
        assert line.width <= 4.5 + 1e-6
    first = long[0][0][0]
    assert first.height * PX_PER_UNIT == pytest.approx(type_scale.TITLE_PX, rel=0.06)  # a capital is about a digit high


def test_titles_typeset_their_mathematics() -> None:
    assert type_scale.latex_title("eta = 0.03") == r"$\eta = 0.03$"
    assert type_scale.latex_title("Stochastic gd, sigma = 2, seed 8") == r"Stochastic gd, $\sigma = 2$, seed 8"
    loss = get_loss("sin(x)*cos(y)")
    title = type_scale.latex_title("Gradient descent on sin(x)*cos(y)", loss)
    assert title == f"Gradient descent on ${loss.latex}$" and r"\sin" in title
    assert type_scale.latex_title("50% & more_") == r"50\% \& more\_"
    assert type_scale.latex_title("Gradient descent on Himmelblau", get_loss("himmelblau")) == "Gradient descent on Himmelblau"


def comparison_blocks(name: str) -> tuple[Legend, Any]:
    """The legend (and loss curve) a comparison lesson builds (:meth:`ComparisonScene.make_legend`, its
    ``make_loss_curve``), without rendering it."""
    from gdscenes.display.view import View

    cls = SCENES[name]
    loss = cls.get_loss()
    lesson = cls.__new__(cls)
    runs = lesson.runs = cls.descend(loss)
    lesson.layout, lesson.colors = Layout.current(), DARK
    lesson.view = View.fit(loss.value, cls.plot_domain(loss))
    legend = lesson.legend = lesson.make_legend(loss, runs)
    curve = lesson.make_loss_curve([r.trajectory.losses[:, 0] for r in runs], [r.color for r in runs], loss, above=legend)
    return legend, curve


@pytest.mark.parametrize("name", sorted(n for n, c in SCENES.items() if issubclass(c, ComparisonScene)))
def test_comparison_legends_fit_their_region_at_full_size(name: str) -> None:
    legend, curve = comparison_blocks(name)
    layout = Layout.current()
    _, room = layout.text_box
    total = legend.height + (0.25 + curve.height if curve is not None else 0.0)
    assert total <= room + 1e-6, f"{name}: text {total:.2f} tall in a region of {room:.2f}: the layout would shrink it"
    assert legend.width <= layout.block_width + 1e-6
    # Every label, rule and footer line lies inside the card.
    right = legend.background.get_right()[0]
    for part in [*legend.labels, *legend.footer]:
        assert part.get_right()[0] <= right + 1e-6, f"{name}: {part.tex_string!r} sticks out of the card"


@pytest.mark.parametrize("aspect", ["16:9", "1:1", "9:16"])
@pytest.mark.parametrize("name", ["race", "learning-rate", "local-minima"])
def test_notes_fit_beside_or_under_their_label(name: str, aspect: str) -> None:
    """The note each run gets when its ball stops fits in the card at the caption size (in its column,
    where a short band sets the rows in columns)."""
    from manim import tempconfig

    from gdscenes.production.render import frame_config

    with tempconfig(frame_config("l", aspect)):
        notes_fit(name)


def notes_fit(name: str) -> None:
    from gdscenes.display.view import View

    legend, _ = comparison_blocks(name)
    cls = SCENES[name]
    lesson = cls.__new__(cls)
    loss = cls.get_loss()
    runs = lesson.runs = cls.descend(loss)
    lesson.view = View.fit(loss.value, cls.plot_domain(loss))
    lesson.legend = legend
    for i in range(len(runs)):
        note = legend.set_note(i, lesson.legend_note(i, runs))
        assert note.get_right()[0] <= legend.background.get_right()[0] + 1e-6, f"{name} note {i} sticks out"
        assert note.get_left()[0] >= legend.background.get_left()[0]
        if legend.inline_notes:
            assert note.get_left()[0] > legend.labels[i].get_right()[0], f"{name} note {i} overlaps its label"
        else:  # under its label, above the next row of its column
            assert note.get_top()[1] < legend.labels[i].get_bottom()[1]
            below = [e for e in legend.entries if abs(e.get_left()[0] - legend.entries[i].get_left()[0]) < 1e-6
                     and e.get_top()[1] < legend.entries[i].get_bottom()[1]]
            if below:
                assert note.get_bottom()[1] > max(e.get_top()[1] for e in below), f"{name} note {i} runs into the next row"
        # Inside its column: short of the next column's rows.
        column_right = legend.entries[i].get_left()[0] + legend.column_width
        assert note.get_right()[0] <= column_right + 1e-6, f"{name} note {i} runs into the next column"
        # At the caption size: as tall as the same words typeset at the caption size (not shrunk).
        assert note.height == pytest.approx(type_scale.text(lesson.legend_note(i, runs), "caption").height, rel=1e-6)


def test_symbols_of_the_race_rules_are_defined_on_screen() -> None:
    legend, _ = comparison_blocks("race")
    shown = " ".join([*(m.tex_string for m in legend.footer), *(e[1].tex_string for e in legend.entries if len(e) > 1)])
    for symbol in (r"\mu", r"\beta_1", r"\beta_2", r"\hat m", r"\hat v", r"\epsilon", "g_k", r"\alpha"):
        assert symbol in shown, f"{symbol} is used by a rule but not defined"
    assert "v_{k+1} =" in shown  # the velocity and the mean of squares are written out


def test_sgd_noise_shows_k_and_eta() -> None:
    legend, _ = comparison_blocks("sgd-noise")
    shown = " ".join([legend.submobjects[1][1].tex_string, *(m.tex_string for m in legend.footer)])
    assert r"\eta = 0.1" in shown and "k" in shown and r"\sigma = 2" in shown


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_update_panels_fit_the_column_at_full_size(optimizer: str) -> None:
    layout = Layout.current()
    cls = OPTIMIZERS[optimizer]
    panel = UpdatePanel(type_scale.latex_title(f"{cls.label} on the six-hump camel"), r" \\ ".join(cls.rule_latex_lines), DARK,
                        width=layout.block_width)
    _, room = layout.text_box
    assert panel.height <= room
    assert panel.rule.width <= layout.block_width - 0.4, f"{optimizer}'s rule is wider than the panel"
    # The theta rows are coloured like the ball they name.
    keys = [key for key, _ in panel.rows]
    assert panel.labels[keys.index("theta")].get_color().to_hex().upper() == DARK.ball.upper()
    assert panel.labels[keys.index("grad")].get_color().to_hex().upper() == DARK.muted.upper()


def ink_height(frame: np.ndarray, box: tuple[int, int, int, int], ink: str, tolerance: float = 90) -> int:
    """Rows of ``frame`` inside ``box`` (left, top, right, bottom px) holding pixels near ``ink``."""
    left, top, right, bottom = box
    patch = frame[top:bottom, left:right].astype(float)
    rows = np.where((np.linalg.norm(patch - hex_to_rgb(ink) * 255, axis=-1) < tolerance).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


@pytest.mark.render
def test_rendered_text_heights(tmp_path: Any) -> None:
    """The sgd-noise frame (its title was 7 px at 480p): title capitals and caption digits measured in pixels."""
    from gdscenes.drawing.projection import pixels
    from gdscenes.production.render import render, variant
    from tests.conftest import read_frames

    scene_cls = variant(SCENES["sgd-noise"], steps=3, resolution=8, intro_seconds=0.2, hold_seconds=0.2)
    result = render(scene_cls, "type", quality="l", fps=5, media_dir=tmp_path)
    scene, frame = result.scene, read_frames(result.path)[-1]
    height, width = frame.shape[:2]
    scale = height / 1080

    # Fixed-in-frame text: frame coordinates map straight to pixels (the projection is the identity for it).
    def fixed_box(mob: Any, pad: float = 0.06) -> tuple[int, int, int, int]:
        from manim import config

        (x0, y1), (x1, y0) = mob.get_corner([-1, 1, 0])[:2] + [-pad, pad], mob.get_corner([1, -1, 0])[:2] + [pad, -pad]
        to_col = lambda x: (x / config.frame_width + 0.5) * width  # noqa: E731
        to_row = lambda y: (0.5 - y / config.frame_height) * height  # noqa: E731
        return int(to_col(x0)), int(to_row(y1)), int(np.ceil(to_col(x1))), int(np.ceil(to_row(y0)))

    legend = scene.legend
    capital = legend.submobjects[1][0][0][0]  # the title's "S"
    title_px = ink_height(frame, fixed_box(capital), DARK.text)
    assert title_px >= 0.9 * type_scale.TITLE_PX * scale, f"title capital {title_px} px"
    # The footer's "sigma = 2, seed 8": the digit 2 (third glyph) at the caption size.
    two = legend.footer[1][0][2]
    caption_px = ink_height(frame, fixed_box(two, 0.03), DARK.muted)
    assert caption_px >= 22 * scale - 1, f"caption digit {caption_px} px at {height}p"
    # The tick labels of the floor: a digit drawn in 3D (perspective) is at least caption-sized too, near the camera.
    ticks = [m for m in scene.axes_parts[2] if len(m) and m.tex_strings[0].lstrip("-").isdigit()]
    nearest = max(ticks, key=lambda m: pixels(scene, m.get_center()[None], width, height)[0][1])  # lowest on screen
    # (a camera-facing label keeps its points in the floor plane: box it around its projected centre)
    column, row = pixels(scene, nearest.get_center()[None], width, height)[0]
    half_w = nearest.width * height / 8.0 / 2 + 2  # (camera-facing: its size on screen whatever the zoom)
    half_h = 1.5 * type_scale.CAPTION_PX * scale
    tick_px = ink_height(frame, (int(column - half_w), int(row - half_h), int(column + half_w), int(row + half_h)), DARK.muted)
    assert tick_px >= 0.8 * 22 * scale, f"tick label {tick_px} px at {height}p"


@pytest.mark.parametrize("name", sorted(n for n, c in SCENES.items()
                                         if not issubclass(c, (ComparisonScene, CurveScene))))  # (1D: test_lessons_1d)
def test_lesson_panels_fit_their_region_at_full_size(name: str) -> None:
    """Each panel lesson's text (panel, the internals' key when it goes under it) fits the text region unscaled."""
    from gdscenes.drawing.key import Key

    cls = SCENES[name]
    lesson = cls.__new__(cls)
    loss = cls.get_loss()
    lesson.trajectory = cls.descend(loss)
    lesson.layout, lesson.colors = Layout.current(), DARK
    panel = lesson.make_panel(loss, OPTIMIZERS[lesson.trajectory.optimizer])
    _, room = lesson.layout.text_box
    assert panel.height <= room + 1e-6 and panel.width <= lesson.layout.block_width + 1e-6, f"{name}: panel too big"
    # Every typeset line of the panel lies inside its card.
    right = panel.background.get_right()[0]
    for mob in panel.submobjects[1:]:
        assert mob.get_right()[0] <= right + 1e-6, f"{name}: text sticks out of the card"
    rows = lesson.key_rows() if hasattr(lesson, "key_rows") else []
    if rows:
        key = Key(rows, DARK, width=lesson.layout.block_width)
        fits = panel.height + 0.25 + key.height <= room
        alone = Key(rows, DARK, width=None)
        assert fits or alone.width <= lesson.layout.width / 2, f"{name}: the key fits neither under the panel nor alone"


def test_names_in_pango_text_are_set_in_mathematical_italic() -> None:
    """A variable in a note or status line (Pango text) is the math font's italic letter, as LaTeX sets it
    (the Unicode names are the independent truth); other characters are left as they are."""
    import unicodedata

    from gdscenes.drawing.type_scale import italic

    names = [unicodedata.name(ch) for ch in italic("fJhηθ")]
    assert names == ["MATHEMATICAL ITALIC SMALL F", "MATHEMATICAL ITALIC CAPITAL J", "PLANCK CONSTANT",
                     "MATHEMATICAL ITALIC SMALL ETA", "MATHEMATICAL ITALIC SMALL THETA"]
    assert italic("f_1 = 2") == "\U0001d453_1 = 2"


def test_the_height_note_typesets_its_value() -> None:
    """The colour bar's note ("height flattened above f = 385") sets ``f = 385`` as math (and a large value
    as a power of ten), the words as text; a model's cost is J; the plain note has neither "$" nor "~"."""
    from gdscenes.drawing.colour_bar import note_latex
    from gdscenes.display.view import HeightMap

    flattened, log = "height flattened above~${name} = {value}$", "log height for~${name} > {value}$; log colour"
    assert note_latex((flattened, 385.0)) == "height flattened above~$f = 385$"
    assert note_latex((flattened, 385.0), "J") == "height flattened above~$J = 385$"
    assert note_latex((log, 145.0)) == "log height for~$f > 145$; log colour"
    assert note_latex((flattened, 15000.0)) == r"height flattened above~$f = 1.5\times 10^{4}$"
    # the view's parts: its value to the three digits its plain note shows
    heights = HeightMap(0.0, 20000.0, f_top=20000.0, knee=0.75)
    text, value = heights.note_parts() or ("", 0.0)
    assert text == flattened and value == float(f"{heights.rolled_off_from:.3g}") == 15000.0
    assert heights.note() == "height flattened above f = 1.5e+04"
    assert note_latex((text, value)) == r"height flattened above~$f = 1.5\times 10^{4}$", heights.rolled_off_from


def test_numbers_in_pango_text_write_a_power_of_ten_as_one() -> None:
    """Status and legend lines never show e-notation ("1.009e-05"): a power of ten, with a true minus sign."""
    from gdscenes.drawing.type_scale import number

    assert number(1.009e-05) == "1.009 \u00d7 10\u207b\u2075"
    assert number(2.3e-05, 2) == "2.3 \u00d7 10\u207b\u2075"
    assert number(1e-8) == "10\u207b\u2078" and number(-3.2e-7) == "\u22123.2 \u00d7 10\u207b\u2077"
    assert number(1.5e12) == "1.5 \u00d7 10\u00b9\u00b2"
    assert number(0.0657) == "0.0657" and number(385.0) == "385" and number(0.00023, 2) == "0.00023"


def test_a_wrapped_line_is_no_wider_than_asked_as_it_is_set() -> None:
    """Each line ``wrapped_math`` sets (its indent and the comma it ends in included) is at most the width asked,
    whatever the width (down to the widest part's): a line was measured without its trailing comma, so at some widths
    it came out wider (a race legend line at 9:16)."""
    latex = r"\theta_{k+1} = \theta_k - \eta g_k,\ v_{k+1} = \mu v_k + g_k,\ \mu = 0.8,\ \alpha = 0.99,\ \epsilon = 10^{-8}"
    parts = latex.split(r",\ ")
    narrowest = max(type_scale.math(r"\quad " + p + ",", "body").width for p in parts)
    full = type_scale.math(latex, "body").width
    for width in np.linspace(narrowest, full, 40):
        wrapped = type_scale.wrapped_math(latex, float(width), "body")
        lines = [line.strip().lstrip("&") for line in "".join(wrapped.tex_strings).split(r"\\")]
        assert "".join(lines).replace(r",\ ", ",").replace(r"\quad ", "").replace(" ", "") \
            == latex.replace(r",\ ", ",").replace(" ", "")
        for line in lines:
            assert type_scale.math(line, "body").width <= width + 1e-6, (width, line)


def by_characters(line: str) -> Any:
    """A stand-in for a typeset line: 0.1 wide a character, the line's text kept as ``line``."""
    from manim import VMobject

    made = VMobject()
    made.set_points_as_corners([[0.0, 0.0, 0.0], [0.1 * len(line), 0.1, 0.0]])
    made.line = line
    return made


def test_a_wrapped_note_starts_each_clause_on_a_line_of_its_own() -> None:
    """``clause_lines``: a word ending in ";" ends its line, where the text wraps at all; otherwise lines are filled
    greedily (worked out by hand with a width of 0.1 a character)."""
    from gdscenes.drawing.type_scale import wrapped

    words = "log height for f>145; log colour".split()
    for width, greedy, clauses in [
        (1.5, ["log height for", "f>145; log", "colour"], ["log height for", "f>145;", "log colour"]),
        (2.2, ["log height for f>145;", "log colour"], ["log height for f>145;", "log colour"]),
        (2.6, ["log height for f>145; log", "colour"], ["log height for f>145;", "log colour"]),
    ]:
        assert [m.line for m in wrapped(words, width, by_characters)] == greedy
        assert [m.line for m in wrapped(words, width, by_characters, clause_lines=True)] == clauses


def test_words_joined_by_a_tilde_stay_on_one_line_where_they_fit_it() -> None:
    """``above~$f=385$`` (13 characters: 1.3 wide) is one word in a 1.7-wide note and two in a 1.2-wide one
    (worked out by hand, 0.1 a character)."""
    from gdscenes.drawing.type_scale import wrapped_latex

    note = "height flattened above~$f=385$"
    assert [m.line for m in wrapped_latex(note, 1.7, by_characters)] == ["height flattened", "above~$f=385$"]
    assert [m.line for m in wrapped_latex(note, 1.2, by_characters)] == ["height", "flattened", "above", "$f=385$"]
    assert [m.line for m in wrapped_latex(note, 3.0, by_characters)] == [note]


@pytest.mark.parametrize(("loss", "aspect", "lines"), [
    ("rosenbrock", "1:1", ["log height", "for~$f > 145$;", "log colour"]),
    ("himmelblau", "1:1", ["height", "flattened", "above", "$f = 385$"]),
    ("rosenbrock", "16:9", ["log height for~$f > 145$;", "log colour"]),
    ("himmelblau", "16:9", ["height flattened", "above~$f = 385$"]),
])
def test_the_height_note_wraps_into_whole_phrases(loss: str, aspect: str, lines: list[str]) -> None:
    """The note wraps between phrases: the value stays with its "for" or "above" where the line has room for both,
    each clause starts a line. In a square frame it stands under the upright bar, in the key column the landscape
    leaves: valley's was five lines ("height: log / scale above / f = 145; / colour: log / scale"); descent's stays
    four, no wider than its widest word (the height axis' labels beside the key keep their room). Under a lying bar
    (16:9) descent's value was alone on the second line ("height: flattened above / f = 385")."""
    from manim import tempconfig

    from gdscenes.display.palette import DARK
    from gdscenes.drawing import colour_bar, type_scale
    from gdscenes.drawing.layout import KEY_COLUMN
    from gdscenes.production.render import frame_config
    from tests.test_lecture_fixes import view_of

    assert colour_bar.NOTE_WIDTH < KEY_COLUMN  # (the note stays in the column the landscape leaves)
    view = view_of(loss)
    parts = view.note_parts()
    assert parts is not None
    with tempconfig(frame_config("l", aspect)):
        unit = type_scale.shorter_side() / 8.0
        width = colour_bar.NOTE_WIDTH * unit if aspect == "1:1" else colour_bar.ColourBar(view, DARK).width
        made = colour_bar.note_lines(parts, width)
        assert [line.tex_string for line in made] == lines and all(line.width <= width for line in made)
